import Foundation
@testable import PolicyGradient
import XCTest

/// The optimal constant baseline b*(s) = E[G‖∇log π‖²]/E[‖∇log π‖²]: by hand, as the minimum
/// of the exact variance, per step against an independent recursion, exact on two-action
/// one-step problems, and refused without known dynamics.
final class OptimalBaselineTests: XCTestCase {
    /// p = (0.5, 0.3, 0.2), q = (1, 2, 4): Σp² = 0.38, n = (0.38, 0.78, 0.98),
    /// p·n = (0.19, 0.234, 0.196), b* = (0.19 + 0.468 + 0.784)/0.62 = 1.442/0.62.
    func testOptimalConstantByHand() {
        let p = [0.5, 0.3, 0.2], q = [1.0, 2.0, 4.0]
        XCTAssertEqual(b(p, q), 1.442 / 0.62, accuracy: 1e-14)
        XCTAssertEqual(b([1, 0, 0], q), 1, accuracy: 0, "a deterministic policy gets its value")
    }

    func b(_ p: [Double], _ q: [Double]) -> Double {
        p.withUnsafeBufferPointer { pp in q.withUnsafeBufferPointer { OptimalBaseline.optimalConstant(probabilities: pp.span, values: $0.span) } }
    }

    /// On a bandit with noisy rewards, tr Var[(e_a − π)(R − b)] = Σ_a π_a n_a (σ_a² + (q_a − b)²) − ‖∇J‖²
    /// is smallest at b*: below its value at b* ± 0.05 and b* ± 0.5, and its derivative there is 0.
    func testItMinimisesTheExactVariance() {
        let p = [0.1, 0.25, 0.4, 0.25], q = [1.0, -0.5, 2.0, 0.3], sigma2 = [1.0, 0.3, 2.0, 0.5]
        let squares = p.reduce(0) { $0 + $1 * $1 }
        func variance(_ base: Double) -> Double {
            (0..<4).reduce(0) { $0 + p[$1] * (1 - 2 * p[$1] + squares) * (sigma2[$1] + (q[$1] - base) * (q[$1] - base)) }
        }
        let best = b(p, q)
        for d in [0.05, 0.5] {
            XCTAssertLessThan(variance(best), variance(best + d))
            XCTAssertLessThan(variance(best), variance(best - d))
        }
        XCTAssertEqual((variance(best + 1e-5) - variance(best - 1e-5)) / 2e-5, 0, accuracy: 1e-8)
    }

    /// b*_t(s) on the hand-made MDP over three steps: each step's value from an independent
    /// recursion of Q_t (H − t steps left) through ``optimalConstant``.
    func testPerStepValuesAgainstARecursion() throws {
        let env = HandMDP(timeLimit: 3), gamma = 0.8, m = env.model
        var table = PolicyTable(stateCount: 3, actionCount: 2)
        table.update(fromTable: [0.3, -0.2, 1.0, 0.1, -0.5, 0.4])
        var baseline = OptimalBaseline(model: m, horizon: 3, gamma: gamma)
        baseline.prepare(table: table)
        func q(_ left: Int, _ s: Int, _ a: Int) -> Double {
            m.outcomes(state: s, action: a).reduce(0) { sum, o in
                sum + o.probability * (o.reward + (o.terminated || left == 1 ? 0 : gamma * v(left - 1, o.next)))
            }
        }
        func v(_ left: Int, _ s: Int) -> Double { (0..<2).reduce(0) { $0 + table.probabilities[s * 2 + $1] * q(left, s, $1) } }
        for t in 0..<3 {
            for s in 0..<3 {
                let p = Array(table.probabilities[(s * 2)..<(s * 2 + 2)]), qs = (0..<2).map { q(3 - t, s, $0) }
                XCTAssertEqual(baseline.values[t * 3 + s], b(p, qs), accuracy: 1e-12, "t \(t), s \(s)")
            }
        }
        XCTAssertNotEqual(baseline.values[0], baseline.values[6], "the values depend on the steps left")
    }

    /// With two actions and deterministic rewards, b* = π₁Q₀ + π₀Q₁ and either action's term
    /// (e_a − π)(Q_a − b*) equals ∇J = π₀π₁(Q₀ − Q₁)(1, −1): every estimate is exact.
    func testTwoActionOneStepIsExact() throws {
        let toy = Toy(binaryTarget: 0.499)
        var c = TrainingConfiguration()
        c.episodes = 1
        c.threads = 1
        var policy = TabularPolicy(stateCount: 1, actionCount: 2)
        policy.parameters = [0.7, -0.2]
        var session = try EstimatorRegistry.descriptor(named: "optimal").makeSession(environment: toy, policy: policy, configuration: c)
        let exact = try XCTUnwrap(session.exactGradient())
        for r in 0..<10 {
            let g = try session.estimate(replicate: r, normalised: false)
            for i in 0..<2 { XCTAssertEqual(g[i], exact[i], accuracy: 1e-15) }
        }
    }

    /// Without known dynamics it is refused with one line.
    func testRefusedWithoutKnownDynamics() throws {
        let env = try FactorisedCategorical(variables: 2, categories: 2, interaction: 0)
        var c = TrainingConfiguration()
        c.episodes = 2
        let context = try EstimatorContext(environment: env, configuration: c)
        XCTAssertThrowsError(try EstimatorRegistry.descriptor(named: "optimal").makeEstimator(context: context)) { error in
            XCTAssertEqual((error as? InputError)?.message,
                           "optimal cannot run on factorised: it needs known dynamics (an environment conforming to KnownDynamics: "
                           + "a transition table) to compute b* exactly")
        }
    }
}

/// Two cases the conformance check must treat as what they are, not as errors or bias.
final class ConformanceEdgeTests: XCTestCase {
    /// An estimator exact on a problem (estimates equal to ∇J to rounding, a variance at
    /// rounding level) is unbiased there: the optimal baseline on the binary toy.
    func testExactToRoundingCountsAsUnbiased() throws {
        let problems = try EstimatorConformance.problems().filter { $0.name == "binary toy" }
        let report = try EstimatorConformance.check(EstimatorRegistry.descriptor(named: "optimal"), problems: problems)
        XCTAssertTrue(report.measurements.first?.isExact ?? false)
        XCTAssertTrue(report.holds, report.failure ?? "")
    }

    /// A problem whose actions are too few for the sampler's group (K = 4 distinct actions of
    /// two) is skipped with the sampler's reason, not thrown.
    func testAProblemTheSamplerCannotDrawIsSkipped() throws {
        let problems = try EstimatorConformance.problems().filter { $0.name == "binary toy" }
        let report = try EstimatorConformance.check(EstimatorRegistry.descriptor(named: "unordered-set"), problems: problems)
        XCTAssertEqual(report.skipped.map(\.problem), ["binary toy"])
        XCTAssertEqual(report.skipped.first?.reason, "its sampler draws K distinct actions, so K must be at most the 2 actions, got K = 4")
        XCTAssertEqual(report.failure, "it runs on none of the problems")
    }
}
