import ExampleEnvironments
import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// The README's worked example of a user's own estimator: `state-mean`, registered from the
/// example package, measured by `pg variance` (zero-bias verdict against the exact gradient,
/// common random numbers with the built-ins), swept by `pg compare` and trained by `pg train`.
final class StateMeanBaselineTests: XCTestCase {
    override func setUp() {
        super.setUp()
        EnvironmentRegistry.register(name: "chain", description: "slippery 3-state chain walk") { _ in Chain() }
        EstimatorRegistry.register(StateMeanBaseline.descriptor)
    }

    override func tearDown() {
        EnvironmentRegistry.unregister(name: "chain")
        EstimatorRegistry.unregister(name: "state-mean")
        super.tearDown()
    }

    func run(_ args: [String]) -> (status: Int32, out: String, err: String) {
        var out = "", err = ""
        let status = PGCommand.run(args, output: Output(out: { out += $0 }, err: { err += $0 }), name: "pg")
        return (status, out, err)
    }

    func rows(_ path: String, type: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["type"] as? String == type }
    }

    func temporary() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("state-mean-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    /// Unbiased within the test's noise floor, and below `none`'s variance on the same episodes.
    func testVarianceFindsItUnbiasedAndBelowNone() throws {
        let out = try temporary() + "/v.jsonl"
        let r = run(["variance", "--env", "chain", "--estimators", "state-mean,none", "--replicates", "400", "--batch", "8",
                     "--threads", "1", "--quiet", "--out", out])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("shared draws: state-mean, none saw the same episodes"), r.out)
        let lines = try rows(out, type: "estimator")
        XCTAssertEqual(lines.map { $0["estimator"] as? String }, ["state-mean", "none"])
        XCTAssertEqual(lines[0]["zero_bias_consistent"] as? Bool, true, r.out)
        XCTAssertEqual(lines[0]["warmed_up"] as? Bool, true, r.out)
        let v = try XCTUnwrap(lines[0]["variance"] as? Double), none = try XCTUnwrap(lines[1]["variance"] as? Double)
        XCTAssertLessThan(v, none, r.out)
    }

    /// A baseline that uses the reward it multiplies is caught: the same harness, a biased twin.
    func testVarianceWouldCatchABiasedBaseline() throws {
        EstimatorRegistry.register(EstimatorDescriptor(name: "peeking", summary: "biased on purpose", isBaseline: true,
                                                       claim: .biased(because: "it peeks at the reward it multiplies")) { _, _ in
            Reinforce(baseline: Peeking())
        })
        defer { EstimatorRegistry.unregister(name: "peeking") }
        let out = try temporary() + "/v.jsonl"
        let r = run(["variance", "--env", "chain", "--estimators", "peeking", "--replicates", "400", "--batch", "8",
                     "--threads", "1", "--quiet", "--out", out])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(try rows(out, type: "estimator").first?["zero_bias_consistent"] as? Bool, false, r.out)
    }

    /// `pg compare` sweeps it beside a built-in, and `pg train` learns the chain with it.
    func testCompareAndTrainRunIt() throws {
        let dir = try temporary()
        let c = run(["compare", "--env", "chain", "--estimators", "state-mean,ema", "--seeds", "4", "--iterations", "40",
                     "--quiet", "--out", dir + "/c.jsonl"])
        XCTAssertEqual(c.status, 0, c.err)
        XCTAssertEqual(try rows(dir + "/c.jsonl", type: "final").map { $0["variant"] as? String }, ["state-mean", "ema"])
        let t = run(["train", "--env", "chain", "--estimator", "state-mean", "--iterations", "60", "--quiet",
                     "--out", dir + "/t.jsonl"])
        XCTAssertEqual(t.status, 0, t.err)
        let records = try rows(dir + "/t.jsonl", type: "iteration")
        let first = try XCTUnwrap(records.first?["exact_j"] as? Double), last = try XCTUnwrap(records.last?["exact_j"] as? Double)
        XCTAssertGreaterThan(last, first + 0.1, "J \(first) → \(last)")
    }
}

/// The README's library example, as printed there.
final class ReadmeLibraryExampleTests: XCTestCase {
    func testTheLibraryExampleGivesTheQuickStartNumbers() throws {
        let env = Bandit.tenArmedTestbed(seed: 1)
        var session = try EstimatorSpec("nvil").makeSession(environment: env,
                                                            policy: TabularPolicy(stateCount: 1, actionCount: 10),
                                                            configuration: TrainingConfiguration())
        for _ in 0..<200 { _ = try session.step() }
        XCTAssertEqual(try XCTUnwrap(session.exactJ()), 2.964, accuracy: 0.0005)
        XCTAssertEqual(try XCTUnwrap(session.optimalJ), 2.9716, accuracy: 0.0001)
    }
}

/// b = the return of the step it centres: uses a_t's own outcome, so REINFORCE is biased.
private struct Peeking: Baseline {
    func value(in group: EpisodeGroup, episode j: Int, step t: Int) -> Double { 0.9 * group.returnToGo(j, t) }
    mutating func update(after batch: BatchAccumulator) {}
}
