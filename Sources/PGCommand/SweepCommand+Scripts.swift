import Foundation
import PolicyGradient

/// A `pg sweep --slurm` sweep: its settings, checked, and the two batch scripts it submits.
///
/// Both scripts are fixed text (no job id in them): the array's tasks name the sweep by
/// `PG_SWEEP_ID`, else their own `SLURM_ARRAY_JOB_ID`; the merge job is given the array's id as
/// `PG_SWEEP_ID` on sbatch's command line. So `--dry-run` prints exactly what is submitted, and
/// rerunning a task (`sbatch --array=K --export=ALL,PG_SWEEP_ID=J array.sh`) reuses the script.
struct SlurmSweep {
    var shards: Int
    var cpus: Int
    var jobName: String
    /// `#SBATCH` options shared by both jobs besides the name, cpus and output: partition, account, time, mem.
    var sharedOptions: [(String, String)] = []
    /// Absolute: Slurm logs here, the sweep's files in `outDir/JOBID/`.
    var outDir: String
    /// Absolute: where pg sweep ran; both jobs `cd` here, so relative paths keep their meaning.
    var workingDirectory: String
    /// Absolute path of the pg the jobs run.
    var pg: String
    /// What each task passes to `pg compare` (before `--shard auto/N --out ...`).
    var shardArguments: [String]
    /// What the merge passes to `pg compare --merge` besides the shard files and `--out`.
    var mergeArguments: [String]
    /// The merged JSONL file when the compare options name it (`--out`); else `outDir/SWEEP/merged.jsonl`.
    var mergedOut: String?

    /// Reads and checks the `pg sweep` flags and the compare options.
    /// - Throws: ``InputError`` naming the flag.
    init(_ a: Arguments, compareArguments: [String], workingDirectory: String) throws {
        guard let n = try a.int("shards") else { throw InputError("pg sweep: give the number of shards, --shards N") }
        guard n >= 1 else { throw InputError("--shards: must be at least 1, got \(n)") }
        shards = n
        cpus = try a.int("cpus") ?? SweepCommand.defaultCPUs
        guard (1...4096).contains(cpus) else { throw InputError("--cpus: expected 1 to 4096 CPUs per task, got \(cpus)") }
        jobName = try SlurmSweep.checked("job-name", a.string("job-name") ?? SweepCommand.defaultJobName, SlurmSweep.nameCharacters)
        for flag in ["partition", "account"] {
            if let v = a.string(flag) { sharedOptions.append((flag, try SlurmSweep.checked(flag, v, SlurmSweep.nameCharacters + ","))) }
        }
        if let t = a.string("time") { sharedOptions.append(("time", try SlurmSweep.checkedTime(t))) }
        if let m = a.string("mem") { sharedOptions.append(("mem", try SlurmSweep.checkedMemory(m))) }
        self.workingDirectory = workingDirectory
        // Every path is checked here, before anything is submitted: a job array must never be
        // queued for a sweep whose files cannot be written.
        for flag in ["out-dir", "pg"] where a.string(flag)?.isEmpty == true { throw InputError("--\(flag): the path is empty") }
        let dir = try SlurmSweep.checked("out-dir", SlurmSweep.absolute(a.string("out-dir") ?? SweepCommand.defaultOutDir,
                                                                        in: workingDirectory), SlurmSweep.pathCharacters)
        try OutputFlag.under("out-dir") { try OutputFile.checkDirectory(dir) }
        outDir = dir
        pg = SlurmSweep.absolute(a.string("pg") ?? SlurmSweep.runningExecutable, in: workingDirectory)
        try SlurmSweep.checkExecutable(pg)
        let (shard, merge, given) = try SweepCommand.checkCompareOptions(compareArguments, shards: n)
        shardArguments = shard + (given.contains("threads") ? [] : ["--threads", String(cpus)])
            + (given.contains("quiet") ? [] : ["--quiet"])
        let (out, rest) = SweepCommand.partition(merge, taking: ["out"])
        mergeArguments = rest
        mergedOut = out.last.map { $0.hasPrefix("--out=") ? String($0.dropFirst(6)) : $0 }
        if let m = mergedOut, !given.contains("force"),
           FileManager.default.fileExists(atPath: SlurmSweep.absolute(m, in: workingDirectory)) {
            throw InputError("\(m) exists; pass --force to overwrite it or --out to choose another file")
        }
        try SweepCommand.checkMergeOutputs(merge, in: workingDirectory)
    }

