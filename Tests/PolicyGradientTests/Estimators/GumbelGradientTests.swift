import Foundation
@testable import PolicyGradient
import XCTest

/// Finite-difference checks of the Gumbel-softmax and straight-through gradients with the
/// noise g held fixed, through the tabular, linear and MLP policies, with f the toy reward.
final class GumbelGradientTests: XCTestCase {
    let features = [0.5, -1.2]

    func policies(actions: Int) -> [any Policy] {
        var rng = RandomStream(seed: 42)
        var tabular: any Policy = TabularPolicy(stateCount: 1, actionCount: actions)
        var linear: any Policy = LinearPolicy(featureCount: 2, actionCount: actions)
        var mlp: any Policy = MLPPolicy(featureCount: 2, actionCount: actions, hidden: [5], activation: .tanh, using: &rng)
        for i in 0..<3 {
            let p = [tabular, linear, mlp][i]
            let random = p.parameters.map { _ in 0.7 * rng.nextGaussian() }
            switch i {
            case 0: tabular.parameters = random
            case 1: linear.parameters = random
            default: mlp.parameters = random
            }
        }
        return [tabular, linear, mlp]
    }

    func toy(actions: Int) -> Toy { actions == 2 ? Toy(binaryTarget: 0.45) : Toy(targets: [0.2, 0.3, 0.5]) }

    func logits(_ p: any Policy) -> [Double] {
        var out = [Double](repeating: 0, count: p.actionCount)
        features.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { p.logits(state: 0, features: FeatureRow(values: x), into: $0) } }
        return out
    }

    func relaxed(_ p: any Policy, noise: [Double], tau: Double) -> [Double] {
        let l = logits(p)
        var y = [Double](repeating: 0, count: l.count)
        l.withUnsafeBufferPointer { lb in
            noise.withUnsafeBufferPointer { g in
                y.withUnsafeMutableBufferPointer { GumbelSoftmax.relax(logits: lb, noise: g, temperature: tau, into: $0) }
            }
        }
        return y
    }

    /// (∂y/∂φ)ᵀ v through the library's backward pass and the policy's backpropagation.
    func analytic(_ p: any Policy, y: [Double], v: [Double], tau: Double) -> [Double] {
        var c = [Double](repeating: 0, count: y.count), g = [Double](repeating: 0, count: p.parameterCount)
        y.withUnsafeBufferPointer { yb in
            v.withUnsafeBufferPointer { vb in
                c.withUnsafeMutableBufferPointer { GumbelSoftmax.backward(relaxed: yb, cotangent: vb, temperature: tau, into: $0) }
            }
        }
        features.withUnsafeBufferPointer { x in
            c.withUnsafeBufferPointer { cb in
                g.withUnsafeMutableBufferPointer { p.backpropagate(state: 0, features: FeatureRow(values: x), logitCotangent: cb, into: $0) }
            }
        }
        return g
    }

    /// Fourth-order central differences of `objective(φ)` with step h:
    /// (−F(φ + 2h) + 8F(φ + h) − 8F(φ − h) + F(φ − 2h)) / 12h, error O(h⁴) + O(ε/h).
    func centralDifferences(_ p: any Policy, h: Double = 1e-4, _ objective: (any Policy) -> Double) -> [Double] {
        (0..<p.parameterCount).map { i in
            func at(_ step: Double) -> Double {
                var q = p
                q.parameters[i] += step
                return objective(q)
            }
            return (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h)
        }
    }

    func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        let diff = zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        return diff / max(a.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-300)
    }

    func gradient(of env: Toy, at x: [Double]) -> [Double] {
        var v = [Double](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { xb in v.withUnsafeMutableBufferPointer { env.rewardGradient(relaxed: xb, state: 0, into: $0) } }
        return v
    }

    func reward(of env: Toy, at x: [Double]) -> Double {
        x.withUnsafeBufferPointer { env.reward(relaxed: $0, state: 0) }
    }

    /// Runs `check(policy, env, noise, τ, label)` over policies × action counts × temperatures × noise seeds.
    func forEachCase(_ check: (any Policy, Toy, [Double], Double, String) -> Void) {
        for actions in [2, 3] {
            let env = toy(actions: actions)
            for p in policies(actions: actions) {
                for tau in [0.3, 1, 2.5] {
                    for seed: UInt64 in [1, 2, 3] {
                        var rng = RandomStream(seed: seed)
                        let noise = (0..<actions).map { _ in rng.nextGumbel() }
                        check(p, env, noise, tau, "\(p.kind), \(actions) actions, τ \(tau), noise seed \(seed)")
                    }
                }
            }
        }
    }

    /// ĝ = ∇_φ f(y(φ, g)) = Jᵀ (∂y/∂logits)ᵀ ∇f(y).
    func testGumbelSoftmaxGradientMatchesFiniteDifferences() {
        forEachCase { p, env, noise, tau, label in
            let y = relaxed(p, noise: noise, tau: tau)
            let a = analytic(p, y: y, v: gradient(of: env, at: y), tau: tau)
            let fd = centralDifferences(p) { reward(of: env, at: relaxed($0, noise: noise, tau: tau)) }
            XCTAssertLessThan(relativeError(a, fd), 1e-6, label)
        }
    }

    /// ĝ_ST = Jᵀ (∂y/∂logits)ᵀ ∇f(z) with z = onehot(argmax y) held fixed: the derivative of
    /// the surrogate ⟨∇f(z), y(φ, g)⟩. The hard sample must not move under the perturbation.
    func testStraightThroughGradientMatchesFiniteDifferences() {
        forEachCase { p, env, noise, tau, label in
            let y = relaxed(p, noise: noise, tau: tau)
            let k = y.withUnsafeBufferPointer { GumbelSoftmax.argmax($0) }
            let z = (0..<y.count).map { $0 == k ? 1.0 : 0.0 }
            let c = gradient(of: env, at: z)
            let a = analytic(p, y: y, v: c, tau: tau)
            let fd = centralDifferences(p) { q in
                let yq = relaxed(q, noise: noise, tau: tau)
                XCTAssertEqual(yq.withUnsafeBufferPointer { GumbelSoftmax.argmax($0) }, k, label)
                return zip(c, yq).reduce(0) { $0 + $1.0 * $1.1 }
            }
            XCTAssertLessThan(relativeError(a, fd), 1e-6, label)
        }
    }
}
