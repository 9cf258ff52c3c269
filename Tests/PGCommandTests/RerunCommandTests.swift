import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// A walk on a line of `walk_length` cells (a registered environment with a setting of its own):
/// right (1) moves right with probability 0.8, left (0) moves left; reaching the end pays 1.
struct WalkEnvironment: Environment {
    let length: Int
    var position = 0
    var id: String { "walk" }
    var actionCount: Int { 2 }
    var stateCount: Int { length }
    var timeLimit: Int { 3 * length }
    mutating func reset(using rng: inout RandomStream) -> Int {
        position = 0
        return 0
    }
    mutating func step(_ action: Int, using rng: inout RandomStream) -> StepResult {
        let forward = action == 1 ? rng.nextUniform() < 0.8 : false
        position = max(0, min(length - 1, position + (forward ? 1 : -1)))
        return StepResult(state: position, reward: position == length - 1 ? 1 : 0, terminated: position == length - 1)
    }

    static let lengthSetting = Setting(key: "walk_length", integer: 4, help: "cells of the walk") {
        (2...100).contains($0) ? nil : "must be in 2...100"
    }
}

/// `pg rerun LOG`: every kind of run gives every line again; a changed environment file, a
/// changed version and an edited log line are reported.
final class RerunCommandTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws { dir = try temporaryDirectory(self) }

    /// The log's text without the timing fields and the thread count.
    func stripped(_ path: String) throws -> String {
        var text = try String(contentsOfFile: path, encoding: .utf8)
        for key in ["elapsed", "seconds", "seconds_per_estimate", "variance_times_seconds", "threads", "started_at", "finished_at"] {
            text = text.replacingOccurrences(of: "\"\(key)\":[-+0-9.eE]+", with: "", options: .regularExpression)
        }
        return text
    }

    /// Runs `command` with one thread into NAME.jsonl, reruns it with `threads`, and expects
    /// "identical" with status 0 and the same lines (checked again on the text).
    @discardableResult
    func assertRerunsIdentically(_ command: [String], name: String, threads: String = "2",
                                 file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let log = dir + "/\(name).jsonl", again = dir + "/\(name).again.jsonl"
        let r = runPG(command + ["--out", log, "--quiet", "--threads", "1"])
        XCTAssertEqual(r.status, 0, r.err, file: file, line: line)
        let rerun = runPG(["rerun", log, "--threads", threads, "--out", again, "--quiet"])
        XCTAssertEqual(rerun.status, 0, rerun.err + rerun.out, file: file, line: line)
        XCTAssertEqual(rerun.err, "", file: file, line: line)
        let count = try jsonLines(log).count
        XCTAssertTrue(rerun.out.contains("pg rerun: identical: all \(count) lines of \(log) equal those of \(again)"),
                      rerun.out, file: file, line: line)
        XCTAssertEqual(try stripped(log), try stripped(again), file: file, line: line)
        XCTAssertNotEqual(try jsonLines(again)[0]["threads"], try jsonLines(log)[0]["threads"], "threads may differ",
                          file: file, line: line)
        return log
    }

    func testBuiltInEnvironmentsWithTheirSettings() throws {
        try assertRerunsIdentically(["--env", "bandit10", "--bandit-mean", "4", "--arms", "5", "--baseline", "ema",
                                     "--iterations", "20"], name: "bandit10")
        try assertRerunsIdentically(["--env", "bernoulli", "--probs", "0.1,0.7,0.35", "--estimator", "gumbel", "--tau", "0.5",
                                     "--iterations", "20", "--lr", "0.3", "--lr-decay", "0.01"], name: "bernoulli")
        try assertRerunsIdentically(["--env", "toy", "--target", "0.2,0.5,0.3", "--baseline", "nvil", "--iterations", "20",
                                     "--optimizer", "sgd", "--seed", "18446744073709551615"], name: "toy", threads: "0")
        try assertRerunsIdentically(["--env", "FrozenLake-v1", "--map", "8x8", "--slippery", "false", "--iterations", "3",
                                     "--gamma", "0.99"], name: "lake")
        let lake = try jsonLines(dir + "/lake.jsonl")[0]
        XCTAssertTrue(lake["env_file"]?.stringValue?.hasSuffix("FrozenLake-v1-8x8-deterministic.txt") == true, lake.text)
        XCTAssertEqual(lake["env_sha256"]?.stringValue?.count, 64, "the alias's map file is hashed")
    }

    func testEnvironmentFiles() throws {
        let map = dir + "/maze.txt", spec = dir + "/arms.json"
        try String(contentsOfFile: EnvsDirectory.shipped + "/FrozenLake-v1-4x4-deterministic.txt", encoding: .utf8)
            .replacingOccurrences(of: "name: FrozenLake-v1-4x4-deterministic", with: "name: maze")
            .write(toFile: map, atomically: false, encoding: .utf8)
        try #"{"arms": [{"distribution": "bernoulli", "p": 0.3}, {"distribution": "gaussian", "mean": 0.5, "sd": 1}]}"#
            .write(toFile: spec, atomically: false, encoding: .utf8)
        try assertRerunsIdentically(["--env", map, "--baseline", "vimco", "--iterations", "4", "--policy", "mlp", "--hidden", "8"],
                                    name: "maze")
        try assertRerunsIdentically(["--env", spec, "--baseline", "ema", "--iterations", "10", "--policy", "linear"], name: "arms")
        try assertRerunsIdentically(["--env", "Taxi-v4", "--iterations", "2", "--batch", "4"], name: "taxi")
        let config = try jsonLines(dir + "/arms.jsonl")[0]
        XCTAssertEqual(config["env_file"]?.stringValue, spec)
        XCTAssertEqual(config["env_sha256"]?.stringValue, try SHA256.hexDigest(ofFile: spec))
    }

    func testARegisteredEnvironmentWithItsOwnSetting() throws {
        EnvironmentRegistry.register(name: "walk", description: "a walk on a line", settings: [WalkEnvironment.lengthSetting]) { o in
            WalkEnvironment(length: o.settings.integer(WalkEnvironment.lengthSetting))
        }
        defer { EnvironmentRegistry.unregister(name: "walk") }
        let log = try assertRerunsIdentically(["--env", "walk", "--walk-length", "6", "--baseline", "ema", "--iterations", "10"],
                                              name: "walk")
        XCTAssertEqual(try jsonLines(log)[0]["env_settings"]?.text, #"{"walk_length":6}"#)
    }

    func testCompareAndVariance() throws {
        try assertRerunsIdentically(["compare", "--env", "FrozenLake-v1", "--estimators", "none,ema", "--seeds", "2",
                                     "--iterations", "5", "--lr", "0.1,0.3", "--batch", "8"], name: "compare")
        try assertRerunsIdentically(["compare", "--env", "bandit10", "--estimators", "gumbel,st-gumbel", "--tau", "0.5,1",
                                     "--seeds", "3", "--iterations", "10", "--shard", "1/2"], name: "shard")
        try assertRerunsIdentically(["variance", "--env", "bernoulli", "--estimators", "none,ema,gumbel", "--tau", "0.5,1",
                                     "--replicates", "20", "--batch", "8"], name: "variance")
        try assertRerunsIdentically(["variance", "--env", "FrozenLake-v1", "--estimators", "none,vimco", "--replicates", "5",
                                     "--batch", "8", "--at", "after:3", "--train", "nvil"], name: "variance-after")
    }

    /// Runs that read a checkpoint (`train --init`, `variance --at`) rerun identically; an edited
    /// checkpoint is reported by its content hash.
    func testRunsFromACheckpoint() throws {
        XCTAssertEqual(runPG(["--env", "CliffWalking-v1", "--iterations", "3", "--batch", "4", "--quiet",
                              "--out", dir + "/first.jsonl"]).status, 0)
        let checkpoint = dir + "/first.checkpoint.json"
        let continued = try assertRerunsIdentically(["--init", checkpoint, "--iterations", "2", "--batch", "4"], name: "continued")
        try assertRerunsIdentically(["variance", "--at", checkpoint, "--estimators", "none,ema", "--replicates", "4", "--batch", "4"],
                                    name: "at")
        var c = try Checkpoint.read(path: checkpoint)
        c.parameters[0] += 1
        try c.write(to: checkpoint, replacing: true)
        let r = runPG(["rerun", continued, "--quiet", "--out", dir + "/continued.edited.jsonl"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.out.contains("  changed: the --init checkpoint \(checkpoint) was edited since the run (sha256 "), r.out)
        XCTAssertTrue(r.out.contains("pg rerun: differs: line 2, "), "the first update already differs: " + r.out)
    }

    /// An edited map is reported before the run, and its effect found in the lines.
    func testAnEditedEnvironmentFileIsReported() throws {
        let map = dir + "/edited.txt"
        let text = try String(contentsOfFile: EnvsDirectory.shipped + "/FrozenLake-v1-4x4.txt", encoding: .utf8)
            .replacingOccurrences(of: "name: FrozenLake-v1-4x4", with: "name: edited")
        try text.write(toFile: map, atomically: false, encoding: .utf8)
        let log = dir + "/edited.jsonl"
        XCTAssertEqual(runPG(["--env", map, "--iterations", "3", "--quiet", "--out", log]).status, 0)
        let before = try SHA256.hexDigest(ofFile: map)
        try text.replacingOccurrences(of: "time-limit: 100", with: "time-limit: 50").write(toFile: map, atomically: false, encoding: .utf8)
        let after = try SHA256.hexDigest(ofFile: map)
        let r = runPG(["rerun", log, "--quiet"])
        XCTAssertEqual(r.status, 1, r.err)
        XCTAssertTrue(r.out.contains("  changed: the environment file \(map) was edited since the run (sha256 "
                                     + "\(before.prefix(16))... then, \(after.prefix(16))... now)\n"), r.out)
        XCTAssertTrue(r.out.contains(#"pg rerun: differs: line 1, "time_limit": 100 in the original, 50 in the rerun"#), r.out)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/edited.rerun.jsonl"), "the default path")
    }

    /// An edited line is the difference reported; another version is reported before the run.
    func testAnEditedLineAndAnotherVersionAreReported() throws {
        let log = dir + "/run.jsonl"
        XCTAssertEqual(runPG(["--env", "FrozenLake-v1", "--iterations", "6", "--quiet", "--out", log]).status, 0)
        var lines = try String(contentsOfFile: log, encoding: .utf8).components(separatedBy: "\n")
        let entropy = try XCTUnwrap(try JSONParser.parse(lines[4])["entropy"]?.text)
        lines[4] = lines[4].replacingOccurrences(of: "\"entropy\":\(entropy)", with: "\"entropy\":0.5")
        try lines.joined(separator: "\n").write(toFile: dir + "/edited.jsonl", atomically: false, encoding: .utf8)
        let r = runPG(["rerun", dir + "/edited.jsonl", "--quiet"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.out.contains("pg rerun: differs: line 5, \"entropy\": 0.5 in the original, \(entropy) in the rerun"), r.out)

        lines = try String(contentsOfFile: log, encoding: .utf8).components(separatedBy: "\n")
        lines[0] = lines[0].replacingOccurrences(of: #""version":"\#(PGVersion.current)""#, with: #""version":"0.1.0""#)
        try lines.joined(separator: "\n").write(toFile: dir + "/old.jsonl", atomically: false, encoding: .utf8)
        let old = runPG(["rerun", dir + "/old.jsonl", "--quiet", "--out", dir + "/old-again.jsonl"])
        XCTAssertEqual(old.status, 1)
        XCTAssertTrue(old.out.contains("  changed: the log was written by pg 0.1.0; this is pg \(PGVersion.current)\n"), old.out)
        XCTAssertTrue(old.out.contains(#"pg rerun: differs only as reported above: line 1, "version": "0.1.0" in the original"#),
                      old.out)

        // An older pg that did not write a field: named apart from the fields that differ.
        lines[4] = lines[4].replacingOccurrences(of: ",\"entropy\":\(entropy)", with: "")
        try lines.joined(separator: "\n").write(toFile: dir + "/older.jsonl", atomically: false, encoding: .utf8)
        let older = runPG(["rerun", dir + "/older.jsonl", "--quiet", "--out", dir + "/older-again.jsonl"])
        XCTAssertEqual(older.status, 1)
        XCTAssertTrue(older.out.contains("pg rerun: differs only as reported above and by what pg 0.1.0 did not write (the fields entropy): "
                                         + "every field of the original is equal"), older.out)
        lines[5] = lines[5].replacingOccurrences(of: "\"iteration\":", with: "\"iteration\":1000")
        try lines.joined(separator: "\n").write(toFile: dir + "/older.jsonl", atomically: false, encoding: .utf8)
        let changed = runPG(["rerun", dir + "/older.jsonl", "--quiet", "--out", dir + "/older-again.jsonl", "--force"])
        XCTAssertTrue(changed.out.contains("pg rerun: differs: line 6, \"iteration\""), changed.out)
    }

    func testTheNewLogNeverReplacesTheOriginal() throws {
        let log = dir + "/run.jsonl"
        XCTAssertEqual(runPG(["--env", "toy", "--iterations", "2", "--quiet", "--out", log]).status, 0)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        let r = runPG(["rerun", log, "--out", log, "--force"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.err.hasPrefix("pg: error: ") && r.err.contains(log), r.err)
        XCTAssertEqual(try String(contentsOfFile: log, encoding: .utf8), text)
        XCTAssertEqual(runPG(["rerun", log, "--quiet"]).status, 0)
        XCTAssertEqual(runPG(["rerun", log, "--quiet"]).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/run.rerun-2.jsonl"), "a second rerun takes the next name")
    }
}

