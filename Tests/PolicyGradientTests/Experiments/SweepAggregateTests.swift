@testable import PolicyGradient
import XCTest

/// Shards, mergeable sweep aggregates and their JSONL round trip.
final class SweepAggregateTests: XCTestCase {
    func variant() -> SweepVariant {
        var c = TrainingConfiguration()
        c.episodes = 4
        c.iterations = 12
        return SweepVariant(estimator: EstimatorSpec("ema"), configuration: c)
    }

    func sweep(indices: [Int]) throws -> SweepAggregate {
        let r = try SeedSweep.run(variant(), seeds: indices.map { 100 + UInt64($0) }, threads: 2, threshold: 0.5,
                                  measureGradientError: true) { Bandit.tenArmedTestbed(seed: $0) }
        return SweepAggregate(r, seedIndices: indices)
    }

    func testShardIndices() throws {
        XCTAssertEqual(try SweepShard(parsing: "1/3").indices(seeds: 10), [1, 4, 7])
        XCTAssertEqual(SweepShard.whole.indices(seeds: 3), [0, 1, 2])
        XCTAssertThrowsError(try SweepShard(parsing: "3/3"))
        XCTAssertThrowsError(try SweepShard(parsing: "-1/2"))
        XCTAssertThrowsError(try SweepShard(parsing: "1"))
        let all = (0..<4).flatMap { try! SweepShard(index: $0, count: 4).indices(seeds: 11) }.sorted()
        XCTAssertEqual(all, Array(0..<11), "shards partition the seeds")
    }

    func testMergingShardsMatchesTheWholeSweep() throws {
        let whole = try sweep(indices: Array(0..<9))
        var merged = try sweep(indices: [2, 5, 8])
        try merged.merge(try sweep(indices: [0, 3, 6]))
        try merged.merge(try sweep(indices: [1, 4, 7]))
        XCTAssertEqual(merged.seedIndices, whole.seedIndices)
        XCTAssertEqual(merged.finals, whole.finals)
        XCTAssertEqual(merged.iterationsToThreshold, whole.iterationsToThreshold)
        XCTAssertEqual(merged.finalSummary, whole.finalSummary)
        for metric in ["exact_j", "mean_return", "grad_sq_error"] {
            for (a, b) in zip(merged.curves.summaries(metric), whole.curves.summaries(metric)) {
                XCTAssertEqual(a.count, 9)
                XCTAssertEqual(a.mean, b.mean, accuracy: 1e-12 * max(1, abs(b.mean)))
                XCTAssertEqual(a.sumOfSquaredDeviations, b.sumOfSquaredDeviations, accuracy: 1e-12 * max(1, b.sumOfSquaredDeviations))
            }
        }
        XCTAssertThrowsError(try merged.merge(try sweep(indices: [4])), "a seed held twice")
    }

    func testJSONRoundTripIsExact() throws {
        let a = try sweep(indices: [0, 2, 4, 6])
        let text = (a.curveLines + [a.finalLine]).map { $0.text }.joined(separator: "\n") + "\n"
        let back = try SweepAggregate.read(try JSONLReader.parse(text), iterations: 12)
        XCTAssertEqual(back.count, 1)
        XCTAssertEqual(back[0].curves, a.curves)
        XCTAssertEqual(back[0].finals, a.finals)
        XCTAssertEqual(back[0].seeds, a.seeds)
        XCTAssertEqual(back[0].iterationsToThreshold, a.iterationsToThreshold)
    }

    func testMedianAndFractionToThreshold() {
        func make(_ hits: [Int?]) -> SweepAggregate {
            SweepAggregate(label: "x", curves: CurveAccumulator(iterations: 1), seedIndices: Array(hits.indices),
                           seeds: hits.indices.map { UInt64($0) }, finals: hits.map { _ in 0 },
                           iterationsToThreshold: hits, seconds: 0)
        }
        XCTAssertEqual(make([5, nil, 3]).medianIterationsToThreshold, 5, "never counts as +infinity")
        XCTAssertEqual(make([5, 1, 3, 9]).medianIterationsToThreshold, 4)
        XCTAssertNil(make([5, nil, nil, 2]).medianIterationsToThreshold, "half never reached")
        XCTAssertEqual(make([5, nil, nil, 2]).reachedFraction, 0.5)
    }

    func testRunningMomentsFromFields() {
        let m = RunningMoments([1, 2, 4])
        let copy = RunningMoments(count: m.count, mean: m.mean, sumOfSquaredDeviations: m.sumOfSquaredDeviations)
        XCTAssertEqual(copy, m)
        XCTAssertEqual(RunningMoments(count: 0, mean: 7, sumOfSquaredDeviations: 3), RunningMoments())
    }

    func testJSONLReaderNamesTheLine() {
        XCTAssertThrowsError(try JSONLReader.parse("{\"a\":1}\n\n{\"b\":\n", file: "f.jsonl")) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.file, "f.jsonl")
            XCTAssertEqual(e?.line, 3)
        }
    }

    func testCurvesFileEveryMetricUnderItsName() {
        var r = IterationRecord()
        r.iteration = 1
        r.meanReturn = 1; r.exactJ = 2; r.optimalActionFraction = 3; r.gradientNorm = 4; r.gradientError = 5; r.entropy = 6
        var c = CurveAccumulator(iterations: 3)
        c.add(r)
        r.iteration = 3  // out of range: ignored
        c.add(r)
        for (metric, value) in zip(CurveAccumulator.metrics, CurveAccumulator.values(of: r)) {
            let curve = c.curve(metric)
            XCTAssertEqual(curve.count, 3)
            XCTAssertNil(curve[0], metric)
            XCTAssertEqual(curve[1]?.mean, value, metric)
            XCTAssertEqual(c.summaries(metric)[1].count, 1, metric)
        }
        // A metric a record lacks (or a non-finite value) adds nothing.
        r.iteration = 2; r.exactJ = nil; r.entropy = .nan
        c.add(r)
        XCTAssertNil(c.curve("exact_j")[2])
        XCTAssertNil(c.curve("entropy")[2])
        XCTAssertEqual(c.curve("mean_return")[2]?.mean, 1)
    }
}
