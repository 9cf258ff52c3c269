import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// The shipped `envs/` (this file is Tests/PGCommandTests/CompareMergeTests.swift).
private let shippedEnvs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("envs").path

/// Merging compares every setting of the config lines except the shard fields; compare records
/// the optimum for the plot's reference line and refuses curves the environment cannot report.
final class CompareMergeTests: XCTestCase {
    /// Shards run with different thread counts, from another directory (so another env_file
    /// path), merge; the merged file is the whole sweep's.
    func testShardsDifferingOnlyInShardFieldsMerge() throws {
        let dir = try temporaryDirectory(self)
        try FileManager.default.createDirectory(atPath: dir + "/other", withIntermediateDirectories: true)
        let map = try String(contentsOfFile: shippedEnvs + "/FrozenLake-v1-4x4.txt", encoding: .utf8)
        try map.write(toFile: dir + "/FrozenLake-v1-4x4.txt", atomically: true, encoding: .utf8)
        try map.write(toFile: dir + "/other/FrozenLake-v1-4x4.txt", atomically: true, encoding: .utf8)
        let base = ["compare", "--estimators", "none,ema", "--seeds", "4", "--iterations", "3", "--batch", "4", "--quiet"]
        for (i, (path, threads)) in [(dir + "/FrozenLake-v1-4x4.txt", "1"), (dir + "/other/FrozenLake-v1-4x4.txt", "2")].enumerated() {
            let r = runPG(base + ["--env", path, "--threads", threads, "--shard", "\(i)/2", "--out", dir + "/s\(i).jsonl"])
            XCTAssertEqual(r.status, 0, r.err)
        }
        let m = runPG(["compare", "--merge", dir + "/s0.jsonl", dir + "/s1.jsonl", "--no-plot", "--out", dir + "/m.jsonl"])
        XCTAssertEqual(m.status, 0, m.err)
        let whole = runPG(base + ["--env", dir + "/FrozenLake-v1-4x4.txt", "--threads", "1", "--no-plot", "--out", dir + "/w.jsonl"])
        XCTAssertEqual(whole.status, 0, whole.err)
        let finals = { (p: String) in try jsonLines(p).filter { $0["type"]?.stringValue == "final" }.map { $0["final"] } }
        XCTAssertEqual(try finals(dir + "/m.jsonl"), try finals(dir + "/w.jsonl"))
        XCTAssertEqual(try jsonLines(dir + "/m.jsonl").last?["status"]?.stringValue, "completed")
        XCTAssertEqual(runPG(["plot", dir + "/s0.jsonl", dir + "/s1.jsonl", "--out", dir + "/p.svg"]).status, 0)
    }

    /// A mismatch names the first differing field by its path and shows both values.
    func testTheFirstDifferenceIsNamedByItsPath() throws {
        let a = try JSONParser.parse(#"{"type":"config","lr":0.1,"threads":1,"shard_index":0,"env_file":"a/x.txt","env":"a/x.txt","#
                                     + #""estimators":[{"label":"gumbel","settings":{"tau":1}}]}"#)
        let b = try JSONParser.parse(#"{"type":"config","lr":0.1,"threads":4,"shard_index":1,"env_file":"b/x.txt","env":"b/x.txt","#
                                     + #""estimators":[{"label":"gumbel","settings":{"tau":0.5}}]}"#)
        let d = try XCTUnwrap(CompareFile.mismatch(b, a))
        XCTAssertEqual(d.field, "estimators[0].settings.tau")
        XCTAssertEqual([d.values.0, d.values.1], ["0.5", "1"])
        XCTAssertNil(CompareFile.mismatch(a, a))
        let c = try JSONParser.parse(#"{"type":"config","lr":0.1,"env":"x.txt","estimators":[{"label":"gumbel","settings":{"tau":1}}],"seed":2}"#)
        XCTAssertEqual(CompareFile.mismatch(c, a)?.field, "seed", "env by file name, then the extra key")
    }

    /// Compare records J* when every seed shares the environment; bandit10 draws one per seed.
    func testCompareRecordsTheOptimum() throws {
        let dir = try temporaryDirectory(self)
        XCTAssertEqual(runPG(["compare", "--env", "FrozenLake-v1", "--estimators", "none", "--seeds", "2", "--iterations", "2",
                              "--batch", "2", "--quiet", "--no-plot", "--out", dir + "/f.jsonl"]).status, 0)
        let env = try EnvironmentRegistry.make("FrozenLake-v1", options: {
            var o = EnvironmentOptions()
            o.directories = [shippedEnvs]
            return o
        }())
        let optimum = ExactGradient.optimalValue(model: try XCTUnwrap((env as? any KnownDynamics)?.model), horizon: env.timeLimit, gamma: 1)
        XCTAssertEqual(try XCTUnwrap(try jsonLines(dir + "/f.jsonl")[0]["optimal_j"]?.doubleValue), optimum, accuracy: 1e-15)
        XCTAssertEqual(runPG(["compare", "--env", "bandit10", "--estimators", "none", "--seeds", "2", "--iterations", "2",
                              "--batch", "2", "--quiet", "--no-plot", "--out", dir + "/b.jsonl"]).status, 0)
        XCTAssertEqual(try jsonLines(dir + "/b.jsonl")[0]["optimal_j"], .null)
    }

    /// The curves each kind of environment reports.
    func testTheMetricsOfAnEnvironment() throws {
        typealias S = CompareCommand.Sweep
        XCTAssertEqual(S.metrics(of: Bandit.bernoulli([0.1, 0.9])), CurveAccumulator.metrics)
        XCTAssertEqual(S.metrics(of: try Gridworld.load(path: shippedEnvs + "/CliffWalking-v1.txt")),
                       ["mean_return", "exact_j", "grad_norm", "grad_sq_error", "entropy"])
        XCTAssertEqual(S.metrics(of: EndlessWalk()), ["mean_return", "grad_norm", "entropy"])
    }
}

/// Never terminates and has no table: the metrics of an environment without known dynamics.
struct EndlessWalk: Environment {
    var id: String { "endless" }
    var actionCount: Int { 2 }
    var stateCount: Int { 3 }
    var timeLimit: Int { 5 }
    mutating func reset(using rng: inout RandomStream) -> Int { 0 }
    mutating func step(_ action: Int, using rng: inout RandomStream) -> StepResult { StepResult(state: action, reward: 1, terminated: false) }
}
