import Foundation
@testable import PolicyGradient
import XCTest

/// IndeCateR: the exact per-state sum by hand and by finite differences, exact in one-step
/// problems, its cost logged, and why its episode form continues with the policy.
final class IndeCateRTests: XCTestCase {
    /// Σ_a ∇π(a) q_a on the logits: π = (0.5, 0.3, 0.2), q = (1, 2, 4), Σ π q = 1.9, so
    /// c = (0.5 · −0.9, 0.3 · 0.1, 0.2 · 2.1) = (−0.45, 0.03, 0.42), scaled by 2.
    func testExactSumHandComputed() {
        var row = [1.0, 0, 0]
        [0.5, 0.3, 0.2].withUnsafeBufferPointer { p in [1.0, 2, 4].withUnsafeBufferPointer { q in
            row.withUnsafeMutableBufferPointer { IndeCateR.addExactSum(values: q, probabilities: p, scale: 2, into: $0) }
        } }
        XCTAssertEqual(row[0], 1 - 0.9, accuracy: 1e-15)
        XCTAssertEqual(row[1], 0.06, accuracy: 1e-15)
        XCTAssertEqual(row[2], 0.84, accuracy: 1e-15)
    }

    /// The sum is the gradient of l ↦ Σ softmax(l)_a q_a, by central differences.
    func testExactSumByFiniteDifferences() {
        let l = [0.4, -1.1, 0.9, 0.0], q = [2.0, -1.0, 0.5, 3.0]
        var row = [Double](repeating: 0, count: 4)
        CV.softmax(l).withUnsafeBufferPointer { p in q.withUnsafeBufferPointer { qq in
            row.withUnsafeMutableBufferPointer { IndeCateR.addExactSum(values: qq, probabilities: p, scale: 1, into: $0) }
        } }
        for k in 0..<4 {
            let e = { (x: [Double]) in zip(CV.softmax(x), q).reduce(0) { $0 + $1.0 * $1.1 } }
            var up = l, down = l
            up[k] += 1e-6
            down[k] -= 1e-6
            XCTAssertEqual(row[k], (e(up) - e(down)) / 2e-6, accuracy: 1e-8)
        }
    }

    /// In a one-step problem with a deterministic reward every estimate is ∇J, and the cost is
    /// logged: N · A continuations of one step each.
    func testOneStepEstimatesAreExactAndTheCostIsLogged() throws {
        for env in [Toy(binaryTarget: 0.499), Toy(targets: [0.1, 0.6, 0.3, 0.8])] {
            var c = TrainingConfiguration()
            c.episodes = 6
            c.threads = 1
            var policy = TabularPolicy(stateCount: 1, actionCount: env.actionCount)
            policy.parameters = (0..<env.actionCount).map { 0.3 * Double($0) - 0.4 }
            var session = try IndeCateR.descriptor.makeSession(environment: env, policy: policy, configuration: c)
            let exact = try XCTUnwrap(session.exactGradient())
            for r in 0..<5 {
                let g = try session.estimate(replicate: r, normalised: false)
                for (x, y) in zip(g, exact) { XCTAssertEqual(x, y, accuracy: 1e-14) }
            }
            let record = try session.step()
            XCTAssertEqual(record.branchEpisodes, 6 * env.actionCount)
            XCTAssertEqual(record.branchSteps, 6 * env.actionCount)
        }
    }

    /// In episodes every visited step branches into A · M continuations, each of at least one step.
    func testEpisodeCostIsAMPerVisitedStep() throws {
        let env = try EstimatorConformance.problems()[2].environment
        var c = TrainingConfiguration()
        c.episodes = 8
        c.threads = 1
        var values = SettingValues()
        values.set(IndeCateR.continuationsSetting, .integer(3))
        var session = try IndeCateR.descriptor.makeSession(environment: env, policy: TabularPolicy(stateCount: env.stateCount,
                                                           actionCount: env.actionCount), configuration: c, settings: values)
        let record = try session.step()
        let steps = record.meanLength * Double(record.episodes)
        XCTAssertEqual(Double(record.branchEpisodes), steps * Double(env.actionCount * 3), accuracy: 1e-9)
        XCTAssertGreaterThanOrEqual(record.branchSteps, record.branchEpisodes)
    }

    /// Why the episode form continues with the policy: on a two-step problem where the first
    /// action picks the second state and the second state's reward depends on its own action,
    /// continuing an alternative first action with the recorded second action (drawn in the
    /// other state) is biased — the zero-bias test rejects it — while the policy continuation
    /// passes.
    func testRecordedActionsAreBiasedAndPolicyContinuationIsNot() throws {
        let o = { (n: Int, r: Double, t: Bool) in Outcome(probability: 1, next: n, reward: r, terminated: t) }
        let model = TabularModel(start: [1, 0, 0, 0], outcomes: [
            [[o(1, 0, false)], [o(2, 0, false)]],
            [[o(3, 1, true)], [o(3, 0, true)]],
            [[o(3, 0, true)], [o(3, 1, true)]],
            [[o(3, 0, true)], [o(3, 0, true)]],
        ])
        let env = TabularEnvironment(id: "fork", model: model, timeLimit: 2)
        // State 1 prefers action 0 and state 2 action 1, so a second action recorded in one
        // state is mostly the wrong one in the other; state 0 prefers action 0, so the errors of
        // the two first actions do not cancel.
        var policy = TabularPolicy(stateCount: 4, actionCount: 2)
        policy.parameters = [1, 0, 1.5, -1.5, -0.5, 0.5, 0, 0]
        func verdict(_ estimator: IndeCateR) throws -> GradientStatistics.Comparison {
            var c = TrainingConfiguration()
            c.episodes = 2
            c.threads = 1
            let d = EstimatorDescriptor(name: "indecater-variant", summary: "IndeCateR", claim: .unbiased) { _, _ in estimator }
            var session = try d.makeSession(environment: env, policy: policy, configuration: c)
            let exact = try XCTUnwrap(session.exactGradient()), r = 1000
            var estimates: [Double] = []
            for i in 0..<r { estimates += try session.estimate(replicate: i, normalised: false) }
            return try XCTUnwrap(GradientStatistics(estimates: estimates, count: r, dimension: exact.count, exactGradient: exact,
                                                    significance: 0.001).exact)
        }
        let recorded = try verdict(IndeCateR(continuation: .recordedActions))
        XCTAssertFalse(recorded.isConsistentWithZeroBias, "max |z| \(recorded.maxAbsZ)")
        XCTAssertGreaterThan(recorded.relativeBias, 0.3)
        let continued = try verdict(IndeCateR())
        XCTAssertTrue(continued.isConsistentWithZeroBias, "max |z| \(continued.maxAbsZ)")
    }
}
