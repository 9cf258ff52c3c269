import Foundation
import PolicyGradient
import XCTest

/// Runs of the built `pg` executable: interruption by SIGINT / SIGTERM, and the default log path.
final class EndToEndTests: XCTestCase {
    /// The `pg` executable that `swift build` / `swift test` put next to the test bundle.
    static func executable() throws -> URL {
        let bundle = Bundle.main.bundleURL
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [bundle.appendingPathComponent("pg"), bundle.deletingLastPathComponent().appendingPathComponent("pg"),
                          root.appendingPathComponent(".build/debug/pg")]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("the pg executable was not built (looked in \(candidates.map(\.path)))")
        }
        return found
    }

    /// Starts `pg args` in `directory`, with standard output captured and standard error discarded.
    func launch(_ args: [String], in directory: String) throws -> (Process, Pipe) {
        let p = Process()
        p.executableURL = try Self.executable()
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        return (p, out)
    }

    /// Waits until `condition` holds or `seconds` pass; returns whether it held.
    func wait(seconds: Double, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// A long run stopped by `signal` writes a valid JSONL log ending in an `interrupted` summary.
    func assertInterruptible(by signal: Int32, file: StaticString = #filePath, line: UInt = #line) throws {
        let dir = try makeTemporaryDirectory("interrupt")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/run.jsonl"
        let (p, out) = try launch(["--env", "bandit10", "--iterations", "400000", "--threads", "1", "--out", log, "--quiet"],
                                  in: dir)
        defer { if p.isRunning { p.terminate(); kill(p.processIdentifier, SIGKILL) } }
        XCTAssertTrue(wait(seconds: 30) { lines(log).count >= 5 }, "no iteration lines were written", file: file, line: line)
        kill(p.processIdentifier, signal)
        XCTAssertTrue(wait(seconds: 5) { !p.isRunning }, "pg did not exit within 5 s of signal \(signal)", file: file, line: line)
        guard !p.isRunning else { return }
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .exit, file: file, line: line)
        XCTAssertEqual(p.terminationStatus, 130, file: file, line: line)
        let text = lines(log)
        let records = try text.map { try JSONParser.parse($0, file: log) }
        XCTAssertEqual(records.first?["type"]?.stringValue, "config", file: file, line: line)
        let summary = try XCTUnwrap(records.last, file: file, line: line)
        XCTAssertEqual(summary["type"]?.stringValue, "summary", file: file, line: line)
        XCTAssertEqual(summary["status"]?.stringValue, "interrupted", file: file, line: line)
        let iterations = records.filter { $0["type"]?.stringValue == "iteration" }.count
        XCTAssertGreaterThanOrEqual(iterations, 4, file: file, line: line)
        XCTAssertEqual(summary["iterations"]?.doubleValue, Double(iterations), file: file, line: line)
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(printed.contains("status: interrupted"), printed, file: file, line: line)
    }

    func testSIGINTStopsARunWithAnInterruptedSummary() throws {
        try assertInterruptible(by: SIGINT)
    }

    func testSIGTERMStopsARunWithAnInterruptedSummary() throws {
        try assertInterruptible(by: SIGTERM)
    }

    /// Without `--out`, logs go to `runs/` (created if missing), never overwriting an earlier log.
    func testTheDefaultLogGoesToANewFileInRuns() throws {
        let dir = try makeTemporaryDirectory("runs")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for _ in 0..<2 {
            let (p, _) = try launch(["--env", "toy", "--iterations", "3", "--threads", "1", "--quiet"], in: dir)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0)
        }
        let all = try FileManager.default.contentsOfDirectory(atPath: dir + "/runs").sorted()
        XCTAssertEqual(all, ["toy-none-s1-2.checkpoint.json", "toy-none-s1-2.jsonl", "toy-none-s1.checkpoint.json", "toy-none-s1.jsonl"])
        let files = all.filter { $0.hasSuffix(".jsonl") }
        for f in files { XCTAssertEqual(lines(dir + "/runs/" + f).count, 5, f) }
    }
}
