import Foundation
import PolicyGradient
import XCTest

/// The built `pg` under races: several runs started at once on the same default log path, and
/// SIGINT/SIGTERM at random moments from the first instant of a run on.
final class RaceAndSignalTests: XCTestCase {
    typealias P = ProcessRun

    /// Six `pg train` started together, five times over, on the same default path: every run
    /// ends with a log of its own, complete, never shared, never replaced.
    func testSimultaneousRunsGetDistinctCompleteLogs() throws {
        let runs = 6, rounds = 5, iterations = 20
        for round in 0..<rounds {
            let dir = try temporaryDirectory(self)
            let started = try (0..<runs).map { _ in
                try P.start(["--env", "toy", "--iterations", "\(iterations)", "--threads", "1", "--quiet"], in: dir)
            }
            let results = try started.map { try $0.finish() }
            XCTAssertEqual(results.map(\.status), Array(repeating: 0, count: runs), "round \(round): \(results.map(\.err))")
            let printed = results.compactMap { $0.out.split(separator: "\n").first { $0.hasPrefix("  log: ") }?.dropFirst(7) }
            let all = P.names(dir + "/runs"), files = all.filter { $0.hasSuffix(".jsonl") }
            XCTAssertEqual(files.count, runs, "round \(round): \(files)")
            XCTAssertEqual(all.count, 2 * runs, "round \(round): each log with its checkpoint: \(all)")
            XCTAssertEqual(Set(printed.map(String.init)), Set(files.map { "runs/" + $0 }), "round \(round): each run names its own log")
            for f in files {
                let lines = try XCTUnwrap(try P.wholeLines(dir + "/runs/" + f), f)
                XCTAssertEqual(lines.map { $0["type"]?.stringValue ?? "" },
                               ["config"] + Array(repeating: "iteration", count: iterations) + ["summary"], "round \(round): \(f)")
                XCTAssertEqual(lines.last?["status"]?.stringValue, "completed")
            }
        }
    }

    /// SIGINT or SIGTERM at a random moment: half the runs from their start on (the first
    /// milliseconds included: seeded delays in [0, 80) ms), half once their log exists (seeded
    /// delays in [0, 20) ms after its first line). Every run ends with status 130 and, if it
    /// created its log, a complete one that ends with an `interrupted` summary — or, for a
    /// signal that arrives before pg's own code runs at all (while the system is still loading
    /// the executable), ended by the signal before anything was created. Never an empty or
    /// partial log, never a stray file.
    func testSignalsAtRandomMomentsLeaveWholeLogsOrNone() throws {
        var rng = RandomStream(seed: 2024)
        var outcomes: [String: Int] = [:]
        for k in 0..<24 {
            let dir = try temporaryDirectory(self), log = dir + "/run.jsonl"
            let sig = k % 2 == 0 ? SIGINT : SIGTERM
            let afterLog = k % 4 >= 2
            let delay = UInt32(rng.nextUniform() * (afterLog ? 20_000 : 80_000))
            let run = try P.start(["--env", "bandit10", "--iterations", "400000", "--threads", "1", "--quiet",
                                   "--out", "run.jsonl"], in: dir)
            if afterLog { waitForLines(1, in: log) }
            usleep(delay)
            kill(run.process.processIdentifier, sig)
            let r = try run.finish(timeout: 20)
            let what = "run \(k), signal \(sig) \(delay) µs after \(afterLog ? "the first line" : "the start"): "
                + "\(r.reason == .exit ? "status" : "signal") \(r.status), \(r.err)"
            let lines = try P.wholeLines(log)
            let names = P.names(dir), completed = lines?.last?["type"]?.stringValue == "summary"
            XCTAssertTrue(names == [] || names == ["run.jsonl"] || (completed && names == ["run.checkpoint.json", "run.jsonl"]),
                          "stray files: \(names); " + what)
            if r.reason == .uncaughtSignal, !afterLog {
                XCTAssertEqual(r.status, sig, what)
                XCTAssertNil(lines, "killed with a log: " + what)
                outcomes["ended by the signal before main", default: 0] += 1
                continue
            }
            XCTAssertEqual([r.reason == .exit ? 0 : 1, r.status], [0, 130], what)
            guard let lines else {
                XCTAssertFalse(afterLog, what)
                outcomes["130 before the log existed", default: 0] += 1
                continue
            }
            XCTAssertEqual(lines.first?["type"]?.stringValue, "config", what)
            XCTAssertEqual(lines.last?["type"]?.stringValue, "summary", what)
            XCTAssertEqual(lines.last?["status"]?.stringValue, "interrupted", what)
            XCTAssertEqual(lines.last?["iterations"]?.exactInt, lines.count - 2, what)
            outcomes["130 with a whole log", default: 0] += 1
        }
        print("signal outcomes: \(outcomes.sorted { $0.key < $1.key })")
    }

    /// Waits (up to 30 s) until the log at `path` has `n` complete lines.
    func waitForLines(_ n: Int, in path: String) {
        let deadline = Date().addingTimeInterval(30)
        while ((try? P.wholeLines(path))??.count ?? 0) < n, Date() < deadline { usleep(1_000) }
    }

    /// A second signal ends the run at once, still with whole lines.
    func testASecondSignalExitsAtOnceWithWholeLines() throws {
        let dir = try temporaryDirectory(self)
        let run = try P.start(["--env", "bandit10", "--iterations", "400000", "--threads", "1", "--quiet", "--out", "run.jsonl"],
                              in: dir)
        waitForLines(5, in: dir + "/run.jsonl")
        kill(run.process.processIdentifier, SIGINT)
        kill(run.process.processIdentifier, SIGINT)
        let r = try run.finish(timeout: 20)
        XCTAssertEqual([r.reason == .exit ? 0 : 1, r.status], [0, 130])
        let lines = try XCTUnwrap(try P.wholeLines(dir + "/run.jsonl"))
        XCTAssertEqual(lines.first?["type"]?.stringValue, "config")
        XCTAssertGreaterThanOrEqual(lines.count, 5)
    }
}
