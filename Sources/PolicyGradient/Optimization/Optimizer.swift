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
                            for i in p.indices {
                                m[i] = b1 * m[i] + (1 - b1) * g[i]
                                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                                p[i] += lr * (m[i] / c1) / ((v[i] / c2).squareRoot() + eps)
                            }
                        }
                    }
                }
            }
        }
    }
}
