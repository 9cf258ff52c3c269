import Foundation
@testable import PolicyGradient

/// Array wrappers of the buffer functions REBAR, RELAX and Gumbel-Rao are built from, and the
/// finite differences their tests compare with.
enum CV {
    /// Fourth-order central difference of `f` at 0: (−f(2h) + 8f(h) − 8f(−h) + f(−2h)) / 12h.
    static func derivative(h: Double = 1e-4, _ f: (Double) -> Double) -> Double {
        (-f(2 * h) + 8 * f(h) - 8 * f(-h) + f(-2 * h)) / (12 * h)
    }

    /// ‖a − b‖ / max(‖a‖, tiny).
    static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        let diff = zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        return diff / max(a.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-300)
    }

    static func softmax(_ x: [Double]) -> [Double] {
        let m = x.max()!, e = x.map { exp($0 - m) }, s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    static func relax(_ z: [Double], tau: Double) -> [Double] { softmax(z.map { $0 / tau }) }

    static func logNormaliser(_ logits: [Double]) -> Double {
        logits.withUnsafeBufferPointer { ConditionalGumbel.logNormaliser($0) }
    }

    /// z̃(θ, g, b) with the noise g fixed.
    static func conditional(_ logits: [Double], action b: Int, noise: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: logits.count)
        logits.withUnsafeBufferPointer { l in
            noise.withUnsafeBufferPointer { g in
                out.withUnsafeMutableBufferPointer {
                    ConditionalGumbel.sample(logits: l, logNormaliser: ConditionalGumbel.logNormaliser(l), action: b, noise: g, into: $0)
                }
            }
        }
        return out
    }

    /// z̃ drawn from `rng`.
    static func conditional(_ logits: [Double], action b: Int, using rng: inout RandomStream) -> [Double] {
        var out = [Double](repeating: 0, count: logits.count)
        logits.withUnsafeBufferPointer { l in
            out.withUnsafeMutableBufferPointer {
                ConditionalGumbel.sample(logits: l, logNormaliser: ConditionalGumbel.logNormaliser(l), action: b, into: $0, using: &rng)
            }
        }
        return out
    }

    /// (∂z̃/∂θ)ᵀ u.
    static func conditionalBackward(_ z: [Double], logits: [Double], action b: Int, cotangent u: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: z.count)
        let p = softmax(logits)
        z.withUnsafeBufferPointer { zb in
            p.withUnsafeBufferPointer { pb in
                u.withUnsafeBufferPointer { ub in
                    out.withUnsafeMutableBufferPointer {
                        ConditionalGumbel.accumulateBackward(conditional: zb, probabilities: pb, action: b, cotangent: ub, scale: 1, into: $0)
                    }
                }
            }
        }
        return out
    }

    /// (∂z̃/∂θ) v.
    static func conditionalTangent(_ z: [Double], logits: [Double], action b: Int, direction v: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: z.count)
        let p = softmax(logits)
        z.withUnsafeBufferPointer { zb in
            p.withUnsafeBufferPointer { pb in
                v.withUnsafeBufferPointer { vb in
                    out.withUnsafeMutableBufferPointer {
                        ConditionalGumbel.tangent(conditional: zb, probabilities: pb, action: b, direction: vb, into: $0)
                    }
                }
            }
        }
        return out
    }

    /// θ + e_j · h.
    static func shifted(_ x: [Double], _ j: Int, by h: Double) -> [Double] {
        var y = x
        y[j] += h
        return y
    }

    /// A seeded random vector of standard normals times `scale`.
    static func gaussians(_ n: Int, scale: Double = 1, using rng: inout RandomStream) -> [Double] {
        (0..<n).map { _ in scale * rng.nextGaussian() }
    }

    /// The argmax (lowest index on ties).
    static func argmax(_ x: [Double]) -> Int {
        var best = 0
        for k in x.indices where x[k] > x[best] { best = k }
        return best
    }
}
