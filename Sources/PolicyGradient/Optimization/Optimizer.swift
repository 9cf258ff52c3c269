import Foundation

/// Which optimiser ascends the gradient.
public enum OptimizerKind: String, Sendable, CaseIterable {
    /// Plain stochastic gradient ascent: φ ← φ + α ĝ.
    case sgd
    /// Adam (Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015), ascending.
    case adam
}

/// A gradient-ascent optimiser over a flat parameter vector (SGD or Adam).
///
/// Its state is allocated once; ``step(_:gradient:learningRate:)`` allocates nothing.
public struct Optimizer: Sendable, Equatable {
    /// SGD or Adam.
    public let kind: OptimizerKind
    /// Adam's β₁, β₂ and ε.
    public var beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8
    /// Whether Adam folds its bias corrections into the step size, as Kingma & Ba suggest for
    /// efficiency (§2, after Algorithm 1): α_t = α √c₂ / c₁ and ε̂_t = ε √c₂ with c₁ = 1 − β₁ᵗ,
    /// c₂ = 1 − β₂ᵗ, then φ ← φ + α_t m / (√v + ε̂_t). The same update in exact arithmetic, with
    /// one division and one square root per parameter instead of three divisions and a root;
    /// the rounding differs (a few units in the last place per step). Off by default (the
    /// policy's optimiser); the critic's optimiser, which takes ten steps per update, uses it.
    public var foldsBiasCorrection = false
    private var m: [Double]
    private var v: [Double]
    private var t = 0

    /// Creates an optimiser for `parameterCount` parameters.
    public init(kind: OptimizerKind, parameterCount: Int) {
        self.kind = kind
        m = kind == .adam ? [Double](repeating: 0, count: parameterCount) : []
        v = m
    }

    /// Ascends: φ ← φ + α ĝ (SGD) or φ ← φ + α m̂ / (√v̂ + ε) (Adam, bias-corrected).
    /// - Complexity: O(parameterCount); allocates nothing.
    public mutating func step(_ parameters: inout [Double], gradient: [Double], learningRate lr: Double) {
        gradient.withUnsafeBufferPointer { step(&parameters, gradient: $0, learningRate: lr) }
    }

    /// ``step(_:gradient:learningRate:)`` with the gradient read in place (a part of a larger
    /// buffer, without copying it out).
    mutating func step(_ parameters: inout [Double], gradient: UnsafeBufferPointer<Double>, learningRate lr: Double) {
        precondition(gradient.count == parameters.count, "gradient has the wrong length")
        switch kind {
        case .sgd:
            parameters.withUnsafeMutableBufferPointer { p in
                for i in p.indices { p[i] += lr * gradient[i] }
            }
        case .adam:
            t += 1
            let c1 = 1 - pow(beta1, Double(t)), c2 = 1 - pow(beta2, Double(t))
            let b1 = beta1, b2 = beta2, eps = epsilon, folds = foldsBiasCorrection
            parameters.withUnsafeMutableBufferPointer { p in
                m.withUnsafeMutableBufferPointer { m in
                    v.withUnsafeMutableBufferPointer { v in
                        let g = gradient
                        if folds {
                            Self.adamStep(p, m, v, g, lr: lr * c2.squareRoot() / c1, c1: 1, c2: 1, b1: b1, b2: b2,
                                          eps: eps * c2.squareRoot(), folded: true)
                        } else {
                            Self.adamStep(p, m, v, g, lr: lr, c1: c1, c2: c2, b1: b1, b2: b2, eps: eps, folded: false)
                        }
                    }
                }
            }
        }
    }

    /// Adam's update of every element, two at a time: m ← β₁m + (1 − β₁)g,
    /// v ← β₂v + (1 − β₂)g², p ← p + α m̂ / (√v̂ + ε), with m̂ = m / c₁ and v̂ = v / c₂ — or, when
    /// `folded` (``foldsBiasCorrection``, the corrections already in `lr` and `eps`), m̂ = m and
    /// v̂ = v. Each lane performs the scalar operations in the scalar order, so the numbers are
    /// the element-by-element loop's. The square root is taken of |v̂| (the same number: v̂ ≥ 0,
    /// and √(±0) + ε = ε), which tells the compiler that the C library's error path cannot be
    /// needed, so both lanes take one vector square root. `folded` is a constant where this is
    /// inlined, so each form is its own loop.
    /// - Complexity: O(count); allocates nothing.
    @inline(__always)
    private static func adamStep(_ p: UnsafeMutableBufferPointer<Double>, _ m: UnsafeMutableBufferPointer<Double>,
                                 _ v: UnsafeMutableBufferPointer<Double>, _ g: UnsafeBufferPointer<Double>,
                                 lr: Double, c1: Double, c2: Double, b1: Double, b2: Double, eps: Double, folded: Bool) {
        typealias V = SIMD2<Double>
        let a1 = 1 - b1, a2 = 1 - b2, n = p.count
        guard n > 0 else { return }
        let pp = UnsafeMutableRawPointer(p.baseAddress!), mp = UnsafeMutableRawPointer(m.baseAddress!)
        let vp = UnsafeMutableRawPointer(v.baseAddress!), gp = UnsafeRawPointer(g.baseAddress!)
        var i = 0
        while i &+ 2 <= n {
            let o = i &* MemoryLayout<Double>.stride
            let gi = gp.loadUnaligned(fromByteOffset: o, as: V.self)
            let mi = V(repeating: b1) * mp.loadUnaligned(fromByteOffset: o, as: V.self) + V(repeating: a1) * gi
            let vi = V(repeating: b2) * vp.loadUnaligned(fromByteOffset: o, as: V.self) + V(repeating: a2) * gi * gi
            let q = folded ? vi : vi / V(repeating: c2), mHat = folded ? mi : mi / V(repeating: c1)
            let root = V(abs(q[0]).squareRoot(), abs(q[1]).squareRoot())
            let step = V(repeating: lr) * mHat / (root + V(repeating: eps))
            mp.storeBytes(of: mi, toByteOffset: o, as: V.self)
            vp.storeBytes(of: vi, toByteOffset: o, as: V.self)
            pp.storeBytes(of: pp.loadUnaligned(fromByteOffset: o, as: V.self) + step, toByteOffset: o, as: V.self)
            i &+= 2
        }
        while i < n {
            m[i] = b1 * m[i] + a1 * g[i]
            v[i] = b2 * v[i] + a2 * g[i] * g[i]
            let q = folded ? v[i] : v[i] / c2, mHat = folded ? m[i] : m[i] / c1
            p[i] += lr * mHat / (abs(q).squareRoot() + eps)
            i &+= 1
        }
    }
}
