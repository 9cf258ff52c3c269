import Foundation
import PolicyGradient

/// `pg compare`: several estimators × many seeds on one environment, aggregated in memory;
/// a table, one JSONL file of mergeable curves and finals, and an SVG plot. Sweeps split into
/// shards (`--shard i/n`) that `--merge` (or `pg plot`) combines.
enum CompareCommand {
    static var comparisonFlags: [Flag] {
        [EstimatorList.listFlag, Flag(seedsSetting),
         Flag("lr", "A[,A...]", "learning rates; several give one variant each per estimator (default 0.1)"),
         Flag(thresholdSetting), Flag(metricSetting),
         Flag("shard", "i/n", "run only the seeds with index = i mod n (0 <= i < n) and write a mergeable shard file"),
         Flag("merge", nil, "merge the shard files given as arguments instead of running")]
    }

    static var trainingFlags: [Flag] { RunOptions.trainingFlags(excluding: ["lr"]) }
    static let outputFlags = [
        Flag("out", "FILE", "JSONL results (default runs/compare-ENV-....jsonl, never overwriting)"),
        Flag("plot", "FILE.svg", "SVG plot (default: the JSONL path with .svg; shards only when given)"),
        Flag("no-plot", nil, "write no SVG"),
        Flag("force", nil, "overwrite --out and --plot if they exist"),
        Flag("quiet", nil, "no progress bar"),
        Flag("help", nil, "show this help"),
    ]
    static var flags: [Flag] {
        RunOptions.environmentFlags + comparisonFlags + EstimatorList.flags + trainingFlags + RunOptions.policyFlags + outputFlags
    }

    static func run(_ args: [String], _ output: Output) throws -> Int32 {
        let a = try Arguments(args, flags: flags, command: "compare")
        if a.has("help") {
            output.out(PGCommand.help("pg compare — several estimators x many seeds on one environment: table, JSONL and SVG",
                                      usage: "pg compare --env NAME --estimators LIST --seeds S [--shard i/n] [OPTIONS]\n"
                                        + "       pg compare --merge FILE... [--out FILE] [--plot FILE.svg]",
                                      sections: [("ENVIRONMENT", RunOptions.environmentFlags),
                                                 ("COMPARISON", comparisonFlags),
                                                 ("ESTIMATOR SETTINGS (a number may be a list: one variant per value)", EstimatorList.flags),
                                                 ("TRAINING (shared by every estimator)", trainingFlags),
                                                 ("POLICY", RunOptions.policyFlags),
                                                 ("OUTPUT", outputFlags)]))
            return 0
        }
        if a.has("merge") { return try merge(a, output) }
        if !a.positionals.isEmpty {
            throw InputError("pg compare: unexpected argument '\(a.positionals[0])' (shard files go after --merge)")
        }
        let sweep = try Sweep(a)
        let perSeed = sweep.configuration.iterations
        let progress = Progress(total: sweep.variants.count * sweep.seedIndices.count * max(perSeed, 1), label: "compare",
                                output: output, enabled: !a.has("quiet"))
        var aggregates: [SweepAggregate] = []
        for v in sweep.variants {
            let done = aggregates.count * sweep.seedIndices.count * max(perSeed, 1)
            let r = try SeedSweep.run(v, seeds: sweep.seeds, threads: sweep.threads, threshold: sweep.threshold,
                                      measureGradientError: sweep.exactKnown, environment: sweep.environmentForSeed,
                                      progress: { progress.update(done + $0) })
            aggregates.append(SweepAggregate(r, seedIndices: sweep.seedIndices))
        }
        progress.finish()
        let file = CompareFile(path: "", config: sweep.configLine, aggregates: aggregates)
        let sharded = sweep.shard.count > 1
        let path = a.string("out") ?? TrainCommand.defaultLogPath(
            env: sweep.environment.id, label: "s\(sweep.totalSeeds)" + (sharded ? "-shard\(sweep.shard.index)of\(sweep.shard.count)" : ""),
            seed: sweep.configuration.seed, kind: "compare-")
        try finish(file, path: path, plotByDefault: !sharded, missingSeeds: 0, a, output)
        return 0
    }

    /// `--merge FILE...`: combines shard files into the table, file and plot of the whole sweep.
    static func merge(_ a: Arguments, _ output: Output) throws -> Int32 {
        guard !a.positionals.isEmpty else { throw InputError("pg compare --merge: give the shard files to merge") }
        let (merged, missing) = try CompareFile.merge(a.positionals.map { try CompareFile.read(path: $0) })
        let env = merged.config["env"]?.stringValue ?? "env"
        let path = a.string("out") ?? TrainCommand.defaultLogPath(env: env, label: "s\(merged.totalSeeds)-merged",
                                                                  seed: merged.config["seed"]?.exactSeedValue ?? 1,
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
