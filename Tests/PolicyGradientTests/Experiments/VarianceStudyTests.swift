@testable import PolicyGradient
import XCTest

/// ``VarianceStudy``: common random numbers, bias verdicts, warm-up and trained policies.
final class VarianceStudyTests: XCTestCase {
    func variant(_ name: String, label: String? = nil, settings: [String: SettingValue] = [:],
                 _ configure: (inout TrainingConfiguration) -> Void = { _ in }) throws -> SweepVariant {
        var c = TrainingConfiguration()
        c.episodes = 8
        c.seed = 5
        c.threads = 1
        configure(&c)
        return SweepVariant(label: label, estimator: EstimatorSpec(name, settings: try estimatorSettings(name, settings)),
                            configuration: c)
    }

    func testReinforceUnbiasedGumbelBiasedOnToy() throws {
        let env = Toy(binaryTarget: 0.45)
        let policy = TabularPolicy(stateCount: 1, actionCount: 2)
        let rows = try VarianceStudy.run(environment: env, policy: policy, variants: [
            try variant("none"), try variant("vimco", settings: ["samples": .integer(2)]), try variant("gumbel"),
        ], replicates: 1500)
        XCTAssertEqual(rows.map(\.label), ["none", "vimco", "gumbel"])
        XCTAssertEqual(rows[0].statistics.exact?.isConsistentWithZeroBias, true)
        XCTAssertEqual(rows[1].statistics.exact?.isConsistentWithZeroBias, true)
        XCTAssertEqual(rows[2].statistics.exact?.isConsistentWithZeroBias, false)
        XCTAssertEqual(rows.map(\.sharedDraws), ["inverse-cdf 8", "inverse-cdf 8", "gumbel-max 8"])
        XCTAssertTrue(rows.allSatisfy { $0.secondsPerEstimate > 0 && $0.varianceTimesTime > 0 })
    }

    func testReinforceBaselinesSeeTheSameEpisodes() throws {
        // Before any batch the ema baseline is 0, so on common random numbers `ema` and `none`
        // must give bit-identical estimates replicate by replicate; a different seed must not.
        let env = Bandit.tenArmedTestbed(seed: 2)
        let policy = TabularPolicy(stateCount: 1, actionCount: 10)
        let rows = try VarianceStudy.run(environment: env, policy: policy, variants: [
            try variant("none"), try variant("ema"), try variant("none", label: "other seed") { $0.seed = 6 },
        ], replicates: 5, warmUpBatches: 0)
        XCTAssertEqual(rows[0].statistics.mean, rows[1].statistics.mean)
        XCTAssertEqual(rows[0].statistics.coordinateVariances, rows[1].statistics.coordinateVariances)
        XCTAssertNotEqual(rows[0].statistics.mean, rows[2].statistics.mean)
        let fl = try EnvironmentRegistry.make("FrozenLake-v1-4x4", options: testEnvironmentOptions)
        for (name, env, warm) in [("none", env as any Environment, false), ("nvil", env, true), ("st-gumbel", fl, true),
                                  ("gumbel", Toy(binaryTarget: 0.45), false)] {
            let s = try EstimatorSpec(name).makeSession(environment: env, policy: PolicySpec().make(for: env, seed: 1),
                                                        configuration: TrainingConfiguration())
            XCTAssertEqual(s.needsWarmUp, warm, "\(name) on \(env.id)")
        }
    }

    func testTrainedPolicyMoves() throws {
        let env = Bandit.tenArmedTestbed(seed: 2)
        let start = TabularPolicy(stateCount: 1, actionCount: 10)
        let trained = try VarianceStudy.trainedPolicy(environment: env, policy: start, variant: try variant("ema"), iterations: 10)
        XCTAssertNotEqual(trained.parameters, start.parameters)
        let none = try VarianceStudy.trainedPolicy(environment: env, policy: start, variant: try variant("ema"), iterations: 0)
        XCTAssertEqual(none.parameters, start.parameters)
    }
}
