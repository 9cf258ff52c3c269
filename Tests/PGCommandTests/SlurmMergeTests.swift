import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// The merge of a Slurm sweep can run again and ends with the complete result; it never
/// replaces another file; it tells shards still in Slurm's queue from shards to rerun; a pattern
/// that matched nothing is named as such; and the merged `seconds` is the wall-clock span.
final class SlurmMergeTests: XCTestCase {
    let small = ["compare", "--env", "bandit10", "--estimators", "none,ema", "--seeds", "6", "--iterations", "4",
                 "--batch", "4", "--quiet", "--threads", "1"]

    func slurm(job: Int, task: Int, count: Int) -> [String: String] {
        ["SLURM_ARRAY_JOB_ID": "\(job)", "SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_ARRAY_TASK_COUNT": "\(count)",
         "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "\(count - 1)", "SLURM_ARRAY_TASK_STEP": "1"]
    }

    /// Shard `task` of 3 of sweep 77 in `dir`/77/shard-K.jsonl (beside an array.sh, as pg sweep lays it out).
    func shard(_ task: Int, in dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir + "/77", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: dir + "/77/array.sh", contents: Data("#!/bin/bash\n".utf8))
        let r = runPG(small + ["--shard", "auto/3", "--out", dir + "/77/shard-\(task).jsonl"], environment: slurm(job: 77, task: task, count: 3))
        XCTAssertEqual(r.status, 0, r.err)
    }

    func merge(_ dir: String, _ tasks: [Int], _ extra: [String] = [], environment: [String: String] = [:]) -> CommandResult {
        runPG(["compare", "--merge"] + tasks.map { dir + "/77/shard-\($0).jsonl" } + ["--out", dir + "/77/merged.jsonl"] + extra,
              environment: environment)
    }

