import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// `pg plot`: training logs and compare files to SVG.
final class PlotCommandTests: XCTestCase {
    func testHelp() {
        let r = runPG(["plot", "--help"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.out.hasPrefix("pg plot — SVG learning curves from pg JSONL files\n\nUSAGE: pg plot FILE... [--out FILE.svg] [--metric NAME]\n"))
    }

    func testTrainingLogsGiveOneSeriesEach() throws {
        let dir = try temporaryDirectory(self)
        for (baseline, seed) in [("none", "1"), ("nvil", "2")] {
            let r = runPG(["train", "--env", "bandit10", "--baseline", baseline, "--seed", seed, "--iterations", "12",
                           "--quiet", "--out", dir + "/\(baseline).jsonl"])
            XCTAssertEqual(r.status, 0, r.err)
        }
        let r = runPG(["plot", dir + "/none.jsonl", dir + "/nvil.jsonl", "--out", dir + "/p.svg"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(r.out, "plot: \(dir)/p.svg (2 series)\n")
        XCTAssertEqual(try SVGSeriesCounter.count(dir + "/p.svg"), [2])
        let svg = try String(contentsOfFile: dir + "/p.svg", encoding: .utf8)
        XCTAssertTrue(svg.contains(">none s1</text>") && svg.contains(">nvil s2</text>"), "legend labels")
        XCTAssertTrue(svg.contains(">exact J</text>"))
        let single = runPG(["plot", dir + "/none.jsonl", "--metric", "entropy"])
        XCTAssertEqual(single.out, "plot: \(dir)/none.svg (1 series)\n")
    }

    func testCompareFilesAndShards() throws {
        let dir = try temporaryDirectory(self)
        let base = ["compare", "--env", "toy", "--estimators", "none,ema", "--seeds", "4", "--iterations", "10",
                    "--quiet", "--no-plot"]
        XCTAssertEqual(runPG(base + ["--shard", "0/2", "--out", dir + "/a.jsonl"]).status, 0)
        XCTAssertEqual(runPG(base + ["--shard", "1/2", "--out", dir + "/b.jsonl"]).status, 0)
        let r = runPG(["plot", dir + "/b.jsonl", dir + "/a.jsonl", "--out", dir + "/s.svg"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(try SVGSeriesCounter.count(dir + "/s.svg"), [2, 2])
        let svg = try String(contentsOfFile: dir + "/s.svg", encoding: .utf8)
        XCTAssertTrue(svg.contains("mean ± SE over 4 seeds"), "shards are merged before plotting")
    }

    func testErrors() throws {
        let dir = try temporaryDirectory(self)
        XCTAssertEqual(runPG(["plot"]).err, "pg: error: pg plot: give one or more JSONL files (training logs or compare files)\n")
        let missing = runPG(["plot", dir + "/nothing.jsonl"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.err, "pg: error: cannot read the JSONL file \(dir)/nothing.jsonl: No such file or directory\n")
        try "{\"type\":\"config\"}\n{\"type\":\"iteration\",\n".write(toFile: dir + "/bad.jsonl", atomically: true, encoding: .utf8)
        let bad = runPG(["plot", dir + "/bad.jsonl"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.err.hasPrefix("pg: error: \(dir)/bad.jsonl:2:"), bad.err)
    }
}
