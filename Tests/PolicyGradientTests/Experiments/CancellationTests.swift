@testable import PolicyGradient
import XCTest

/// Long experiments stop on a ``Cancellation`` request and return exactly what completed.
final class CancellationTests: XCTestCase {
    override func tearDown() {
        Cancellation.reset()
        super.tearDown()
    }

    func variant(_ name: String = "none", iterations: Int = 200) -> SweepVariant {
        var c = TrainingConfiguration()
        c.iterations = iterations
        c.episodes = 4
        c.threads = 1
        return SweepVariant(estimator: EstimatorSpec(name), configuration: c)
    }

    func sweep(_ seeds: [UInt64], cancelAt: Int? = nil) throws -> SweepResult {
        let env = Bandit.bernoulli([0.2, 0.8])
        return try SeedSweep.run(variant(), seeds: seeds, threads: 1, environment: { _ in env }, progress: { done in
            if let cancelAt, done >= cancelAt { Cancellation.request() }
        })
    }

    /// A request after two seeds of 200 updates: the sweep returns those two, marked
    /// interrupted, with exactly the curves and finals of a sweep of only those seeds.
    func testASweepKeepsTheSeedsThatCompleted() throws {
        let seeds: [UInt64] = Array(1...10)
        let stopped = try sweep(seeds, cancelAt: 400)
        Cancellation.reset()
        XCTAssertTrue(stopped.interrupted)
        XCTAssertEqual(stopped.seeds, [1, 2])
        let alone = try sweep([1, 2])
        XCTAssertFalse(alone.interrupted)
        XCTAssertEqual(stopped.curves, alone.curves)
        XCTAssertEqual(stopped.finals, alone.finals)
        XCTAssertEqual(stopped.iterationsToThreshold.count, 2)
    }

    /// A request part-way through a seed abandons that seed: it is in no result, curves included.
    func testASeedStoppedPartWayIsLeftOut() throws {
        let stopped = try sweep(Array(1...10), cancelAt: 264)  // seed 2 at its 64th update
        Cancellation.reset()
        XCTAssertEqual(stopped.seeds, [1])
        XCTAssertEqual(stopped.curves, try sweep([1]).curves)
        XCTAssertEqual(stopped.curves.summaries("mean_return").map(\.count), Array(repeating: 1, count: 200))
    }

    /// A warm-up stops between batches: requested before it starts, it fits nothing, so the
    /// estimate is that of a session never warmed up (a warm-up that ran would change it).
    func testAWarmUpStopsBetweenBatches() throws {
        let env = Bandit.tenArmedTestbed(seed: 1, mean: 4)
        func session() throws -> any TrainingSession {
            try EstimatorSpec("ema").makeSession(environment: env, policy: TabularPolicy(stateCount: 1, actionCount: 10),
                                                 configuration: TrainingConfiguration())
        }
        var fresh = try session()
        let cold = try fresh.estimate(replicate: 0, normalised: false)
        var warmed = try session()
        try warmed.warmUp(batches: 5)
        XCTAssertNotEqual(try warmed.estimate(replicate: 0, normalised: false), cold, "the warm-up moves the baseline")
        var stopped = try session()
        Cancellation.request()
        try stopped.warmUp(batches: 50)
        Cancellation.reset()
        XCTAssertEqual(try stopped.estimate(replicate: 0, normalised: false), cold)
    }

    /// A study stops after the estimate it is on: the current row covers the estimates drawn
    /// (its statistics count them), later estimators are not measured.
    func testAStudyKeepsThePartialRow() throws {
        let env = Bandit.bernoulli([0.2, 0.8])
        let policy = TabularPolicy(stateCount: 1, actionCount: 2)
        let rows = try VarianceStudy.run(environment: env, policy: policy, variants: [variant(), variant("ema")],
                                         replicates: 100, warmUpBatches: 0, progress: { if $0 == 5 { Cancellation.request() } })
        XCTAssertEqual(rows.map(\.label), ["none"])
        XCTAssertEqual(rows.first?.statistics.count, 5)
        Cancellation.reset()
        let whole = try VarianceStudy.run(environment: env, policy: policy, variants: [variant()], replicates: 5,
                                          warmUpBatches: 0)
        XCTAssertEqual(rows.first?.statistics.mean, whole.first?.statistics.mean, "the same 5 replicates")
        Cancellation.request()
        XCTAssertEqual(try VarianceStudy.run(environment: env, policy: policy, variants: [variant()], replicates: 5).count, 0)
    }
}
