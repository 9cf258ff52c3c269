import Foundation
import PolicyGradient
import XCTest

/// Runs of the built `pg` with chosen standard streams, for the end-to-end I/O tests.
struct ProcessRun {
    /// How the run ended.
    var reason: Process.TerminationReason
    /// Exit status, or the signal that ended it.
    var status: Int32
    var out: String
    var err: String

    /// Where standard output goes.
    enum Stdout {
        /// Captured in a file.
        case captured
        /// A pipe nobody reads from (its read end is closed before the run): writes get EPIPE.
        case brokenPipe
        /// Closed (`>&-`).
        case closed
        /// The file or device at a path.
        case path(String)
    }

    /// Runs `pg args` in `directory` and waits (at most `timeout` seconds, then kills it).
    /// - Parameters:
    ///   - limitFileSize: a file size limit in 512-byte blocks (`ulimit -f`), if any.
    static func run(_ args: [String], in directory: String, stdout: Stdout = .captured, limitFileSize: Int? = nil,
                    timeout: Double = 60) throws -> ProcessRun {
        let p = try start(args, in: directory, stdout: stdout, limitFileSize: limitFileSize)
        return try p.finish(timeout: timeout)
    }

    /// A started run.
    struct Started {
        var process: Process
        var outFile: String, errFile: String

        /// Waits for the end (killing the process after `timeout` seconds) and collects the streams.
        func finish(timeout: Double = 60) throws -> ProcessRun {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning, Date() < deadline { usleep(2_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            defer { unlink(outFile); unlink(errFile) }
            return ProcessRun(reason: process.terminationReason, status: process.terminationStatus,
                              out: (try? String(contentsOfFile: outFile, encoding: .utf8)) ?? "",
                              err: (try? String(contentsOfFile: errFile, encoding: .utf8)) ?? "")
        }
    }

    /// Starts `pg args` in `directory` (see ``run(_:in:stdout:limitFileSize:timeout:)``).
    static func start(_ args: [String], in directory: String, stdout: Stdout = .captured,
                      limitFileSize: Int? = nil) throws -> Started {
        let pg = try EndToEndTests.executable().path
        let streams = NSTemporaryDirectory() + "pg-streams-" + UUID().uuidString
        let p = Process()
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        var script = ""
        if let blocks = limitFileSize { script += "ulimit -f \(blocks); " }
        if case .closed = stdout { script += "exec \"$0\" \"$@\" >&-" }
        if script.isEmpty {
            p.executableURL = URL(fileURLWithPath: pg)
            p.arguments = args
        } else {
            if !script.contains("exec") { script += "exec \"$0\" \"$@\"" }
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", script, pg] + args
        }
        _ = FileManager.default.createFile(atPath: streams + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: streams + ".err", contents: nil)
        p.standardError = FileHandle(forWritingAtPath: streams + ".err")
        switch stdout {
        case .captured, .closed: p.standardOutput = FileHandle(forWritingAtPath: streams + ".out")
        case .brokenPipe:
            let pipe = Pipe()
            try pipe.fileHandleForReading.close()
            p.standardOutput = pipe
        case let .path(path):
            guard let h = FileHandle(forWritingAtPath: path) else { throw XCTSkip("cannot open \(path) for writing") }
            p.standardOutput = h
        }
        try p.run()
        return Started(process: p, outFile: streams + ".out", errFile: streams + ".err")
    }

    /// The lines of a JSONL log, each of which must be complete JSON; nil when there is no file.
    /// - Throws: when the file does not end with a newline or a line does not parse.
    static func wholeLines(_ path: String) throws -> [JSONValue]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard text.isEmpty || text.hasSuffix("\n") else { throw InputError("the last line is not complete", file: path) }
        return try JSONLReader.parse(text, file: path)
    }

    /// The names in `dir`, sorted.
    static func names(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }
}
