import Foundation

/// The hidden-layer nonlinearity of an ``MLP``.
public enum Activation: String, Sendable, CaseIterable {
    /// tanh(z).
    case tanh
    /// max(0, z).
    case relu

    @inlinable func apply(_ z: Double) -> Double {
        switch self {
        case .tanh:
            // tanh z = 1 − 2 / (e^{2z} + 1): one exponential, accurate to ~1e-16 absolute, and
            // several times faster than libm's tanh. Saturates cleanly: e^{2z} = ∞ gives 1.
            return 1 - 2 / (Foundation.exp(2 * z) + 1)
        case .relu: return z > 0 ? z : 0
        }
    }

    /// The derivative expressed through the activation's output h.
    @inlinable func derivative(output h: Double) -> Double {
        switch self {
        case .tanh: return 1 - h * h
        case .relu: return h > 0 ? 1 : 0
        }
    }
}

/// A small fully connected network with hand-written backpropagation, used by ``MLPPolicy``
/// and by the Gumbel estimators' critic.
///
/// Parameters are one flat vector: for each layer its weight matrix (row-major
/// `outputs × inputs`) followed by its biases. Hidden layers use ``Activation``; the output
/// layer is linear.
public struct MLP: Sendable, Equatable {
    /// Layer widths: input, hidden…, output.
    public let widths: [Int]
    /// The hidden nonlinearity.
    public let activation: Activation
    /// Offsets of each layer's weights in the parameter vector.
    @usableFromInline let offsets: [Int]

    /// Creates the shape of a network.
    /// - Precondition: every width is positive.
    public init(inputs: Int, hidden: [Int], outputs: Int, activation: Activation) {
        widths = [inputs] + hidden + [outputs]
        precondition(widths.allSatisfy { $0 > 0 }, "layer widths must be positive")
        self.activation = activation
        var off = [0]
        for l in 1..<widths.count { off.append(off[l - 1] + widths[l] * (widths[l - 1] + 1)) }
        offsets = off
        layerWidth = widths.dropFirst().max()!
        hiddenCount = widths.dropFirst().dropLast().reduce(0, +)
    }

    /// Total number of parameters.
    public var parameterCount: Int { offsets.last! }
    /// Sum of hidden widths: the scratch that ``forward(_:input:output:hidden:)`` fills (stored:
    /// the critic asks for it on every evaluation).
    public let hiddenCount: Int
    /// The widest layer.
    public var maxWidth: Int { widths.max()! }
    /// The widest layer after the input (the backward pass's scratch, whatever the input size).
    @usableFromInline let layerWidth: Int

    /// Glorot-uniform hidden weights, zero biases, and a zero output layer (so an MLP policy
    /// starts uniform and a critic starts at 0).
    public func initialParameters(using rng: inout RandomStream) -> [Double] {
        var p = [Double](repeating: 0, count: parameterCount)
        for l in 1..<(widths.count - 1) {
            let fanIn = widths[l - 1], fanOut = widths[l]
            let limit = (6.0 / Double(fanIn + fanOut)).squareRoot()
            for i in 0..<(fanOut * fanIn) { p[offsets[l - 1] + i] = limit * (2 * rng.nextUniform() - 1) }
        }
        return p
    }

    /// Forward pass. Writes hidden activations (concatenated) into `hidden` and the output into `output`.
    /// The first layer reads only the non-zero inputs (a one-hot feature row costs one column).
    /// - Complexity: O(parameterCount) at most; allocates nothing.
    @usableFromInline func forward(_ p: UnsafeBufferPointer<Double>, input: MLPInput,
                        output: UnsafeMutableBufferPointer<Double>, hidden: UnsafeMutableBufferPointer<Double>) {
        precondition(input.count == widths[0], "MLP input of the wrong length")
        var inStart = 0
        var hStart = 0
        for l in 1..<widths.count {
            let nIn = widths[l - 1], nOut = widths[l], w = offsets[l - 1], b = w + nOut * nIn
            let last = l == widths.count - 1
            for o in 0..<nOut {
                var z = p[b + o]
                let row = w + o * nIn
                if l == 1 {
                    input.features.forEachNonZero { i, x in z += p[row + i] * x }
                    z = Self.addDense(input.extra, weights: p.baseAddress! + (row &+ input.features.count), to: z)
                } else {
                    let wr = p.baseAddress! + row, h = UnsafePointer(hidden.baseAddress! + inStart)
                    var i = 0
                    while i < nIn { z += wr[i] * h[i]; i &+= 1 }
                }
                if last { output[o] = z } else { hidden[hStart + o] = activation.apply(z) }
            }
            if l > 1 { inStart += nIn }
            if !last { hStart += nOut }
        }
    }

