import Foundation
import PolicyGradient

/// `pg sweep --slurm`: one `pg compare` sweep as a Slurm job array of N shards plus a merge job
/// that depends on it (the Slurm article of the reference).
///
/// `pg sweep --slurm --shards N [SBATCH OPTIONS] [--dry-run] -- COMPARE OPTIONS` checks the
/// compare options with compare's own parser, writes the two batch scripts
/// (``SlurmSweep/arrayScript`` and ``SlurmSweep/mergeScript``) and submits them with `sbatch`
/// (the array first; the merge with `--dependency=afterok:` the array's job id), or with
/// `--dry-run` prints them and submits nothing.
enum SweepCommand {
    static let defaultCPUs = 1
    static let defaultJobName = "pg-sweep"
    static let defaultOutDir = "runs/slurm"

    static let flags = [
        Flag("slurm", nil, "run the sweep as a Slurm job array and a merge job (required: the one scheduler so far)"),
        Flag("shards", "N", "array tasks, one shard of the seeds each: --array=0-(N-1) (required; N <= --seeds)"),
        Flag("dry-run", nil, "print both batch scripts and the sbatch commands; submit nothing, write nothing"),
        Flag("partition", "P", "#SBATCH --partition of both jobs (default: the cluster's default partition)"),
        Flag("account", "A", "#SBATCH --account of both jobs (default: yours)"),
        Flag("time", "T", "time limit of each task and of the merge: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS "
             + "(default: the partition's)"),
        Flag("cpus", "C", "CPUs per task (#SBATCH --cpus-per-task), and compare's --threads unless given (default \(defaultCPUs))"),
        Flag("mem", "M", "memory per task: an integer of megabytes, or with a K, M, G or T suffix (default: the partition's)"),
        Flag("job-name", "NAME", "name of the array job; the merge job is NAME-merge (default \(defaultJobName))"),
        Flag("out-dir", "DIR", "Slurm logs go to DIR, scripts, shards and merged results to DIR/JOBID/ (default \(defaultOutDir))"),
        Flag("pg", "PATH", "the pg executable the jobs run (default: this one)"),
        Flag("help", nil, "show this help"),
    ]

    static func run(_ args: [String], _ output: Output) throws -> Int32 {
        let dash = args.firstIndex(of: "--")
        let a = try Arguments(Array(args[..<(dash ?? args.endIndex)]), flags: flags, command: "sweep")
        if a.has("help") {
            output.out(PGCommand.help("pg sweep — one pg compare sweep as a Slurm job array and a merge job",
                                      usage: "pg sweep --slurm --shards N [--dry-run] [OPTIONS] -- COMPARE OPTIONS\n"
                                        + "       (COMPARE OPTIONS: those of pg compare except --shard and --merge; "
                                        + "--out, --plot, --no-plot name the merged results)",
                                      sections: [("OPTIONS", flags)]))
            return 0
        }
        try a.rejectPositionals(command: "sweep")
        guard a.has("slurm") else {
            throw InputError("pg sweep: give --slurm (a Slurm job array is the one way pg sweep runs a sweep so far)")
        }
        guard let dash else {
            throw InputError("pg sweep: give the compare options after --, for example: "
                             + "pg sweep --slurm --shards 4 -- --env bandit10 --seeds 100")
        }
        let sweep = try SlurmSweep(a, compareArguments: Array(args[(dash + 1)...]),
                                   workingDirectory: FileManager.default.currentDirectoryPath)
        if a.has("dry-run") {
            output.out(sweep.dryRun)
            return 0
        }
        if let id = output.environment["PG_SWEEP_ID"], !id.isEmpty {
            throw InputError("pg sweep: PG_SWEEP_ID is set (to '\(id)') and sbatch would pass it to every task; "
                             + "unset it: the array job's id names a new sweep")
        }
        return sweep.submit(output)
    }

    // MARK: - Compare options

    /// Checks the compare options exactly as `pg compare` would (without running anything) and
    /// returns them with the flags that belong to the merge (`--out`, `--plot`, `--no-plot`) set apart.
    /// - Throws: ``InputError``: compare's own message, or pg sweep's for `--shard`, `--merge`,
    ///   `--help`, a positional argument, or more shards than seeds.
    static func checkCompareOptions(_ args: [String], shards: Int) throws -> (shard: [String], merge: [String], given: Set<String>) {
        let a = try Arguments(args, flags: CompareCommand.flags, command: "compare")
        for (name, why) in [("shard", "pg sweep gives each task --shard auto/N"), ("merge", "the merge job runs it"),
                            ("help", "pg compare --help lists the compare options")] where a.has(name) {
            throw InputError("pg sweep: --\(name) is not one of the sweep's compare options (\(why))")
        }
        if let p = a.positionals.first { throw InputError("pg sweep: unexpected argument '\(p)' among the compare options") }
        let seeds = try a.int("seeds") ?? CompareCommand.seedsSetting.defaultValue!.integer!
        if seeds >= 1, shards > seeds {
            throw InputError("--shards: \(shards) shards need at least \(shards) seeds, got --seeds \(seeds)")
        }
        let probe = try Arguments(args + ["--shard", "0/\(shards)"], flags: CompareCommand.flags, command: "compare")
        try CompareCommand.Sweep(probe).checkSize(probe)  // the merged file must be one pg reads back
        _ = try RunOptions.memoryLimit(probe)  // parsed here; checked by each task on its node
        let (merge, shard) = partition(args, taking: ["out", "plot", "no-plot"])
        return (shard, merge + (a.has("force") ? ["--force"] : []), Set(CompareCommand.flags.map(\.name).filter(a.has)))
    }

    /// Checks the merged results' `--out` and `--plot` (among `merge`, the merge job's compare
    /// options) as the merge job will create them, relative to `directory`.
    static func checkMergeOutputs(_ merge: [String], in directory: String) throws {
        let a = try Arguments(merge, flags: CompareCommand.flags, command: "compare")
        let absolute = { (p: String) in SlurmSweep.absolute(p, in: directory) }
        if let out = a.string("out") {
            if out.isEmpty { throw InputError("--out: the path is empty") }
            try OutputFlag.under("out") { try JSONLWriter.check(path: absolute(out), mode: a.has("force") ? .replace : .create) }
        }
        if let plot = a.string("plot"), !a.has("no-plot") {
            if plot.isEmpty { throw InputError("--plot: the path is empty") }
            try OutputFlag.under("plot") { try OutputFile.check(absolute(plot), replacing: a.has("force")) }
        }
    }

    /// Splits well-formed compare arguments into those of the flags `names` (with their values)
    /// and the rest, each in the given order.
    static func partition(_ args: [String], taking names: Set<String>) -> (taken: [String], kept: [String]) {
        var taken: [String] = [], kept: [String] = [], i = 0
        while i < args.count {
            let name = String(args[i].dropFirst(2).prefix { $0 != "=" })
            let takesValue = !args[i].contains("=") && CompareCommand.flags.first { $0.name == name }?.value != nil
            let group = Array(args[i..<min(args.count, i + (takesValue ? 2 : 1))])
            if names.contains(name) { taken += group } else { kept += group }
            i += group.count
        }
        return (taken, kept)
    }
}
