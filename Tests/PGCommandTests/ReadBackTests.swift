import Foundation
import PolicyGradient
import XCTest

/// pg reads back what it wrote, at the ends of the ranges (the largest seeds), and keeps
/// working when a file among the environments is hostile.
final class ReadBackTests: XCTestCase {
    /// Shards of a sweep whose seeds pass `Int.max` and end at `UInt64.max` merge exactly.
    func testShardsWithTheLargestSeedsMergeExactly() throws {
        let dir = try temporaryDirectory(self)
        let first = UInt64.max - 3
        let base = ["compare", "--env", "toy", "--estimators", "none", "--seeds", "4", "--iterations", "3",
                    "--seed", String(first), "--quiet", "--no-plot"]
        for i in 0..<2 {
            let r = runPG(base + ["--shard", "\(i)/2", "--out", dir + "/s\(i).jsonl"])
            XCTAssertEqual(r.status, 0, r.err)
        }
        let m = runPG(["compare", "--merge", dir + "/s1.jsonl", dir + "/s0.jsonl", "--out", dir + "/m.jsonl", "--no-plot"])
        XCTAssertEqual(m.status, 0, m.err)
        let lines = try jsonLines(dir + "/m.jsonl")
        XCTAssertEqual(lines.first?["seed"]?.exactUInt64, first)
        let final = try XCTUnwrap(lines.last { $0["type"]?.stringValue == "final" })
        XCTAssertEqual(try XCTUnwrap(final["seed"]).text, "[18446744073709551612,18446744073709551613,18446744073709551614,18446744073709551615]")
        let whole = runPG(base + ["--out", dir + "/w.jsonl"])
        XCTAssertEqual(whole.status, 0, whole.err)
        XCTAssertEqual(try jsonLines(dir + "/w.jsonl").last { $0["type"]?.stringValue == "final" }?["final"], final["final"], "merged finals equal the whole sweep's")
    }

    /// Training logs with seeds beyond `Int.max` are written exactly and plotted.
    func testTrainingLogsWithTheLargestSeedsPlot() throws {
        let dir = try temporaryDirectory(self)
        for seed in ["9223372036854775807", "18446744073709551615"] {
            let r = runPG(["--env", "toy", "--iterations", "2", "--seed", seed, "--quiet", "--out", dir + "/s\(seed).jsonl"])
            XCTAssertEqual(r.status, 0, r.err)
            XCTAssertEqual(try jsonLines(dir + "/s\(seed).jsonl").first?["seed"]?.text, seed)
        }
        let p = runPG(["plot", dir + "/s9223372036854775807.jsonl", dir + "/s18446744073709551615.jsonl", "--out", dir + "/p.svg"])
        XCTAssertEqual(p.status, 0, p.err)
        let svg = try String(contentsOfFile: dir + "/p.svg", encoding: .utf8)
        XCTAssertTrue(svg.contains("s9223372036854775807<") && svg.contains("s18446744073709551615<"), "legend labels")
        let again = runPG(["plot", dir + "/s9223372036854775807.jsonl", "--out", dir + "/p.svg"])
        XCTAssertEqual(again.err, "pg: error: --out: \(dir)/p.svg exists; pass --force to overwrite it or choose another file\n")
        XCTAssertEqual(runPG(["plot", dir + "/s9223372036854775807.jsonl", "--out", dir + "/p.svg", "--force"]).status, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(),
                       ["p.svg", "s18446744073709551615.checkpoint.json", "s18446744073709551615.jsonl",
                        "s9223372036854775807.checkpoint.json", "s9223372036854775807.jsonl"])
    }

