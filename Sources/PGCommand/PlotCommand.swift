import Foundation
import PolicyGradient

/// `pg plot`: SVG learning curves from training logs (one line per file) or from compare files
/// (their mean ± SE curves; shards of one sweep are merged first).
enum PlotCommand {
    static let flags = [
        Flag("out", "FILE.svg", "the SVG to write, replacing it if it exists (default: the first file with .svg)"),
        Flag("metric", "NAME", "curve to plot: exact_j, mean_return, optimal_action, grad_norm, grad_sq_error, entropy "
             + "(default exact_j where logged, else mean_return; compare files: their --metric)"),
        Flag("title", "TEXT", "figure title"),
        Flag("help", nil, "show this help"),
    ]

    static func run(_ args: [String], _ output: Output) throws -> Int32 {
        let a = try Arguments(args, flags: flags, command: "plot")
        if a.has("help") {
            output.out(PGCommand.help("pg plot — SVG learning curves from pg JSONL files",
                                      usage: "pg plot FILE... [--out FILE.svg] [--metric NAME]\n\n"
                                        + "Training logs give one line per file, labelled by env, estimator and seed;\n"
                                        + "compare files give their mean ± SE curves (shards of one sweep are merged).",
                                      sections: [("OPTIONS", flags)]))
            return 0
        }
        let paths = a.positionals
        guard !paths.isEmpty else { throw InputError("pg plot: give one or more JSONL files (training logs or compare files)") }
        if let m = a.string("metric"), !CurveAccumulator.metrics.contains(m) {
            throw InputError("--metric: unknown metric '\(m)'; valid: \(CurveAccumulator.metrics.joined(separator: ", "))")
        }
        let contents = try paths.map { try JSONLReader.read(path: $0) }
        let compare = contents.map(CompareFile.isCompare)
        let plot: SVGPlot
        if compare.allSatisfy({ $0 }) {
            plot = try comparePlot(zip(paths, contents).map { try CompareFile.read(path: $0, lines: $1) }, a)
        } else if compare.contains(true) {
            throw InputError("pg plot: give either training logs or compare files, not both")
        } else {
            plot = try logPlot(paths: paths, contents: contents, a)
        }
        let stem = paths[0].hasSuffix(".jsonl") ? String(paths[0].dropLast(6)) : paths[0]
        let out = a.string("out") ?? stem + (paths.count > 1 ? "-plot" : "") + ".svg"
        try CompareCommand.writePlot(plot, to: out, overwrite: true)
        output.line("plot: \(out) (\(plot.panels.first?.series.count ?? 0) series)")
        return 0
    }

    /// Compare files: shards of the same sweep are merged; different sweeps are drawn together.
    static func comparePlot(_ files: [CompareFile], _ a: Arguments) throws -> SVGPlot {
        var groups: [[CompareFile]] = []
        for f in files {
            let key = CompareFile.gridFields.map { f.config[$0]?.text ?? "" }
            if let i = groups.firstIndex(where: { g in CompareFile.gridFields.map { g[0].config[$0]?.text ?? "" } == key }) {
                groups[i].append(f)
            } else {
                groups.append([f])
            }
        }
        var aggregates: [SweepAggregate] = []
        for g in groups {
            var merged = try CompareFile.merge(g).file.aggregates
            if groups.count > 1 {
                let name = ((g[0].path as NSString).lastPathComponent as NSString).deletingPathExtension
                for i in merged.indices { merged[i].label = name + ": " + merged[i].label }
            }
            aggregates += merged
        }
        let first = files[0].config
        let metric = a.string("metric") ?? first["metric"]?.stringValue ?? "mean_return"
        let env = first["env"]?.stringValue ?? ""
        let seeds = aggregates.map(\.seeds.count).max() ?? 0
        return LearningCurvePlot.figure(aggregates: aggregates, metric: metric,
                                        title: a.string("title") ?? "\(env): \(seeds) seeds")
    }

    /// Training logs: one series per file.
    static func logPlot(paths: [String], contents: [[JSONValue]], _ a: Arguments) throws -> SVGPlot {
        let configs = zip(paths, contents).map { path, lines -> JSONValue in
            lines.first { $0["type"]?.stringValue == "config" } ?? .object([])
        }
        let envs = Set(configs.map { $0["env"]?.stringValue ?? "?" })
        let iterationLines = contents.map { $0.filter { $0["type"]?.stringValue == "iteration" } }
        for (p, lines) in zip(paths, iterationLines) where lines.isEmpty {
            throw InputError("\(p) has no {\"type\":\"iteration\"} lines (not a pg training log?)")
        }
        let hasExact = iterationLines.allSatisfy { $0.contains { $0["exact_j"]?.doubleValue != nil } }
        let metric = a.string("metric") ?? (hasExact ? "exact_j" : "mean_return")
        let runs = zip(configs, iterationLines).map { config, lines in
            (label: label(config, withEnv: envs.count > 1), iterations: lines.map { $0["iteration"]?.doubleValue ?? .nan },
             values: lines.map { $0[metric]?.doubleValue ?? .nan })
        }
        let title = a.string("title") ?? (envs.count == 1 ? envs.first! : "\(paths.count) runs")
        return LearningCurvePlot.figure(runs: runs, metric: metric, title: title)
    }

    /// `[env ]estimator sSEED` from a training log's config line.
    static func label(_ c: JSONValue, withEnv: Bool) -> String {
        var name = c["estimator"]?.stringValue ?? "?"
        if case let .array(items)? = c["estimators"], let first = items.first?["label"]?.stringValue { name = first }
        let seed = c["seed"].map { $0.exactSeedValue.map { String($0) } ?? "?" } ?? "?"
        return (withEnv ? (c["env"]?.stringValue ?? "?") + " " : "") + name + " s\(seed)"
    }
}
