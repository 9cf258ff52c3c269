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
        precondition(gradient.count == parameters.count, "gradient has the wrong length")
        switch kind {
        case .sgd:
            parameters.withUnsafeMutableBufferPointer { p in
                gradient.withUnsafeBufferPointer { g in
                    for i in p.indices { p[i] += lr * g[i] }
                }
            }
        case .adam:
            t += 1
            let c1 = 1 - pow(beta1, Double(t)), c2 = 1 - pow(beta2, Double(t))
            let b1 = beta1, b2 = beta2, eps = epsilon
            parameters.withUnsafeMutableBufferPointer { p in
                m.withUnsafeMutableBufferPointer { m in
                    v.withUnsafeMutableBufferPointer { v in
                        gradient.withUnsafeBufferPointer { g in
                            Self.adamStep(p, m, v, g, lr: lr, c1: c1, c2: c2, b1: b1, b2: b2, eps: eps)
                        }
                    }
                }
            }
        }
    }

    /// Adam's update of every element, four at a time: m ← β₁m + (1 − β₁)g,
    /// v ← β₂v + (1 − β₂)g², p ← p + α (m / c₁) / (√(v / c₂) + ε). Each lane performs the scalar
    /// operations in the scalar order, so the numbers are the element-by-element loop's.
    /// - Complexity: O(count); allocates nothing.
    private static func adamStep(_ p: UnsafeMutableBufferPointer<Double>, _ m: UnsafeMutableBufferPointer<Double>,
                                 _ v: UnsafeMutableBufferPointer<Double>, _ g: UnsafeBufferPointer<Double>,
                                 lr: Double, c1: Double, c2: Double, b1: Double, b2: Double, eps: Double) {
        typealias V = SIMD4<Double>
        let a1 = 1 - b1, a2 = 1 - b2, n = p.count
        guard n > 0 else { return }
        let pp = UnsafeMutableRawPointer(p.baseAddress!), mp = UnsafeMutableRawPointer(m.baseAddress!)
        let vp = UnsafeMutableRawPointer(v.baseAddress!), gp = UnsafeRawPointer(g.baseAddress!)
        var i = 0
        while i &+ 4 <= n {
            let o = i &* MemoryLayout<Double>.stride
            let gi = gp.loadUnaligned(fromByteOffset: o, as: V.self)
            let mi = V(repeating: b1) * mp.loadUnaligned(fromByteOffset: o, as: V.self) + V(repeating: a1) * gi
            let vi = V(repeating: b2) * vp.loadUnaligned(fromByteOffset: o, as: V.self) + V(repeating: a2) * gi * gi
            let step = V(repeating: lr) * (mi / V(repeating: c1)) / ((vi / V(repeating: c2)).squareRoot() + V(repeating: eps))
            mp.storeBytes(of: mi, toByteOffset: o, as: V.self)
            vp.storeBytes(of: vi, toByteOffset: o, as: V.self)
            pp.storeBytes(of: pp.loadUnaligned(fromByteOffset: o, as: V.self) + step, toByteOffset: o, as: V.self)
            i &+= 4
        }
        while i < n {
            m[i] = b1 * m[i] + a1 * g[i]
            v[i] = b2 * v[i] + a2 * g[i] * g[i]
            p[i] += lr * (m[i] / c1) / ((v[i] / c2).squareRoot() + eps)
            i &+= 1
        }
    }
}