    /// A merge before every shard is there, a merge by hand, the merge once more, then the
    /// complete merge: each replaces the last (before, the second merge failed with `merged.jsonl
    /// exists; pass --force`), and the last holds every seed, finals equal to one process's.
    func testTheMergeRunsAgainAndEndsWithTheCompleteResult() throws {
        let dir = try temporaryDirectory(self)
        try shard(0, in: dir)
        try shard(2, in: dir)
        for _ in 0..<2 {
            let partial = merge(dir, [0, 2])
            XCTAssertEqual(partial.status, 0, partial.err)
            XCTAssertTrue(partial.out.contains("  missing shards of 3: 1"), partial.out)
        }
        XCTAssertTrue(try String(contentsOfFile: dir + "/77/merged.svg", encoding: .utf8).hasSuffix(CompareCommand.plotMark("77")))
        try shard(1, in: dir)
        for _ in 0..<2 {
            let whole = merge(dir, [0, 1, 2])
            XCTAssertEqual(whole.status, 0, whole.err)
            XCTAssertFalse(whole.out.contains("missing"), whole.out)
        }
        let merged = try jsonLines(dir + "/77/merged.jsonl")
        XCTAssertEqual(merged[0]["missing_shards"], .array([]))
        XCTAssertEqual(runPG(small + ["--no-plot", "--out", dir + "/one.jsonl"]).status, 0)
        let finals = { (lines: [JSONValue]) in lines.filter { $0["type"]?.stringValue == "final" }.map { $0["final"] } }
        XCTAssertEqual(finals(merged), finals(try jsonLines(dir + "/one.jsonl")))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/77").sorted(),
                       ["array.sh", "merged.jsonl", "merged.svg", "shard-0.jsonl", "shard-1.jsonl", "shard-2.jsonl"], "no stray files")
    }

    /// Only an earlier merge of the same sweep is replaced, and never by a merge holding fewer
    /// shards; any other file at `--out` or the plot's path stays as it was.
    func testAMergeNeverReplacesAnotherFile() throws {
        let dir = try temporaryDirectory(self)
        for task in 0..<3 { try shard(task, in: dir) }
        XCTAssertEqual(merge(dir, [0, 1, 2]).status, 0)
        let complete = try String(contentsOfFile: dir + "/77/merged.jsonl", encoding: .utf8)
        let lesser = merge(dir, [0, 2])
        XCTAssertEqual(lesser.status, 2)
        XCTAssertEqual(lesser.err, "pg: error: \(dir)/77/merged.jsonl is an earlier merge of this sweep holding shards this merge lacks "
                       + "(1); pass --force to replace it, or --out to choose another file\n")
        XCTAssertEqual(try String(contentsOfFile: dir + "/77/merged.jsonl", encoding: .utf8), complete)
        for (name, text) in [("merged.jsonl", "my notes\n"), ("merged.svg", "<svg>mine</svg>\n")] {
            try FileManager.default.removeItem(atPath: dir + "/77/merged.jsonl")
            try FileManager.default.removeItem(atPath: dir + "/77/merged.svg")
            XCTAssertEqual(merge(dir, [0, 1, 2]).status, 0)
            try text.write(toFile: dir + "/77/" + name, atomically: true, encoding: .utf8)
            let r = merge(dir, [0, 1, 2])
            XCTAssertEqual(r.status, 2, name)
            XCTAssertTrue(r.err.contains("\(dir)/77/\(name) exists; pass --force to overwrite it"), r.err)
            XCTAssertEqual(try String(contentsOfFile: dir + "/77/" + name, encoding: .utf8), text)
        }
        // A merge of another sweep (another sweep_id) at --out is another file too.
        let other = runPG(small + ["--shard", "auto/3", "--out", dir + "/o0.jsonl"], environment: slurm(job: 78, task: 0, count: 3))
        XCTAssertEqual(other.status, 0, other.err)
        XCTAssertEqual(runPG(["compare", "--merge", dir + "/o0.jsonl", "--out", dir + "/o.jsonl", "--no-plot"]).status, 0)
        let mixed = runPG(["compare", "--merge", dir + "/77/shard-0.jsonl", "--out", dir + "/o.jsonl", "--no-plot"])
        XCTAssertEqual(mixed.status, 2)
        XCTAssertTrue(mixed.err.contains("o.jsonl exists; pass --force"), mixed.err)
    }

    /// A stand-in squeue in `dir/bin` printing `lines`.
    func fakeSqueue(in dir: String, lines: [String], status: Int = 0) throws -> [String: String] {
        try FileManager.default.createDirectory(atPath: dir + "/bin", withIntermediateDirectories: true)
        let script = "#!/bin/sh\n" + lines.map { "echo '\($0)'\n" }.joined() + "exit \(status)\n"
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/bin/squeue", contents: Data(script.utf8),
                                                     attributes: [.posixPermissions: 0o755]))
        return ["PATH": dir + "/bin:/usr/bin:/bin"]
    }

    /// Missing shards still in Slurm's queue are to be waited for, the others rerun (before, a
    /// merge told the user to rerun tasks that were still running); without squeue, pg says it
    /// cannot tell.
    func testMissingShardsAreSplitByWhatSqueueSays() throws {
        let dir = try temporaryDirectory(self)
        try shard(0, in: dir)
        let script = dir + "/77/array.sh"
        let env = try fakeSqueue(in: dir, lines: ["77|1|RUNNING|(null)", "91|2|PENDING|/elsewhere/array.sh", "12|2|RUNNING|(null)"])
        let r = merge(dir, [0], ["--no-plot"], environment: env)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("  missing shards of 3: 1,2\n"
                                     + "  still in Slurm's queue (squeue): 1 RUNNING: merge again when they have finished (do not rerun them)\n"
                                     + "  not in Slurm's queue: 2: they ended without a shard (sacct -j 77 says why); rerun them and merge "
                                     + "again: sbatch --array=2 --export=ALL,PG_SWEEP_ID=77 \(script)\n"), r.out)
        _ = try fakeSqueue(in: dir, lines: ["91|2|PENDING|\(script)"])
        let rerun = merge(dir, [0], ["--no-plot"], environment: env)
        XCTAssertTrue(rerun.out.contains("still in Slurm's queue (squeue): 2 PENDING"), "a rerun task of the sweep, by its script: \(rerun.out)")
        _ = try fakeSqueue(in: dir, lines: ["squeue: error: cannot reach slurmctld"], status: 1)
        for environment in [env, [:]] {
            let blind = merge(dir, [0], ["--no-plot"], environment: environment)
            XCTAssertTrue(blind.out.contains("  missing shards of 3: 1,2 (rerun them and merge again; on Slurm: sbatch --array=1,2 "
                                             + "--export=ALL,PG_SWEEP_ID=77 \(script))\n  squeue is not available here: check that these "
                                             + "tasks are not still queued or running before rerunning them\n"), blind.out)
        }
    }

    /// A merge before any shard exists names the pattern that matched nothing (and, in a merge
    /// job, what squeue holds of the sweep) instead of "cannot read" the pattern as a file.
    func testAPatternThatMatchedNothingIsNamed() throws {
        let dir = try temporaryDirectory(self)
        let pattern = dir + "/77/shard-*.jsonl"
        let r = runPG(["compare", "--merge", pattern, "--out", dir + "/m.jsonl"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.err, "pg: error: no file matches \(pattern) (the shell passes a pattern that matches nothing as it is): "
                       + "none of these files exists yet\n")
        var env = try fakeSqueue(in: dir, lines: ["77|0|PENDING|(null)", "77|1|PENDING|(null)", "77|2|RUNNING|(null)"])
        env["PG_SWEEP_ID"] = "77"
        let job = runPG(["compare", "--merge", pattern, "--out", dir + "/m.jsonl"], environment: env)
        XCTAssertTrue(job.err.hasSuffix("; squeue: sweep 77's tasks 0 PENDING, 1 PENDING, 2 RUNNING: merge again when they have finished\n"),
                      job.err)
    }

    /// Per variant, the merged `seconds` is the span from the first shard's start to the last
    /// one's finish, and `shard_seconds_sum` the shards' seconds added up (before, `seconds` was
    /// that sum). Files without times give the longest shard's seconds.
    func testMergedSecondsIsTheWallClockSpan() throws {
        let dir = try temporaryDirectory(self)
        for task in [0, 1] { try shard(task, in: dir) }
        let times = [(0, 1000.0, 1010.0, 10.0), (1, 1005.0, 1020.0, 15.0)]
        for (task, start, end, seconds) in times {
            try edit(dir + "/77/shard-\(task).jsonl") { key, value in
                switch key {
                case "started_at": return .double(start)
                case "finished_at": return .double(end)
                case "seconds": return .double(seconds)
                default: return value
                }
            }
        }
        XCTAssertEqual(merge(dir, [0, 1], ["--no-plot"]).status, 0)
        for line in try jsonLines(dir + "/77/merged.jsonl") where line["type"]?.stringValue == "final" {
            XCTAssertEqual(line["seconds"]?.doubleValue, 20)
            XCTAssertEqual(line["shard_seconds_sum"]?.doubleValue, 25)
            XCTAssertEqual(line["started_at"]?.doubleValue, 1000)
            XCTAssertEqual(line["finished_at"]?.doubleValue, 1020)
        }
        for task in [0, 1] { try edit(dir + "/77/shard-\(task).jsonl") { key, value in ["started_at", "finished_at"].contains(key) ? nil : value } }
        XCTAssertEqual(merge(dir, [0, 1], ["--no-plot", "--force"]).status, 0)
        for line in try jsonLines(dir + "/77/merged.jsonl") where line["type"]?.stringValue == "final" {
            XCTAssertEqual(line["seconds"]?.doubleValue, 15, "the longest shard's")
            XCTAssertEqual(line["shard_seconds_sum"]?.doubleValue, nil)
        }
    }

    /// Rewrites the final lines of the JSONL file at `path`, field by field (nil drops one).
    func edit(_ path: String, _ change: (String, JSONValue) -> JSONValue?) throws {
        let lines = try jsonLines(path).map { line -> JSONValue in
            guard line["type"]?.stringValue == "final", case let .object(pairs) = line else { return line }
            return .object(pairs.compactMap { k, v in change(k, v).map { (k, $0) } })
        }
        try lines.map { $0.text + "\n" }.joined().write(toFile: path, atomically: true, encoding: .utf8)
    }
}
