import PolicyGradient
import XCTest

/// ``VarianceStudy``: common random numbers, bias verdicts, warm-up and trained policies.
final class VarianceStudyTests: XCTestCase {
    func variant(_ label: String, _ configure: (inout TrainingConfiguration) -> Void) -> SweepVariant {
        var c = TrainingConfiguration()
        c.batch = 8
        c.seed = 5
        c.threads = 1
        configure(&c)
        return SweepVariant(label: label, configuration: c)
    }

    func testReinforceUnbiasedGumbelBiasedOnToy() throws {
        let env = Toy(binaryTarget: 0.45)
        let policy = TabularPolicy(stateCount: 1, actionCount: 2)
        let rows = try VarianceStudy.run(environment: env, policy: policy, variants: [
            variant("none") { _ in },
            variant("vimco") { $0.baseline = .vimco; $0.samples = 2; $0.batch = 4 },
            variant("gumbel") { $0.estimator = .gumbel },
        ], replicates: 1500)
        XCTAssertEqual(rows.map(\.label), ["none", "vimco", "gumbel"])
        XCTAssertEqual(rows[0].statistics.exact?.isConsistentWithZeroBias, true)
        XCTAssertEqual(rows[1].statistics.exact?.isConsistentWithZeroBias, true)
        XCTAssertEqual(rows[2].statistics.exact?.isConsistentWithZeroBias, false)
        XCTAssertEqual(rows.map(\.sharedDraws), ["reinforce 8", "reinforce 8", "gumbel 8"])
        XCTAssertTrue(rows.allSatisfy { $0.secondsPerEstimate > 0 && $0.varianceTimesTime > 0 })
    }

    func testReinforceBaselinesSeeTheSameEpisodes() throws {
        // Before any batch the ema baseline is 0, so on common random numbers `ema` and `none`
        // must give bit-identical estimates replicate by replicate; a different seed must not.
        let env = Bandit.tenArmedTestbed(seed: 2)
        let policy = TabularPolicy(stateCount: 1, actionCount: 10)
        let rows = try VarianceStudy.run(environment: env, policy: policy, variants: [
            variant("none") { _ in }, variant("ema") { $0.baseline = .ema }, variant("other seed") { $0.seed = 6 },
        ], replicates: 5, warmUpBatches: 0)
        XCTAssertEqual(rows[0].statistics.mean, rows[1].statistics.mean)
        XCTAssertEqual(rows[0].statistics.coordinateVariances, rows[1].statistics.coordinateVariances)
        XCTAssertNotEqual(rows[0].statistics.mean, rows[2].statistics.mean)
        XCTAssertFalse(VarianceStudy.needsWarmUp(variant("none") { _ in }.configuration))
        XCTAssertTrue(VarianceStudy.needsWarmUp(variant("nvil") { $0.baseline = .nvil }.configuration))
        XCTAssertTrue(VarianceStudy.needsWarmUp(variant("st") { $0.estimator = .stGumbel }.configuration))
    }

    func testTrainedPolicyMoves() throws {
        let env = Bandit.tenArmedTestbed(seed: 2)
        let start = TabularPolicy(stateCount: 1, actionCount: 10)
        let trained = try VarianceStudy.trainedPolicy(environment: env, policy: start,
                                                      configuration: variant("ema") { $0.baseline = .ema }.configuration,
                                                      iterations: 10)
        XCTAssertNotEqual(trained.parameters, start.parameters)
        let none = try VarianceStudy.trainedPolicy(environment: env, policy: start, configuration: TrainingConfiguration(),
                                                   iterations: 0)
        XCTAssertEqual(none.parameters, start.parameters)
    }
}
