import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// A stop requested while pg reads, compares or writes a large file ends the work soon and with
/// the interrupted status: never a verdict on logs not compared to the end, never a file left
/// half-written.
final class SignalStopTests: XCTestCase {
    typealias P = ProcessRun

    override func tearDown() {
        Cancellation.reset()
        super.tearDown()
    }

    /// `pg rerun` signalled after its run finished, while it compares the logs: exit 130 and no
    /// verdict (before, it compared to the end and printed `identical`, exit 0). The rerun's log
    /// is whole.
    func testARerunSignalledWhileComparingExitsInterruptedNeverIdentical() throws {
        let dir = try temporaryDirectory(self)
        let made = runPG(["--env", "bandit10", "--iterations", "15000", "--batch", "1", "--threads", "1", "--quiet",
                          "--out", dir + "/big.jsonl"])
        XCTAssertEqual(made.status, 0, made.err)
        for sig in [SIGTERM] {  // SIGINT takes the same path (Interruption's one handler)
            let out = dir + "/again-\(sig).jsonl"
            let run = try P.start(["rerun", dir + "/big.jsonl", "--quiet", "--out", out], in: dir)
            // The run is over once its log ends with the summary line; the comparison follows.
            let deadline = Date().addingTimeInterval(120)
            while run.process.isRunning, Date() < deadline, !endsWithSummary(out) { usleep(5_000) }
            let signalled = Date()
            kill(run.process.processIdentifier, sig)
            let r = try run.finish(timeout: 60)
            print("signal \(sig): pg rerun stopped \(String(format: "%.3f", Date().timeIntervalSince(signalled))) s after it")
            XCTAssertEqual([r.reason == .exit ? 0 : 1, r.status], [0, 130], "signal \(sig): \(r.out) \(r.err)")
            XCTAssertFalse(r.out.contains("identical"), r.out)
            XCTAssertTrue(r.out.contains("pg rerun: interrupted while "), r.out)
            XCTAssertEqual(try P.wholeLines(out)?.last?["type"]?.stringValue, "summary", "the rerun's log is whole")
        }
    }

    func endsWithSummary(_ path: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: path), let end = try? h.seekToEnd(), end > 300 else { return false }
        defer { try? h.close() }
        try? h.seek(toOffset: end - 300)
        return (try? h.readToEnd()).map { String(decoding: $0, as: UTF8.self).contains("\"type\":\"summary\"") } ?? false
    }

    /// The comparison and the reading poll: with a stop requested they throw ``Cancelled``.
    func testReadingAndComparingStopWhenAStopIsRequested() throws {
        let text = (0..<5000).map { #"{"type":"iteration","iteration":\#($0)}"# }.joined(separator: "\n") + "\n"
        let lines = try JSONLReader.parseLines(Array(text.utf8))
        XCTAssertNil(try LogComparison.firstDifference(lines, lines))
        Cancellation.request()
        XCTAssertThrowsError(try LogComparison.firstDifference(lines, lines)) { XCTAssertTrue($0 is Cancelled, "\($0)") }
        XCTAssertThrowsError(try JSONLReader.parseLines(Array(text.utf8), file: "x.jsonl")) {
            XCTAssertEqual($0 as? Cancelled, Cancelled("reading x.jsonl"))
        }
    }

    /// A run's log compared after a stop was requested: no verdict, the interrupted status.
    func testARerunStoppedBeforeItsVerdictSaysSo() throws {
        let dir = try temporaryDirectory(self)
        XCTAssertEqual(runPG(["--env", "toy", "--iterations", "3", "--quiet", "--out", dir + "/a.jsonl"]).status, 0)
        let lines = try JSONLReader.readLines(path: dir + "/a.jsonl")
        Cancellation.request()
        XCTAssertThrowsError(try RerunCommand.compare(lines, out: dir + "/a.jsonl", log: dir + "/a.jsonl", notes: [],
                                                      Output(out: { _ in }, err: { _ in }))) { XCTAssertTrue($0 is Cancelled) }
    }

    /// A compare file whose writing is interrupted is removed (whole or absent); one whose sweep
    /// was interrupted before the writing is written in full.
    func testACompareFileStoppedWhileWrittenIsRemoved() throws {
        let dir = try temporaryDirectory(self)
        let made = runPG(["compare", "--env", "bandit10", "--estimators", "none,ema", "--seeds", "2", "--iterations", "1100",
                          "--batch", "2", "--quiet", "--no-plot", "--out", dir + "/c.jsonl"])
        XCTAssertEqual(made.status, 0, made.err)
        let file = try CompareFile.read(path: dir + "/c.jsonl")
        Cancellation.request()
        let stopped = try JSONLWriter(path: dir + "/stopped.jsonl")
        XCTAssertThrowsError(try CompareCommand.write(file, with: stopped, stoppedBefore: false)) { XCTAssertTrue($0 is Cancelled) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/stopped.jsonl"), "an interrupted file is removed")
        let whole = try JSONLWriter(path: dir + "/whole.jsonl")
        try CompareCommand.write(file, with: whole, stoppedBefore: true)
        XCTAssertEqual(try jsonLines(dir + "/whole.jsonl").count, try jsonLines(dir + "/c.jsonl").count)
    }
}
