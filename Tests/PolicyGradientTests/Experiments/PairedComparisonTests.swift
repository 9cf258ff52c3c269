import Foundation
import PolicyGradient
import XCTest

/// Paired comparisons: seeds pair up by index, the numbers by hand, common random numbers
/// across estimators that sample alike, and the traces the pairing reads.
final class PairedComparisonTests: XCTestCase {
    func aggregate(_ label: String, indices: [Int], finals: [Double], optima: [Double] = [],
                   areas: [Double]? = nil) -> SweepAggregate {
        let traces = (areas ?? []).map { SeedTrace(level: [$0], episodes: [1], steps: [1], area: $0) }
        return SweepAggregate(label: label, curves: CurveAccumulator(iterations: 1), seedIndices: indices,
                              seeds: indices.map { UInt64($0 + 1) }, finals: finals,
                              iterationsToThreshold: indices.map { _ in nil }, traces: traces, optima: optima, seconds: 0)
    }

    /// Seeds 0…3 in another order, seed 4 only in one of them; d = (0.5, −0.5, 1, 0.2):
    /// mean 0.3, s = √(0.5533…/3), SE = s/2, t_{0.975,3} = 3.182.
    func testPairsBySeedIndexByHand() throws {
        let v = aggregate("v", indices: [0, 1, 2, 3, 4], finals: [1, 2, 3, 4, 9], optima: [2, 2, 4, 4, 9],
                          areas: [1, 1, 1, 1, 1])
        let r = aggregate("r", indices: [3, 2, 1, 0], finals: [3.8, 2, 2.5, 0.5], optima: [4, 4, 2, 2], areas: [0, 0, 0, 2])
        let d = PairedComparison.differences(v, reference: r)
        XCTAssertEqual(d.map(\.quantity), ["final J", "J/J*", "area"])
        let mean = 0.3, s = ((0.04 + 0.64 + 0.49 + 0.01) / 3).squareRoot()
        XCTAssertEqual(d[0].pairs, 4)
        XCTAssertEqual(d[0].mean, mean, accuracy: 1e-12)
        XCTAssertEqual(d[0].standardError, s / 2, accuracy: 1e-12)
        XCTAssertEqual(d[0].upper - d[0].mean, 3.182 * s / 2, accuracy: 2e-3 * s)
        XCTAssertFalse(d[0].separates)
        XCTAssertEqual(d[1].mean, (0.25 - 0.25 + 0.25 + 0.05) / 4, accuracy: 1e-12)
        XCTAssertEqual(d[2].mean, (-1 + 1 + 1 + 1) / 4.0, accuracy: 1e-12)
    }

    func testStudentQuantileMatchesTables() {
        for (nu, t) in [(1.0, 12.7062), (2, 4.3027), (3, 3.1824), (5, 2.5706), (10, 2.2281), (30, 2.0423), (1000, 1.9623)] {
            XCTAssertEqual(GradientStatistics.studentQuantile(0.975, degreesOfFreedom: nu), t, accuracy: 3e-3 * t, "ν \(nu)")
        }
    }

    /// Seed i of every estimator sees the same testbed (bandit10 draws it from the seed: the
    /// same optimum J*) and, where estimators draw actions alike, the same random numbers: the
    /// REINFORCE family (and vimco's K episodes per context) and the Gumbel-max family each see
    /// the same first batch, seed by seed, so the first update's returns agree exactly.
    func testSeedsShareEnvironmentAndRandomNumbers() throws {
        var c = TrainingConfiguration()
        c.episodes = 8
        c.iterations = 3
        let seeds: [UInt64] = [11, 12, 13]
        let env: @Sendable (UInt64) throws -> any Environment = { Bandit.tenArmedTestbed(seed: $0) }
        func run(_ name: String) throws -> SweepResult {
            try SeedSweep.run(SweepVariant(estimator: EstimatorSpec(name), configuration: c), seeds: seeds, threads: 1,
                              environment: env)
        }
        let results = try ["none", "ema", "nvil", "vimco", "gumbel", "st-gumbel"].map(run)
        for r in results {
            XCTAssertEqual(r.optima, results[0].optima, r.label)
            XCTAssertEqual(Set(r.optima).count, 3, "a testbed per seed")
        }
        func firstReturn(_ r: SweepResult) -> RunningMoments { r.curves.summaries("mean_return")[0] }
        for r in results[1...3] { XCTAssertEqual(firstReturn(r), firstReturn(results[0]), r.label) }
        XCTAssertEqual(firstReturn(results[5]), firstReturn(results[4]))
        XCTAssertNotEqual(firstReturn(results[4]), firstReturn(results[0]), "Gumbel-max draws differently")
        var other = c
        other.seed = 99
        let shifted = try SeedSweep.run(SweepVariant(estimator: EstimatorSpec("none"), configuration: other), seeds: [14, 15, 16],
                                        threads: 1, environment: env)
        XCTAssertNotEqual(firstReturn(shifted), firstReturn(results[0]))
    }

