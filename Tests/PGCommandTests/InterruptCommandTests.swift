import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// `pg compare` and `pg variance` under SIGINT / SIGTERM: exit 130 with a complete JSONL file
/// that holds what completed and ends with an `interrupted` summary.
final class InterruptCommandTests: XCTestCase {
    typealias P = ProcessRun

    /// Starts `args`, waits `delay` seconds (well past start-up: the command is running its
    /// units by then), sends `signal` and returns how the run ended and its file's lines.
    func interrupt(_ args: [String], after delay: Double, with signal: Int32) throws -> (run: ProcessRun, lines: [JSONValue]) {
        let dir = try temporaryDirectory(self)
        let run = try P.start(args + ["--quiet", "--out", "out.jsonl"], in: dir)
        usleep(UInt32(delay * 1e6))
        kill(run.process.processIdentifier, signal)
        let r = try run.finish(timeout: 60)
        let lines = try XCTUnwrap(try P.wholeLines(dir + "/out.jsonl"), "no file; \(r.err)")
        XCTAssertEqual(P.names(dir).filter { $0 != "out.jsonl" && $0 != "out.svg" }, [], "stray files")
        return (r, lines)
    }

    /// The seeds that completed are kept, with curves of exactly that many seeds; seeds stopped
    /// part-way and estimators not started are left out (an estimator not started keeps its
    /// lines, with no seeds, so that shards still merge).
    func testCompareKeepsTheCompletedSeeds() throws {
        for sig in [SIGINT, SIGTERM] {
            let (r, lines) = try interrupt(["compare", "--env", "bandit10", "--estimators", "none,ema", "--seeds", "100000",
                                            "--iterations", "300", "--batch", "8", "--threads", "1"], after: 2, with: sig)
            XCTAssertEqual([r.reason == .exit ? 0 : 1, r.status], [0, 130], "signal \(sig): \(r.err)")
            XCTAssertTrue(r.out.contains("  status: interrupted ("), r.out)
            XCTAssertEqual(lines.first?["type"]?.stringValue, "config")
            XCTAssertEqual(lines.last, .object([("type", .string("summary")), ("status", .string("interrupted"))]))
            let finals = lines.filter { $0["type"]?.stringValue == "final" }
            XCTAssertEqual(finals.map { $0["variant"]?.stringValue ?? "" }, ["none", "ema"])
            let done = try XCTUnwrap(finals[0]["seeds"]?.exactInt)
            XCTAssertGreaterThan(done, 0, "signal \(sig): no seed completed in 2 s")
            XCTAssertLessThan(done, 100_000)
            XCTAssertEqual(finals[1]["seeds"]?.exactInt, 0)
            let curves = lines.filter { $0["type"]?.stringValue == "curve" && $0["variant"]?.stringValue == "none" }
            XCTAssertEqual(curves.count, 300)
            XCTAssertTrue(curves.allSatisfy { $0["mean_return_n"]?.exactInt == done }, "every point has exactly the completed seeds")
            let file = try temporaryDirectory(self) + "/again.svg"
            XCTAssertEqual(runPG(["plot", try writeLines(lines), "--out", file]).status, 0, "an interrupted file plots")
        }
    }

    /// The estimator being measured keeps the replicates drawn; later estimators are not measured.
    func testVarianceKeepsTheReplicatesDrawn() throws {
        let (r, lines) = try interrupt(["variance", "--env", "bandit10", "--estimators", "none,ema", "--replicates", "1000000",
                                        "--threads", "1"], after: 2, with: SIGINT)
        XCTAssertEqual([r.reason == .exit ? 0 : 1, r.status], [0, 130], r.err)
        XCTAssertTrue(r.out.contains("  status: interrupted (1 of 2 estimators measured)"), r.out)
        XCTAssertEqual(lines.map { $0["type"]?.stringValue ?? "" }, ["config", "estimator", "summary"])
        XCTAssertEqual(lines[1]["label"]?.stringValue, "none")
        let drawn = try XCTUnwrap(lines[1]["replicates"]?.exactInt)
        XCTAssertTrue((2..<1_000_000).contains(drawn), "\(drawn)")
        XCTAssertEqual(lines.last?["status"]?.stringValue, "interrupted")
    }

    /// What was measured decides the status, not whether a signal came: one arriving after the
    /// last unit finished leaves a complete run (before, it marked it interrupted, exit 130).
    func testTheStatusSaysWhetherAnythingWasLeftOut() {
        XCTAssertEqual(VarianceCommand.runStatus(rowReplicates: [1000, 1000], estimators: 2, replicates: 1000), "completed")
        XCTAssertEqual(VarianceCommand.runStatus(rowReplicates: [1000, 417], estimators: 2, replicates: 1000), "interrupted")
        XCTAssertEqual(VarianceCommand.runStatus(rowReplicates: [1000], estimators: 2, replicates: 1000), "interrupted")
        XCTAssertEqual(CompareCommand.runStatus(seedsCompleted: [100, 100], seeds: 100), "completed")
        XCTAssertEqual(CompareCommand.runStatus(seedsCompleted: [100, 0], seeds: 100), "interrupted")
        XCTAssertEqual(CompareCommand.runStatus(seedsCompleted: [99, 100], seeds: 100), "interrupted")
    }

    /// Writes JSONL lines to a new file and returns its path.
    func writeLines(_ lines: [JSONValue]) throws -> String {
        let path = try temporaryDirectory(self) + "/copy.jsonl"
        try lines.map { $0.text + "\n" }.joined().write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
