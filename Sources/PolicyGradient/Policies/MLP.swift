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
    }

    /// Total number of parameters.
    public var parameterCount: Int { offsets.last! }
    /// Sum of hidden widths: the scratch that ``forward(_:input:output:hidden:)`` fills.
    public var hiddenCount: Int { widths.dropFirst().dropLast().reduce(0, +) }
    /// The widest layer.
    public var maxWidth: Int { widths.max()! }

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
    /// - Complexity: O(parameterCount); allocates nothing.
    public func forward(_ p: UnsafeBufferPointer<Double>, input: UnsafeBufferPointer<Double>,
                        output: UnsafeMutableBufferPointer<Double>, hidden: UnsafeMutableBufferPointer<Double>) {
        var inStart = 0
        var hStart = 0
        for l in 1..<widths.count {
            let nIn = widths[l - 1], nOut = widths[l], w = offsets[l - 1], b = w + nOut * nIn
            let last = l == widths.count - 1
            for o in 0..<nOut {
                var z = p[b + o]
                let row = w + o * nIn
                if l == 1 {
                    // Inputs are often one-hot features and actions: skip the zeros.
                    for i in 0..<nIn where input[i] != 0 { z += p[row + i] * input[i] }
                } else {
                    for i in 0..<nIn { z += p[row + i] * hidden[inStart + i] }
                }
                if last { output[o] = z } else { hidden[hStart + o] = activation.apply(z) }
            }
            if l > 1 { inStart += nIn }
            if !last { hStart += nOut }
        }
    }

    /// Backward pass: adds (∂output/∂p)ᵀ·`cotangent` to `gradient` and, if `inputCotangent` is
    /// given, writes (∂output/∂input)ᵀ·`cotangent` into it. `hidden` must hold the activations
    /// from ``forward(_:input:output:hidden:)`` for the same input.
    /// - Complexity: O(parameterCount); allocates nothing (uses stack scratch).
    public func backward(_ p: UnsafeBufferPointer<Double>, input: UnsafeBufferPointer<Double>,
                         hidden: UnsafeBufferPointer<Double>, cotangent: UnsafeBufferPointer<Double>,
                         gradient: UnsafeMutableBufferPointer<Double>?,
                         inputCotangent: UnsafeMutableBufferPointer<Double>?) {
        let width = maxWidth
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * width) { scratch in
            var delta = UnsafeMutableBufferPointer(rebasing: scratch[0..<width])
            var below = UnsafeMutableBufferPointer(rebasing: scratch[width..<(2 * width)])
            for o in 0..<widths.last! { delta[o] = cotangent[o] }
            // Start offsets of each hidden layer inside `hidden`.
            var hEnd = hiddenCount
            for l in stride(from: widths.count - 1, through: 1, by: -1) {
                let nIn = widths[l - 1], nOut = widths[l], w = offsets[l - 1], b = w + nOut * nIn
                let inStart = hEnd - (l > 1 ? nIn : 0)
                // Inputs of layer l: hidden[inStart..<hEnd] or the network input.
                for i in 0..<nIn { below[i] = 0 }
                for o in 0..<nOut {
                    let d = delta[o]
                    if d == 0 { continue }
                    let row = w + o * nIn
                    if let g = gradient {
                        g[b + o] += d
                        if l == 1 {
                            for i in 0..<nIn where input[i] != 0 { g[row + i] += d * input[i] }
                        } else {
                            for i in 0..<nIn { g[row + i] += d * hidden[inStart + i] }
                        }
                    }
                    // The first layer's input cotangent is needed only when asked for.
                    if l > 1 || inputCotangent != nil {
                        for i in 0..<nIn { below[i] += d * p[row + i] }
                    }
                }
                if l > 1 {
                    for i in 0..<nIn { below[i] *= activation.derivative(output: hidden[inStart + i]) }
                    hEnd = inStart
                    swap(&delta, &below)
                } else if let ic = inputCotangent {
                    for i in 0..<nIn { ic[i] = below[i] }
                }
            }
        }
    }
}