    /// A trace's checkpoints, cost and area by hand; the one-step trace (the bandit kernel's)
    /// equals the recorder's.
    func testSeedTraceByHand() {
        XCTAssertEqual(SeedTrace.checkpoints(iterations: 3), [0, 1, 2])
        XCTAssertEqual(SeedTrace.checkpoints(iterations: 1), [0])
        let many = SeedTrace.checkpoints(iterations: 1000)
        XCTAssertEqual(many.count, 64)
        XCTAssertEqual(many.first, 0)
        XCTAssertEqual(many.last, 999)
        var r = SeedTrace.Recorder(iterations: 4)
        r.record(iteration: 0, level: 1, episodes: 2, steps: 5)
        r.record(iteration: 1, level: nil, episodes: 2, steps: 3)
        r.record(iteration: 2, level: nil, episodes: 2, steps: 4)
        r.record(iteration: 3, level: 4, episodes: 2, steps: 1)
        let t = r.finish()
        XCTAssertEqual(t.level, [1, 1, 1, 4])
        XCTAssertEqual(t.episodes, [2, 4, 6, 8])
        XCTAssertEqual(t.steps, [5, 8, 12, 13])
        XCTAssertEqual(t.area, 2.5, "trapezoid from (0, 1) to (3, 4), over 3 updates")
    }

    /// The sweep's traces: the last checkpoint's level is the last update's exact J, the cost
    /// counts every episode, and the area lies between the first and the last level on a
    /// learning bandit.
    func testSweepRecordsTraces() throws {
        var c = TrainingConfiguration()
        c.episodes = 8
        c.iterations = 50
        let r = try SeedSweep.run(SweepVariant(estimator: EstimatorSpec("ema"), configuration: c), seeds: [1, 2], threads: 1,
                                  environment: { Bandit.tenArmedTestbed(seed: $0) })
        XCTAssertEqual(r.traces.count, 2)
        for t in r.traces {
            XCTAssertEqual(t.level.count, 50)
            XCTAssertEqual(t.episodes.last, 400)
            XCTAssertEqual(t.steps.last, 400)
            XCTAssertGreaterThan(t.area, t.level[0])
            XCTAssertLessThan(t.area, t.level[49])
        }
    }

    /// Level [1, 3, 5] at costs [10, 20, 40]: at 30 the level is 4; the mean level up to 30 is
    /// ((1 + 3)/2 · 10 + (3 + 4)/2 · 10) / 20 = 2.75.
    func testLevelAndAreaAtACostByHand() {
        let t = SeedTrace(level: [1, 3, 5], episodes: [1, 2, 3], steps: [10, 20, 40], area: 3)
        let c = [10.0, 20, 40]
        XCTAssertEqual(PairedComparison.level(t, costs: c, at: 30), 4, accuracy: 1e-12)
        XCTAssertEqual(PairedComparison.level(t, costs: c, at: 40), 5, accuracy: 1e-12)
        XCTAssertEqual(PairedComparison.level(t, costs: c, at: 5), 1)
        XCTAssertEqual(PairedComparison.area(t, costs: c, to: 30), 2.75, accuracy: 1e-12)
        XCTAssertEqual(PairedComparison.area(t, costs: c, to: 40), (20 + 80) / 30.0, accuracy: 1e-12)
        XCTAssertEqual(PairedComparison.cost(t, .step, iterations: 3), c)
        XCTAssertEqual(PairedComparison.cost(t, .update, iterations: 3), [1, 2, 3])
        XCTAssertNil(PairedComparison.cost(t, .evaluation, iterations: 3), "no estimator reports f evaluations yet")
        let a = aggregate("a", indices: [0, 1], finals: [0, 0], areas: [1, 1])
        XCTAssertEqual(PairedComparison.budget([a], .step, iterations: 1), 1)
        XCTAssertNil(PairedComparison.budget([a], .evaluation, iterations: 1))
    }
}
