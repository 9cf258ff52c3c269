import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// `pg compare --shard auto` with a Slurm environment given to the command, the sweep identity
/// in the config line, the merge refusing two sweeps and listing missing shards, and the
/// `pg sweep --dry-run` scripts run by bash as Slurm would run them.
final class CompareShardAutoTests: XCTestCase {
    let small = ["compare", "--env", "bandit10", "--estimators", "none,ema", "--seeds", "7", "--iterations", "6",
                 "--batch", "4", "--quiet", "--threads", "1"]

    /// Task `task` of `sbatch --array=0-(count-1)`, job `job`.
    func slurm(job: Int, task: Int, count: Int, sweep: String? = nil) -> [String: String] {
        var env = ["SLURM_ARRAY_JOB_ID": "\(job)", "SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_ARRAY_TASK_COUNT": "\(count)",
                   "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "\(count - 1)", "SLURM_ARRAY_TASK_STEP": "1"]
        env["PG_SWEEP_ID"] = sweep
        return env
    }

    func finals(_ path: String) throws -> [[Double]] {
        try CompareFile.read(path: path).aggregates.map(\.finals)
    }

    func testShardAutoReadsTheEnvironmentAndRecordsTheSweep() throws {
        let dir = try temporaryDirectory(self)
        let r = runPG(small + ["--shard", "auto", "--out", dir + "/s1.jsonl"], environment: slurm(job: 77, task: 1, count: 3))
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("(shard 1/3: 2 seeds)"), r.out)
        let config = try jsonLines(dir + "/s1.jsonl")[0]
        XCTAssertEqual(config["sweep_id"]?.stringValue, "77")
        XCTAssertEqual(config["shard_index"]?.doubleValue, 1)
        XCTAssertEqual(config["shard_count"]?.doubleValue, 3)
        XCTAssertEqual(try CompareFile.read(path: dir + "/s1.jsonl").aggregates[0].seedIndices, [1, 4])
        let plain = runPG(small + ["--shard", "1/3", "--out", dir + "/p.jsonl"], environment: slurm(job: 77, task: 1, count: 3))
        XCTAssertEqual(plain.status, 0, plain.err)
        XCTAssertNil(try jsonLines(dir + "/p.jsonl")[0]["sweep_id"], "i/n has no sweep identity")

        let outside = runPG(small + ["--shard", "auto"], environment: [:])
        XCTAssertEqual(outside.status, 2)
        XCTAssertEqual(outside.err, "pg: error: --shard auto: SLURM_ARRAY_TASK_ID is not set: --shard auto runs inside a Slurm "
                       + "job array (sbatch --array=0-N); elsewhere give --shard i/n\n")
        var env = slurm(job: 77, task: 1, count: 3)
        env["SLURM_ARRAY_TASK_COUNT"] = "4"
        let inconsistent = runPG(small + ["--shard", "auto"], environment: env)
        XCTAssertEqual(inconsistent.status, 2)
        XCTAssertTrue(inconsistent.err.hasPrefix("pg: error: --shard auto: SLURM_ARRAY_TASK_COUNT is 4, more than the 3 ids"), inconsistent.err)
        let tooMany = runPG(small + ["--shard", "auto"], environment: slurm(job: 5, task: 7, count: 8))
        XCTAssertEqual(tooMany.err, "pg: error: --shard 7/8: no seeds left for this shard (--seeds 7)\n")
    }

    func testMergeRefusesTwoSweepsAcceptsAReturningRerunAndListsMissingShards() throws {
        let dir = try temporaryDirectory(self)
        XCTAssertEqual(runPG(small + ["--out", dir + "/whole.jsonl", "--no-plot"]).status, 0)
        for task in 0..<3 {
            let r = runPG(small + ["--shard", "auto", "--out", dir + "/a\(task).jsonl"], environment: slurm(job: 77, task: task, count: 3))
            XCTAssertEqual(r.status, 0, r.err)
        }
        let other = runPG(small + ["--shard", "auto", "--out", dir + "/b1.jsonl"], environment: slurm(job: 80, task: 1, count: 3))
        XCTAssertEqual(other.status, 0, other.err)
        let mixed = runPG(["compare", "--merge", dir + "/a0.jsonl", dir + "/b1.jsonl", dir + "/a2.jsonl", "--out", dir + "/m.jsonl"])
        XCTAssertEqual(mixed.status, 2)
        XCTAssertEqual(mixed.err, "pg: error: cannot merge \(dir)/b1.jsonl with \(dir)/a0.jsonl: they differ in \"sweep_id\" "
                       + "(\"80\" vs \"77\"): shards of two sweeps (Slurm arrays) are never mixed\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/m.jsonl"))

