import Foundation
import Synchronization
import XCTest

/// Every command in the documentation runs, as a reader would run it: the `console` and `sh`
/// blocks of each document, in order, in a fresh directory that has the repository's `envs/`
/// and `scripts/` (so a document's later commands read the files its earlier ones wrote). A
/// `console` block's output is compared with what the command prints (standard output and
/// error together), after the directory is written `/home/you/pg` and timings are masked.
///
/// `pg`, `swift run pg`, `swift run -c release pg`, `.build/release/pg` and `swift run
/// custom-env-example` run the executables this test run has built (a debug build: documents
/// keep their commands small, or say with `replace:` how the test shrinks them).
final class DocumentCommandTests: XCTestCase {
    /// What running one document's commands found.
    struct Report: Sendable {
        var document: String
        var ran = 0
        var skipped: [String] = []
        var failures: [String] = []
        var seconds = 0.0
    }

    /// The documents run two at a time (each in its own directory, its commands in order), so
    /// the whole takes about as long as the longest document.
    func testEveryCommandRuns() throws {
        let bin = try Self.binaries()
        let documents = Documents.all
        let reports = Mutex(Array(repeating: Report(document: ""), count: documents.count))
        let next = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            while true {
                let i: Int = next.withLock { n in defer { n += 1 }; return n }
                guard i < documents.count else { return }
                let report = Self.run(documents[i], bin: bin)
                reports.withLock { $0[i] = report }
            }
        }
        let all = reports.withLock { $0 }
        for r in all { for f in r.failures { XCTFail(f) } }
        let ran = all.reduce(0) { $0 + $1.ran }, skipped = all.flatMap(\.skipped)
        XCTAssertGreaterThan(ran, 20)
        print("documentation commands: \(ran) run ("
              + all.map { "\(($0.document as NSString).lastPathComponent) \(String(format: "%.1f", $0.seconds)) s" }.joined(separator: ", ")
              + "), \(skipped.count) not run: " + skipped.joined(separator: "; "))
    }

    /// Runs every command block of `document`, in order, in a fresh directory.
    static func run(_ document: String, bin: String) -> Report {
        var report = Report(document: document)
        let started = Date()
        do {
            let blocks = try Documents.blocks(document).filter { $0.language == "console" || $0.language == "sh" }
            let shell = try Shell(bin: bin)
            defer { shell.remove() }
            for block in blocks {
                if let reason = block.value("skip") {
                    if reason.isEmpty { report.failures.append("\(block.place): skip needs a reason") }
                    report.skipped.append("\(block.place) (\(reason))")
                    continue
                }
                var replaced: Set<String> = []
                for step in steps(of: block) {
                    var command = step.command
                    for r in block.annotation["replace"] ?? [] {
                        let parts = r.components(separatedBy: " => ")
                        guard parts.count == 2 else { report.failures.append("\(block.place): replace: A => B"); continue }
                        guard command.contains(parts[0]) else { continue }
                        replaced.insert(r)
                        command = command.replacingOccurrences(of: parts[0], with: parts[1])
                    }
                    let r = try shell.run(command)
                    report.ran += 1
                    let expected = Int32(block.value("status") ?? "0") ?? 0
                    if r.status != expected {
                        report.failures.append("\(block.place): `\(command)` exited with \(r.status), not \(expected):\n\(r.output)")
                    }
                    guard let want = step.expected, block.value("output") == nil else { continue }
                    let masks = try (block.annotation["mask"] ?? []).map { try NSRegularExpression(pattern: $0, options: [.anchorsMatchLines]) }
                    if !matches(r.output, want, masks: masks) {
                        report.failures.append("\(block.place): `\(command)` printed\n\(r.output)\nwhich differs from the document: "
                                               + firstDifference(masked(r.output, masks), masked(want, masks)))
                    }
                }
                for r in block.annotation["replace"] ?? [] where !replaced.contains(r) {
                    report.failures.append("\(block.place): replace: \(r) applies to no command of the block")
                }
            }
        } catch {
            report.failures.append("\(document): \(error)")
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    // MARK: - Blocks

    /// A command and, in a `console` block, the output shown after it.
    struct Step {
        var command: String
        var expected: String?
    }

    /// The commands of a block: in `console`, the lines after `$ ` (continued by a trailing `\`)
    /// with the lines up to the next prompt as their output; in `sh`, every line.
    static func steps(of block: DocumentBlock) -> [Step] {
        var steps: [Step] = []
        var lines = block.text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        var i = 0
        let console = block.language == "console"
        while i < lines.count {
            var line = lines[i]
            i += 1
            if console {
                guard line.hasPrefix("$ ") else { continue }
                line.removeFirst(2)
            } else if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") {
                continue
            }
            var command = line
            while command.hasSuffix("\\"), i < lines.count { command += "\n" + lines[i]; i += 1 }
            var output: [String] = []
            while console, i < lines.count, !lines[i].hasPrefix("$ ") { output.append(lines[i]); i += 1 }
            steps.append(Step(command: command, expected: console ? output.map { $0 + "\n" }.joined() : nil))
        }
        return steps
    }

    // MARK: - Output

    static func masked(_ text: String, _ masks: [NSRegularExpression]) -> String {
        masks.reduce(text) { t, m in m.stringByReplacingMatches(in: t, range: NSRange(t.startIndex..., in: t), withTemplate: "…") }
    }

    /// Whether `output` is `expected`, both masked, where a line `…` alone in `expected` stands
    /// for any number of lines.
    static func matches(_ output: String, _ expected: String, masks: [NSRegularExpression]) -> Bool {
        let got = masked(output, masks).components(separatedBy: "\n")
        let want = masked(expected, masks).components(separatedBy: "\n")
        func match(_ i: Int, _ j: Int) -> Bool {
            if j == want.count { return i == got.count }
            if want[j] == "…" { return (i...got.count).contains { match($0, j + 1) } }
            return i < got.count && got[i] == want[j] && match(i + 1, j + 1)
        }
        return match(0, 0)
    }

    // MARK: - Running

    /// The directory of the built executables.
    static func binaries() throws -> String {
        let candidates = [Bundle.main.bundleURL.deletingLastPathComponent().path, Bundle.main.bundleURL.path,
                          Documents.root.appendingPathComponent(".build/debug").path]
        guard let dir = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0 + "/pg")
                                                  && FileManager.default.isExecutableFile(atPath: $0 + "/custom-env-example") }) else {
            throw XCTSkip("pg and custom-env-example are not built (looked in \(candidates))")
        }
        return dir
    }

    /// A scratch directory set up like a clone, and bash to run commands in it.
    final class Shell {
        let directory: String
        let bin: String
        let path: String

        init(bin: String) throws {
            self.bin = bin
            directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("pg-docs-" + UUID().uuidString)
            let fm = FileManager.default
            try fm.createDirectory(atPath: directory + "/.shims", withIntermediateDirectories: true)
            try fm.createDirectory(atPath: directory + "/.build/release", withIntermediateDirectories: true)
            for name in ["envs", "scripts"] {
                try fm.createSymbolicLink(atPath: directory + "/" + name,
                                          withDestinationPath: Documents.root.appendingPathComponent(name).path)
            }
            try fm.createSymbolicLink(atPath: directory + "/.build/release/pg", withDestinationPath: bin + "/pg")
            let shims = [
                "pg": "exec '\(bin)/pg' \"$@\"",
                "my-pg": "exec '\(bin)/custom-env-example' \"$@\"  # the documents' own package: the worked example",
                "swift": """
                if [ "$1" = run ]; then
                    shift
                    if [ "$1" = -c ]; then shift 2; fi
                    product=$1; shift
                    [ "$product" = my-pg ] && product=custom-env-example
                    exec '\(bin)'/"$product" "$@"
                fi
                if [ "$1" = symbolgraph-extract ] || [ "$1" = -print-target-info ]; then exec '\(Self.swift())' "$@"; fi
                echo "documentation tests: 'swift $1' is not run here (mark the block skip: or replace:)" >&2
                exit 97
                """,
            ]
            for (name, body) in shims {
                let file = directory + "/.shims/" + name
                try ("#!/bin/bash\n" + body + "\n").write(toFile: file, atomically: true, encoding: .utf8)
                chmod(file, 0o755)
            }
            path = directory + "/.shims:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        }

        /// The real `swift` on the PATH.
        static func swift() -> String {
            for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
                let candidate = String(dir) + "/swift"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
            return "/usr/bin/swift"
        }

        /// Runs `command` with bash; standard output and error together, the directory written
        /// `/home/you/pg`.
        func run(_ command: String, timeout: Double = 300) throws -> (status: Int32, output: String) {
            let log = directory + "/.output"
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = ["-o", "pipefail", "-c", command]
            p.currentDirectoryURL = URL(fileURLWithPath: directory)
            var environment = ProcessInfo.processInfo.environment
            environment["PATH"] = path
            environment["PG_DOCS_BIN"] = bin
            p.environment = environment
            p.standardOutput = handle
            p.standardError = handle
            p.standardInput = FileHandle.nullDevice
            try p.run()
            let deadline = Date().addingTimeInterval(timeout)
            while p.isRunning, Date() < deadline { usleep(5_000) }
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
            p.waitUntilExit()
            try handle.close()
            var output = try String(contentsOfFile: log, encoding: .utf8)
            for b in Set([bin, URL(fileURLWithPath: bin).resolvingSymlinksInPath().path]) {
                output = output.replacingOccurrences(of: b, with: "/home/you/pg/.build/release")
            }
            output = output.replacingOccurrences(of: directory, with: "/home/you/pg")
            return (p.terminationStatus, output)
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }
}