    /// z + Σᵢ wᵢ xᵢ over the non-zero xᵢ of a dense input, in increasing i (as
    /// ``MLPInput/forEachNonZero(_:)`` visits them), through raw pointers.
    @inline(__always)
    static func addDense(_ x: UnsafeBufferPointer<Double>, weights w: UnsafePointer<Double>, to z: Double) -> Double {
        guard let e = x.baseAddress else { return z }
        var z = z, i = 0
        while i < x.count {
            let v = e[i]
            if v != 0 { z += w[i] * v }
            i &+= 1
        }
        return z
    }

    /// gᵢ += d · xᵢ for the non-zero xᵢ of a dense input, through raw pointers.
    @inline(__always)
    static func addScaledDense(_ x: UnsafeBufferPointer<Double>, scale d: Double, to g: UnsafeMutablePointer<Double>) {
        guard let e = x.baseAddress else { return }
        var i = 0
        while i < x.count {
            let v = e[i]
            if v != 0 { g[i] += d * v }
            i &+= 1
        }
    }

    /// Backward pass: adds (∂output/∂p)ᵀ·`cotangent` to `gradient` and, if `extraCotangent` is
    /// given, writes (∂output/∂extra)ᵀ·`cotangent` into it: the cotangent of the input's
    /// ``MLPInput/extra`` part (the critic's ∇ₓQ). `hidden` must hold the activations from
    /// ``forward(_:input:output:hidden:)`` for the same input.
    /// - Complexity: O(parameterCount); allocates nothing (uses stack scratch).
    @usableFromInline func backward(_ p: UnsafeBufferPointer<Double>, input: MLPInput,
                         hidden: UnsafeBufferPointer<Double>, cotangent: UnsafeBufferPointer<Double>,
                         gradient: UnsafeMutableBufferPointer<Double>?,
                         extraCotangent: UnsafeMutableBufferPointer<Double>?) {
        let width = layerWidth
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * width) { scratch in
            var delta = UnsafeMutableBufferPointer(rebasing: scratch[0..<width])
            var below = UnsafeMutableBufferPointer(rebasing: scratch[width..<(2 * width)])
            for o in 0..<widths.last! { delta[o] = cotangent[o] }
            var hEnd = hiddenCount
            let extraStart = input.features.count
            if let ec = extraCotangent { for i in ec.indices { ec[i] = 0 } }
            for l in stride(from: widths.count - 1, through: 1, by: -1) {
                let nIn = widths[l - 1], nOut = widths[l], w = offsets[l - 1], b = w + nOut * nIn
                let inStart = hEnd - (l > 1 ? nIn : 0)
                if l > 1 { for i in 0..<nIn { below[i] = 0 } }
                for o in 0..<nOut {
                    let d = delta[o]
                    if d == 0 { continue }
                    let row = w + o * nIn
                    if let g = gradient {
                        g[b + o] += d
                        if l == 1 {
                            input.features.forEachNonZero { i, x in g[row + i] += d * x }
                            Self.addScaledDense(input.extra, scale: d, to: g.baseAddress! + (row &+ input.features.count))
                        } else {
                            let gr = g.baseAddress! + row, h = hidden.baseAddress! + inStart
                            var i = 0
                            while i < nIn { gr[i] += d * h[i]; i &+= 1 }
                        }
                    }
                    if l > 1 {
                        let wr = p.baseAddress! + row, bl = below.baseAddress!
                        var i = 0
                        while i < nIn { bl[i] += d * wr[i]; i &+= 1 }
                    } else if let ec = extraCotangent, let e = ec.baseAddress {
                        let wr = p.baseAddress! + (row &+ extraStart)
                        var i = 0
                        while i < ec.count { e[i] += d * wr[i]; i &+= 1 }
                    }
                }
                if l > 1 {
                    for i in 0..<nIn { below[i] *= activation.derivative(output: hidden[inStart + i]) }
                    hEnd = inStart
                    swap(&delta, &below)
                }
            }
        }
    }
}

/// The input of an ``MLP``: a state's feature row, followed by `extra` dense inputs (the
/// critic's action encoding; empty for a policy).
public struct MLPInput {
    /// The feature part x(s).
    @usableFromInline let features: FeatureRow
    /// The dense part after it.
    @usableFromInline let extra: UnsafeBufferPointer<Double>

    /// Creates an input from a feature row and an optional dense tail.
    @inlinable
    init(features: FeatureRow, extra: UnsafeBufferPointer<Double> = UnsafeBufferPointer(start: nil, count: 0)) {
        self.features = features
        self.extra = extra
    }

    /// Total length.
    public var count: Int { features.count + extra.count }

    /// Calls `body(i, x_i)` for every non-zero input, in increasing i.
    @inlinable
    public func forEachNonZero(_ body: (Int, Double) -> Void) {
        features.forEachNonZero(body)
        let f = features.count
        for i in extra.indices where extra[i] != 0 { body(f + i, extra[i]) }
    }
}