    /// A deeply nested or oversized file among the environments is reported on its own line
    /// by `pg envs`, and the other environments still load and are listed as valid choices.
    func testAHostileEnvironmentFileBreaksNothingElse() throws {
        let dir = try temporaryDirectory(self)
        try String(repeating: "[", count: 100_000).write(toFile: dir + "/deep.json", atomically: false, encoding: .utf8)
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/big.json", contents: nil))
        XCTAssertEqual(truncate(dir + "/big.json", 20 << 20), 0)
        try #"{"arms": [{"distribution": "bernoulli", "p": 0.5}]}"#.write(toFile: dir + "/ok.json", atomically: false, encoding: .utf8)
        let envs = runPG(["envs", "--envs-dir", dir])
        XCTAssertEqual(envs.status, 0, envs.err)
        let listed = envs.out.split(separator: "\n")
        XCTAssertTrue(listed.contains { $0.hasPrefix("deep ") && $0.contains("deep.json:1:65: nesting deeper than 64 levels of arrays and objects)") },
                      envs.out)
        XCTAssertTrue(listed.contains { $0.hasPrefix("big ") && $0.contains("environment files are at most 16 MiB") }, envs.out)
        XCTAssertTrue(listed.contains { $0.hasPrefix("ok ") && $0.contains("bandit from \(dir)/ok.json") }, envs.out)
        let unknown = runPG(["--env", "nope", "--envs-dir", dir])
        XCTAssertTrue(unknown.err.contains("valid: bandit10, bernoulli, toy, factorised, shared-logit, FrozenLake-v1, FrozenLake8x8-v1, big, deep, ok, "), unknown.err)
        XCTAssertEqual(runPG(["--env", "ok", "--envs-dir", dir, "--iterations", "1", "--quiet", "--out", dir + "/run.jsonl"]).status, 0)
    }

    /// Any finite numbers in a log plot without a trap: subnormals, the largest doubles, and
    /// iterations beyond any curve.
    func testExtremeFiniteValuesPlot() throws {
        let dir = try temporaryDirectory(self)
        let pairs = [("5e-324", "0"), ("1.7976931348623157e308", "-1.7976931348623157e308"), ("1e-300", "1e-300"), ("0", "1e308")]
        for (k, (x, y)) in pairs.enumerated() {
            let log = dir + "/t\(k).jsonl"
            try ("{\"type\":\"config\",\"env\":\"toy\",\"estimator\":\"reinforce\",\"baseline\":\"none\",\"seed\":1}\n"
                + "{\"type\":\"iteration\",\"iteration\":0,\"mean_return\":\(x),\"exact_j\":\(x),\"grad_sq_error\":\(x)}\n"
                + "{\"type\":\"iteration\",\"iteration\":1e300,\"mean_return\":\(y),\"exact_j\":\(y),\"grad_sq_error\":\(y)}\n")
                .write(toFile: log, atomically: false, encoding: .utf8)
            for metric in ["exact_j", "mean_return", "grad_sq_error"] {
                let r = runPG(["plot", log, "--metric", metric, "--out", dir + "/t\(k)-\(metric).svg"])
                XCTAssertEqual(r.status, 0, "\(x), \(y): \(r.err)")
            }
        }
        let curve = { (k: Int, g: String) in
            "{\"type\":\"curve\",\"variant\":\"v\",\"iteration\":\(k),\"grad_sq_error\":\(g),\"grad_sq_error_n\":2,\"grad_sq_error_m2\":1}\n"
        }
        try ("{\"type\":\"config\",\"command\":\"compare\",\"env\":\"toy\",\"seeds\":2,\"seed\":1,\"iterations\":2,"
            + "\"metric\":\"grad_sq_error\",\"estimators\":[{\"label\":\"v\",\"estimator\":\"none\"}]}\n"
            + curve(0, "5e-324") + curve(1, "1e-320")
            + "{\"type\":\"final\",\"variant\":\"v\",\"seed_index\":[0,1],\"seed\":[1,2],\"final\":[1,1],\"iterations_to_threshold\":[null,null]}\n")
            .write(toFile: dir + "/c.jsonl", atomically: false, encoding: .utf8)
        let r = runPG(["plot", dir + "/c.jsonl", "--out", dir + "/c.svg"])
        XCTAssertEqual(r.status, 0, "a log axis down to the smallest double: \(r.err)")
    }
}