    // MARK: - Scripts

    /// The array job: task K runs shard K of N and writes `outDir/SWEEP/shard-K.jsonl`.
    var arrayScript: String {
        var s = header(name: jobName, extra: ["array=0-\(shards - 1)"], cpus: cpus, log: "slurm-%A_%a.out")
        s += """
        # pg sweep: task K runs shard K of \(shards) of one pg compare sweep and writes
        # \(outDir)/SWEEP/shard-K.jsonl, SWEEP being PG_SWEEP_ID or else this array's job id.
        # Rerun a failed task K of sweep SWEEP: sbatch --array=K --export=ALL,PG_SWEEP_ID=SWEEP THIS_SCRIPT
        set -euo pipefail
        cd \(SlurmSweep.shellQuoted(workingDirectory))
        sweep="${PG_SWEEP_ID:-$SLURM_ARRAY_JOB_ID}"
        mkdir -p "\(outDir)/$sweep"
        exec \(command(["compare"] + shardArguments)) \\
            --shard auto/\(shards) --out "\(outDir)/$sweep/shard-$SLURM_ARRAY_TASK_ID.jsonl"

        """
        return s
    }

    /// The merge job: `pg compare --merge` of every shard of sweep `PG_SWEEP_ID`.
    var mergeScript: String {
        var s = header(name: jobName + "-merge", extra: [], cpus: 1, log: "slurm-%j.out")
        let out = mergedOut.map(SlurmSweep.shellQuoted) ?? "\"\(outDir)/$sweep/merged.jsonl\""
        let rest = mergeArguments.map { " " + SlurmSweep.shellQuoted($0) }.joined()
        s += """
        # pg sweep: merges the shards of sweep SWEEP into one table, JSONL file and SVG; submitted with
        #   sbatch --dependency=afterok:SWEEP --export=ALL,PG_SWEEP_ID=SWEEP THIS_SCRIPT
        # (after rerunning failed tasks, depend on the rerun's job id; SWEEP stays the first array's).
        # Safe to run again: it replaces an earlier merge of this sweep (never another file), and
        # names missing shards, telling those still in Slurm's queue from those to rerun.
        set -euo pipefail
        cd \(SlurmSweep.shellQuoted(workingDirectory))
        sweep="${PG_SWEEP_ID:?set PG_SWEEP_ID to the sweep (the array job id)}"
        exec \(SlurmSweep.shellQuoted(pg)) compare --merge "\(outDir)/$sweep"/shard-*.jsonl --out \(out)\(rest)

        """
        return s
    }

    /// `--dry-run`'s output: the sbatch commands, then both scripts.
    var dryRun: String {
        """
        # pg sweep --dry-run: nothing submitted. pg sweep --slurm would run
        #   sbatch --parsable < array.sh    (prints the array's job id, J)
        #   sbatch --parsable --dependency=afterok:J --export=ALL,PG_SWEEP_ID=J < merge.sh
        # and keep both scripts in \(outDir)/J/.
        # ---- array.sh ----
        \(arrayScript)# ---- merge.sh ----
        \(mergeScript)
        """
    }

    /// The `#SBATCH` lines; the merge runs on one CPU (it reads files and sums).
    private func header(name: String, extra: [String], cpus: Int, log: String) -> String {
        var lines = ["#!/bin/bash", "#SBATCH --job-name=\(name)"] + extra.map { "#SBATCH --" + $0 }
        lines += ["#SBATCH --cpus-per-task=\(cpus)", "#SBATCH --output=\(outDir)/\(log)"]
        lines += sharedOptions.map { "#SBATCH --\($0.0)=\($0.1)" }
        return lines.joined(separator: "\n") + "\n"
    }

    private func command(_ args: [String]) -> String {
        ([pg] + args).map(SlurmSweep.shellQuoted).joined(separator: " ")
    }
}
