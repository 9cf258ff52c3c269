import Foundation
import PolicyGradient

/// `pg compare`: several estimators × many seeds on one environment, aggregated in memory;
/// a table, one JSONL file of mergeable curves and finals, and an SVG plot. Sweeps split into
/// shards (`--shard i/n`) that `--merge` (or `pg plot`) combines.
enum CompareCommand {
    static let comparisonFlags = [
        Flag("estimators", "LIST", "comma list of \(EstimatorList.names.joined(separator: ", ")) "
             + "(default \(EstimatorList.defaults.joined(separator: ",")))"),
        Flag("seeds", "S", "seeds per estimator: --seed, --seed+1, ... (default 100)"),
        Flag("batch", "B", "episodes per update, the same for every estimator (default 32)"),
        Flag("samples", "K", "vimco's episodes per context; it uses B/K contexts (default 4)"),
        Flag("lr", "A[,A...]", "learning rates; several give one variant each per estimator (default 0.1)"),
        Flag("tau", "T[,T...]", "Gumbel temperatures; several give one variant each (default 1)"),
        Flag("threshold", "X", "report iterations until exact J (or the mean return) first reaches X"),
        Flag("metric", "NAME", "curve in the plot's first panel: exact_j, mean_return, optimal_action, entropy, grad_norm "
             + "(default exact_j where known, else mean_return)"),
        Flag("shard", "i/n", "run only the seeds with index = i mod n (0 <= i < n) and write a mergeable shard file; "
             + "auto or auto/n: i (and n) from the Slurm job array (README: Running a sweep on Slurm)"),
        Flag("merge", nil, "merge the shard files given as arguments instead of running"),
    ]

    static let excluded: Set = ["estimator", "baseline", "average", "samples", "batch", "lr", "tau"]
    static var trainingFlags: [Flag] { RunOptions.estimatorFlags.filter { !excluded.contains($0.name) } }
    static let outputFlags = [
        Flag("out", "FILE", "JSONL results (default runs/compare-ENV-....jsonl, never overwriting)"),
        Flag("plot", "FILE.svg", "SVG plot (default: the JSONL path with .svg; shards only when given)"),
        Flag("no-plot", nil, "write no SVG"),
        Flag("force", nil, "overwrite --out and --plot if they exist"),
        Flag("quiet", nil, "no progress bar"),
        Flag("help", nil, "show this help"),
    ]
    static var flags: [Flag] { RunOptions.environmentFlags + comparisonFlags + trainingFlags + outputFlags }

    static func run(_ args: [String], _ output: Output) throws -> Int32 {
        let a = try Arguments(args, flags: flags, command: "compare")
        if a.has("help") {
            output.out(PGCommand.help("pg compare — several estimators x many seeds on one environment: table, JSONL and SVG",
                                      usage: "pg compare --env NAME --estimators LIST --seeds S [--shard i/n] [OPTIONS]\n"
                                        + "       pg compare --merge FILE... [--out FILE] [--plot FILE.svg]",
                                      sections: [("ENVIRONMENT", RunOptions.environmentFlags),
                                                 ("COMPARISON", comparisonFlags),
                                                 ("TRAINING (shared by every estimator)", trainingFlags),
                                                 ("OUTPUT", outputFlags)]))
            return 0
        }
        if a.has("merge") { return try merge(a, output) }
        if !a.positionals.isEmpty {
            throw InputError("pg compare: unexpected argument '\(a.positionals[0])' (shard files go after --merge)")
        }
        let sweep = try Sweep(a, variables: output.environment)
        let progress = Progress(total: sweep.variants.count * sweep.seedIndices.count, label: "compare", output: output,
                                enabled: !a.has("quiet"))
        var aggregates: [SweepAggregate] = []
        for v in sweep.variants {
            let r = try SeedSweep.run(v, seeds: sweep.seeds, threads: sweep.threads, threshold: sweep.threshold,
                                      measureGradientError: sweep.exactKnown, environment: sweep.environmentForSeed)
            aggregates.append(SweepAggregate(r, seedIndices: sweep.seedIndices))
            progress.update(aggregates.count * sweep.seedIndices.count)
        }
        progress.finish()
        let file = CompareFile(path: "", config: sweep.configLine, aggregates: aggregates)
        let sharded = sweep.shard.count > 1
        let shardLabel = ShardSelection(shard: sweep.shard, sweepID: sweep.sweepID).fileLabel
        let path = a.string("out") ?? TrainCommand.defaultLogPath(
            env: sweep.environment.id, label: "s\(sweep.totalSeeds)" + (shardLabel.isEmpty ? "" : "-" + shardLabel),
            seed: sweep.options.configuration.seed, kind: "compare-")
        try finish(file, path: path, plotByDefault: !sharded, missingSeeds: 0, a, output)
        return 0
    }

    /// `--merge FILE...`: combines shard files into the table, file and plot of the whole sweep.
    static func merge(_ a: Arguments, _ output: Output) throws -> Int32 {
        guard !a.positionals.isEmpty else { throw InputError("pg compare --merge: give the shard files to merge") }
        let (merged, missing) = try CompareFile.merge(a.positionals.map { try CompareFile.read(path: $0) })
        let env = merged.config["env"]?.stringValue ?? "env"
        let path = a.string("out") ?? TrainCommand.defaultLogPath(env: env, label: "s\(merged.totalSeeds)-merged",
                                                                  seed: UInt64(merged.config["seed"]?.doubleValue ?? 1),
                                                                  kind: "compare-")
        try finish(merged, path: path, plotByDefault: true, missingSeeds: missing, a, output)
        return 0
    }

    /// Writes the JSONL file and the plot, and prints the table.
    static func finish(_ file: CompareFile, path: String, plotByDefault: Bool, missingSeeds: Int,
                       _ a: Arguments, _ output: Output) throws {
        let writer = try JSONLWriter(path: path, overwrite: a.has("force"))
        writer.write(file.config)
        for g in file.aggregates { for line in g.curveLines { writer.write(line) } }
        for g in file.aggregates { writer.write(g.finalLine) }
        writer.close()
        var plotPath: String?
        if !a.has("no-plot"), plotByDefault || a.has("plot") {
            let p = a.string("plot") ?? (path.hasSuffix(".jsonl") ? String(path.dropLast(6)) : path) + ".svg"
            try writePlot(report(file).figure, to: p, overwrite: a.has("force"))
            plotPath = p
        }
        printReport(output, file: file, missingSeeds: missingSeeds, path: path, plotPath: plotPath)
    }

    /// Writes an SVG, refusing to replace an existing file unless `overwrite`.
    static func writePlot(_ plot: SVGPlot, to path: String, overwrite: Bool) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: path) && !overwrite {
            throw InputError("\(path) exists; pass --force to overwrite it or --plot to choose another file")
        }
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        guard fm.createFile(atPath: path, contents: Data(plot.render().utf8)) else {
            throw InputError("cannot write the plot \(path)")
        }
    }
}
