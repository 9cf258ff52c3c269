import Foundation
import PolicyGradient

/// `pg compare`: several estimators × many seeds on one environment, aggregated in memory;
/// a table, one JSONL file of mergeable curves and finals, and an SVG plot. Sweeps split into
/// shards (`--shard i/n`) that `--merge` (or `pg plot`) combines.
enum CompareCommand {
    static var comparisonFlags: [Flag] {
        [EstimatorList.listFlag, Flag(seedsSetting),
         Flag("lr", "A[,A...]", "learning rates; several give one variant each per estimator (default "
              + "\(TrainingConfiguration.learningRateSetting.defaultValue!.text))"),
         Flag(thresholdSetting), Flag(metricSetting), Flag(referenceSetting), Flag(perSetting),
         Flag("shard", "i/n", "run only the seeds with index = i mod n (0 <= i < n) and write a mergeable shard file; "
              + "auto or auto/n: i (and n) from the Slurm job array (the Slurm article of the reference)"),
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

    /// `completed` when every variant ran every seed, else `interrupted`: what was run decides,
    /// so a signal after the last seed run finished leaves a complete sweep.
    static func runStatus(seedsCompleted: [Int], seeds: Int) -> String {
        seedsCompleted.allSatisfy { $0 == seeds } ? "completed" : "interrupted"
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
        try checkOutputs(a)  // before the sweep is set up, let alone run
        let sweep = try Sweep(a, variables: output.environment)
        try sweep.checkMemory(a)
        try sweep.checkSize(a)
        if let out = a.string("out"), sweep.shard.count == 1 { try checkDefaultPlot(a, out: out) }
        Interruption.beginPolling()
        let perSeed = sweep.configuration.iterations
        let progress = Progress(label: "compare", unit: "seed-updates",
                                counts: sweep.variants.map { _ in sweep.seedIndices.count * max(perSeed, 1) },
                                output: output, enabled: !a.has("quiet")) {  // each variant's cost per update, measured
            guard let seed = sweep.seeds.first else { return [] }
            return try sweep.variants.map {
                try SeedSweep.secondsPerUpdate($0, seed: seed, measureGradientError: sweep.exactKnown,
                                               environment: sweep.environmentForSeed)
            }
        }
        var aggregates: [SweepAggregate] = []
        var timings: [String: CompareFile.Timing] = [:]
        let index = Dictionary(zip(sweep.seeds, sweep.seedIndices), uniquingKeysWith: { first, _ in first })
        for v in sweep.variants {
            if Interruption.requested {  // a variant not started: kept, with no seeds, so that shards still merge
                aggregates.append(SweepAggregate(label: v.label, curves: CurveAccumulator(iterations: perSeed), seedIndices: [],
                                                 seeds: [], finals: [], iterationsToThreshold: [], seconds: 0))
                continue
            }
            let done = aggregates.count * sweep.seedIndices.count * max(perSeed, 1)
            let started = CompareFile.now
            let r = try SeedSweep.run(v, seeds: sweep.seeds, threads: sweep.threads, threshold: sweep.threshold,
                                      measureGradientError: sweep.exactKnown, environment: sweep.environmentForSeed,
                                      progress: { progress.update(done + $0) })
            aggregates.append(SweepAggregate(r, seedIndices: r.seeds.map { index[$0]! }))
            if !r.seeds.isEmpty { timings[v.label] = CompareFile.Timing(started: started, finished: CompareFile.now) }
        }
        progress.finish()
        let status = runStatus(seedsCompleted: aggregates.map(\.seeds.count), seeds: sweep.seeds.count)
        let file = CompareFile(path: "", config: sweep.configLine, aggregates: aggregates, status: status, timings: timings)
        let sharded = sweep.shard.count > 1
        let shardLabel = ShardSelection(shard: sweep.shard, sweepID: sweep.sweepID).fileLabel
        let path = a.string("out") ?? TrainCommand.defaultLogPath(
            env: sweep.environment.id, label: "s\(sweep.totalSeeds)" + (shardLabel.isEmpty ? "" : "-" + shardLabel),
            seed: sweep.configuration.seed, kind: "compare-")
        try finish(file, path: path, plotByDefault: !sharded, missingSeeds: 0, a, output)
        return status == "completed" ? 0 : 130
    }

    /// Writes the JSONL file and the plot, and prints the table.
    /// - Parameters:
    ///   - replacing: outputs that may be replaced without `--force` (an earlier merge of the sweep).
    ///   - queue: the sweep's tasks in Slurm's queue, for missing shards (nil: not asked, or no answer).
    static func finish(_ file: CompareFile, path: String, plotByDefault: Bool, missingSeeds: Int,
                       _ a: Arguments, _ output: Output, replacing: Set<String> = [], queue: [Int: String]? = nil) throws {
        try checkOutputs(a, replacing: replacing) // again, just before writing: a bad --plot before the JSONL file is written
        if plotByDefault, let out = a.string("out") { try checkDefaultPlot(a, out: out, replacing: replacing) }
        try checkSize(file, a)
        Interruption.beginPolling()  // (--merge polls from here on)
        let writer = try OutputFlag.under(a.has("out") ? "out" : nil) {
            try JSONLWriter(path: path, mode: replacing.contains(path) ? .replace : TrainCommand.logMode(a), protecting: a.positionals)
        }
        try write(file, with: writer)
        var plotPath: String?
        if !a.has("no-plot"), plotByDefault || a.has("plot"), file.aggregates.contains(where: { !$0.seeds.isEmpty }) {
            let p = a.string("plot") ?? defaultPlot(out: writer.path)
            try OutputFlag.under(a.has("plot") ? "plot" : nil) {
                try writePlot(report(file).figure, to: p, replacing: a.has("force") || replacing.contains(p), protecting: a.positionals,
                              mark: a.has("merge") ? CompareFile.sweepKey(file.config) : nil)
            }
            plotPath = p
        }
        printReport(output, file: file, missingSeeds: missingSeeds, path: writer.path, plotPath: plotPath, queue: queue,
                    script: a.has("merge") ? arrayScript(beside: a.positionals) : nil)
    }

    /// Writes the file's lines, whole or not at all: a signal during the writing (not one that
    /// stopped the sweep before it, whose file is written in full) abandons the file within
    /// 1024 lines, and a second signal, which ends the process at once, removes it.
    /// - Parameter stoppedBefore: whether the stop was requested before the writing began
    ///   (then the file is written in full).
    /// - Throws: ``Cancelled`` after removing the file; ``OutputError`` when a write fails.
    static func write(_ file: CompareFile, with writer: JSONLWriter, stoppedBefore: Bool = Interruption.requested) throws {
        Interruption.removeOnExit(writer.path)
        defer { Interruption.removeOnExit(nil) }
        var count = 0
        func line(_ value: JSONValue) throws {
            try writer.write(value)
            count += 1
            if count & 1023 == 0, !stoppedBefore, Interruption.requested {
                writer.abandon()
                throw Cancelled("writing \(writer.path) (removed: a file is whole or absent)")
            }
        }
        try line(file.config)
        for g in file.aggregates { for k in 0..<g.curves.iterations { try line(g.curveLine(k)) } }
        for g in file.aggregates { try line(file.finalLine(g)) }
        for paired in pairedLines(file) { try line(paired) }
        try line(.object([("type", .string("summary")), ("status", .string(file.status))]))
        try writer.close()
    }

    /// Checks `--out` and `--plot` (unless `--no-plot`) before anything runs or is printed.
    /// The plot written beside `out` when `--plot` is not given: `out` with `.svg` for `.jsonl`.
    static func defaultPlot(out: String) -> String {
        (out.hasSuffix(".jsonl") ? String(out.dropLast(6)) : out) + ".svg"
    }

    /// Checks the plot that will be written beside `--out` (no `--plot`, no `--no-plot`) before
    /// anything runs or is written; an error names `--out`, from which the plot's name comes.
    static func checkDefaultPlot(_ a: Arguments, out: String, replacing: Set<String> = []) throws {
        guard !a.has("plot"), !a.has("no-plot") else { return }
        let plot = defaultPlot(out: out)
        try OutputFlag.under("out") {
            do { try OutputFile.check(plot, replacing: a.has("force") || replacing.contains(plot), protecting: a.positionals) }
            catch let e as InputError { throw InputError(e.message + " (the plot beside --out; give --plot or --no-plot)") }
        }
    }

    /// - Parameter replacing: outputs that may be replaced without `--force`.
    static func checkOutputs(_ a: Arguments, replacing: Set<String> = []) throws {
        let out = a.string("out").map { replacing.contains($0) } ?? false
        try OutputFlag.checkLog(a, "out", mode: out ? .replace : TrainCommand.logMode(a), protecting: a.positionals)
        let plot = a.string("plot").map { replacing.contains($0) } ?? false
        if !a.has("no-plot") { try OutputFlag.checkFile(a, "plot", replacing: a.has("force") || plot, protecting: a.positionals) }
    }

    /// Writes an SVG (see ``OutputFile``: never over an existing file unless `replacing`, never
    /// over a non-regular file or one of `inputs`).
    /// - Parameter mark: the sweep key a merge's plot is marked with (``plotMark(_:)``), if any.
    static func writePlot(_ plot: SVGPlot, to path: String, replacing: Bool, protecting inputs: [String] = [],
                          mark: String? = nil) throws {
        try OutputFile.write(plot.render() + (mark.map(plotMark) ?? ""), to: path, replacing: replacing, protecting: inputs)
    }
}