        let partial = runPG(["compare", "--merge", dir + "/a0.jsonl", dir + "/a2.jsonl", "--out", dir + "/partial.jsonl", "--no-plot"])
        XCTAssertEqual(partial.status, 0, partial.err)
        XCTAssertTrue(partial.out.contains("  warning: 2 of 7 seeds are missing (shards not given); statistics cover the rest\n"
                                           + "  missing shards of 3: 1 (rerun them and merge again; "
                                           + "on Slurm: sbatch --array=1 --export=ALL,PG_SWEEP_ID=77 array.sh)\n"), partial.out)
        XCTAssertEqual(try jsonLines(dir + "/partial.jsonl")[0]["missing_shards"], .array([.int(1)]))

        // Task 1 rerun as an array of its own (sbatch --array=1), joining sweep 77 by PG_SWEEP_ID.
        let rerunEnv = ["SLURM_ARRAY_JOB_ID": "91", "SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "1",
                        "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "1", "SLURM_ARRAY_TASK_STEP": "1", "PG_SWEEP_ID": "77"]
        let rerun = runPG(small + ["--shard", "auto/3", "--out", dir + "/r1.jsonl"], environment: rerunEnv)
        XCTAssertEqual(rerun.status, 0, rerun.err)
        let merged = runPG(["compare", "--merge", dir + "/a0.jsonl", dir + "/r1.jsonl", dir + "/a2.jsonl", "--out", dir + "/m.jsonl",
                            "--no-plot"])
        XCTAssertEqual(merged.status, 0, merged.err)
        XCTAssertFalse(merged.out.contains("warning"), merged.out)
        let config = try jsonLines(dir + "/m.jsonl")[0]
        XCTAssertEqual(config["sweep_id"]?.stringValue, "77")
        XCTAssertEqual(config["missing_shards"], .array([]))
        XCTAssertEqual(try finals(dir + "/m.jsonl"), try finals(dir + "/whole.jsonl"))
    }

    /// The scripts of `pg sweep --dry-run`, run by bash with the variables Slurm would set:
    /// three array tasks, then the merge; its finals equal the sweep run in one process.
    func testDryRunScriptsRunUnderBashAsSlurmWouldRunThem() throws {
        let pg = try EndToEndTests.executable().path
        let dir = try temporaryDirectory(self)
        let options = Array(small.dropFirst().dropLast(2))
        let dry = runPG(["sweep", "--slurm", "--shards", "3", "--dry-run", "--pg", pg, "--out-dir", dir, "--"] + options)
        XCTAssertEqual(dry.status, 0, dry.err)
        let parts = dry.out.components(separatedBy: "# ---- merge.sh ----\n")
        let array = try XCTUnwrap(parts.first?.components(separatedBy: "# ---- array.sh ----\n").last)
        try array.write(toFile: dir + "/array.sh", atomically: true, encoding: .utf8)
        try parts[1].write(toFile: dir + "/merge.sh", atomically: true, encoding: .utf8)
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for task in [2, 0, 1] {
            let status = try bash(dir + "/array.sh", environment: slurm(job: 500, task: task, count: 3).merging(["PATH": path]) { $1 })
            XCTAssertEqual(status, 0, "task \(task)")
        }
        XCTAssertEqual(try bash(dir + "/merge.sh", environment: ["PATH": path, "PG_SWEEP_ID": "500"]), 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/500/merged.svg"))
        XCTAssertEqual(runPG(small + ["--out", dir + "/whole.jsonl", "--no-plot"]).status, 0)
        XCTAssertEqual(try finals(dir + "/500/merged.jsonl"), try finals(dir + "/whole.jsonl"))
        XCTAssertEqual(try jsonLines(dir + "/500/shard-2.jsonl")[0]["sweep_id"]?.stringValue, "500")
    }

    /// Runs `bash script` with `environment` and its output discarded; returns the exit status.
    func bash(_ script: String, environment: [String: String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [script]
        p.environment = environment
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}
