import Foundation
@testable import PolicyGradient
import XCTest

/// The biased estimators `darn` and `st`: their bias is measured against ∇J, printed, and
/// asserted to be significant where the mathematics says it is; on the toys their Monte Carlo
/// mean matches the closed-form mean of the estimator.
final class TaylorBiasTests: XCTestCase {
    /// ∇f(e_a) of a toy.
    func rewardGradient(_ env: Toy, action a: Int) -> [Double] {
        let z = (0..<env.actionCount).map { $0 == a ? 1.0 : 0.0 }
        var v = [Double](repeating: 0, count: z.count)
        z.withUnsafeBufferPointer { zb in v.withUnsafeMutableBufferPointer { env.rewardGradient(relaxed: zb, state: 0, into: $0) } }
        return v
    }

    /// E[ĝ_st] on a toy with a tabular policy: Σ_a π_a π ⊙ (∇f(e_a) − ⟨π, ∇f(e_a)⟩).
    func straightThroughMean(_ env: Toy, _ p: [Double]) -> [Double] {
        var mean = [Double](repeating: 0, count: p.count)
        for a in p.indices {
            let v = rewardGradient(env, action: a)
            let dot = zip(p, v).reduce(0) { $0 + $1.0 * $1.1 }
            for k in p.indices { mean[k] += p[a] * p[k] * (v[k] - dot) }
        }
        return mean
    }

    func probabilities(_ policy: any Policy) -> [Double] {
        let l = policy.parameters, m = l.max()!, e = l.map { Foundation.exp($0 - m) }, z = e.reduce(0, +)
        return e.map { $0 / z }
    }

    /// Every coordinate of the sample mean within 4.5 standard errors of `expected`.
    func assertMean(_ s: GradientStatistics, equals expected: [Double], _ label: String, line: UInt = #line) {
        for k in expected.indices {
            let se = (s.coordinateVariances[k] / Double(s.count)).squareRoot()
            XCTAssertLessThanOrEqual(abs(s.mean[k] - expected[k]), 4.5 * se + 1e-15, "\(label), coordinate \(k)", line: line)
        }
    }

    /// `darn` around the simplex centre on the toys: its mean is exactly 0 (the residual is the same
    /// for every action), so its bias is −∇J at every policy, and the z-test rejects wherever
    /// 2000 estimates resolve ∇J (relative noise floor below 0.25: not on t = 0.499, whose
    /// ‖∇J‖ ≤ 0.001 is far below one estimate's spread; there only the zero mean is checked).
    func testDARNOnTheToysHasMeanZero() throws {
        var detected = 0
        for (name, env) in try TaylorTestSupport.problems().prefix(3) {
            for (where_, policy) in [("initial", TaylorTestSupport.initial(env) as any Policy),
                                     ("trained", try TaylorTestSupport.trained(env))] {
                let s = try TaylorTestSupport.measure("darn", on: env, at: policy, replicates: 2000)
                let label = "darn on \(name), \(where_) policy: \(TaylorTestSupport.describe(s))"
                print(label)
                assertMean(s, equals: [Double](repeating: 0, count: env.actionCount), label)
                let e = try XCTUnwrap(s.exact)
                guard e.relativeBiasNoiseFloor < 0.25 else { continue }
                XCTAssertFalse(e.isConsistentWithZeroBias, label)
                XCTAssertEqual(e.relativeBias, 1, accuracy: 4 * e.relativeBiasNoiseFloor, label)
                detected += 1
            }
        }
        XCTAssertEqual(detected, 4, "t = 0.45 and the 3-action toy, at both policies")
    }

    /// `st` on the toys: its mean is Σ_a π_a (∂π/∂logits)ᵀ ∇f(e_a), which is (∂π/∂logits)ᵀ ∇f(π)
    /// (∇f is affine), the gradient of the relaxed objective f(π) rather than of J. On the binary toy that is −2 π₀π₁ (π₁ − t) against
    /// ∂J/∂logit₁ = −π₀π₁ (1 − 2t); on the K-class toy the bias is −2 (∂π/∂logits)ᵀ π: both vanish
    /// only at the uniform policy, so `st` is unbiased there and biased once trained.
    func testStraightThroughMeanMatchesItsClosedForm() throws {
        for (name, env) in try TaylorTestSupport.problems().prefix(3) {
            let toy = try XCTUnwrap(env as? Toy)
            for (where_, policy) in [("initial", TaylorTestSupport.initial(env) as any Policy),
                                     ("trained", try TaylorTestSupport.trained(env))] {
                let s = try TaylorTestSupport.measure("st", on: env, at: policy, replicates: 2000)
                let label = "st on \(name), \(where_) policy: \(TaylorTestSupport.describe(s))"
                print(label)
                assertMean(s, equals: straightThroughMean(toy, probabilities(policy)), label)
                XCTAssertEqual(s.exact?.isConsistentWithZeroBias, where_ == "initial", label)
            }
        }
    }

    /// With a critic (bandit10, FrozenLake 4x4) both are biased by far more than their noise floor.
    func testBiasWithACriticIsSignificant() throws {
        for (name, env) in try TaylorTestSupport.problems().suffix(2) {
            for estimator in ["darn", "st"] {
                let s = try TaylorTestSupport.measure(estimator, on: env, at: TaylorTestSupport.initial(env),
                                                      replicates: env is Bandit ? 1000 : 250)
                let label = "\(estimator) on \(name), initial policy: \(TaylorTestSupport.describe(s))"
                print(label)
                let e = try XCTUnwrap(s.exact)
                XCTAssertFalse(e.isConsistentWithZeroBias, label)
                XCTAssertGreaterThan(e.relativeBias, 5 * e.relativeBiasNoiseFloor, label)
            }
        }
    }
}
