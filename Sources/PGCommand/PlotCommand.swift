import Foundation
import PolicyGradient

/// `pg plot`: SVG learning curves from training logs (one line per file) or from compare files
/// (their mean ± SE curves; shards of one sweep are merged first).
enum PlotCommand {
    static let flags = [
        Flag("out", "FILE.svg", "the SVG to write (default: the first file with .svg, -plot.svg for several files); "
             + "an existing file is replaced only with --force"),
        Flag("force", nil, "replace --out if it exists (never one of the input files, never a non-regular file)"),
        Flag("metric", "NAME", "curve to plot: exact_j, mean_return, optimal_action, grad_norm, grad_sq_error, entropy "
             + "(default exact_j where logged, else mean_return; compare files: their --metric)"),
        Flag("label", "A,B,...", "legend labels, one per series: per training log in file order, "
             + "per estimator of the compare files in legend order (default: what differs between the runs)"),
        Flag("smooth", "N", "trailing moving average over N iterations, of curves and bands (default 1: none)"),
        Flag("title", "TEXT", "figure title (default: the compare file's title, else the environment)"),
        Flag("help", nil, "show this help"),
    ]

    static func run(_ args: [String], _ output: Output) throws -> Int32 {
        let a = try Arguments(args, flags: flags + policyFlags, command: "plot")
        if a.has("help") {
            output.out(PGCommand.help("pg plot — SVG learning curves from pg JSONL files",
                                      usage: "pg plot FILE... [--out FILE.svg] [--metric NAME] [--smooth N] [--label A,B,...]\n"
                                        + "       pg plot --policy CHECKPOINT [--shade visits|value] [--out FILE.svg]\n\n"
                                        + "Training logs give one line per file, labelled by what differs between their runs\n"
                                        + "(environment, estimator, policy, lr, tau, seed, ...; else the file name);\n"
                                        + "compare files give their mean ± SE curves (shards of one sweep are merged).\n"
                                        + "A dash-dot-dot grey line marks the optimum J where the files record it.",
                                      sections: [("OPTIONS", flags), ("POLICY PICTURES", policyFlags)]))
            return 0
        }
        if let checkpoint = a.string("policy") { return try policyPicture(a, checkpoint: checkpoint, output) }
        if a.has("shade") { throw InputError("--shade applies to pg plot --policy CHECKPOINT") }
        let paths = a.positionals
        guard !paths.isEmpty else { throw InputError("pg plot: give one or more JSONL files (training logs or compare files)") }
        if let m = a.string("metric"), !CurveAccumulator.metrics.contains(m) {
            throw InputError("--metric: unknown metric '\(m)'; valid: \(CurveAccumulator.metrics.joined(separator: ", "))")
        }
        let smoothing = try a.int("smooth") ?? 1
        if smoothing < 1 { throw InputError("--smooth: the window must be at least 1 iteration, got \(smoothing)") }
        let labels = try userLabels(a)
        let numbered = try paths.map { try JSONLReader.readLines(path: $0) }
        let contents = numbered.map { $0.map(\.value) }
        let compare = contents.map(CompareFile.isCompare)
        let plot: SVGPlot
        if compare.allSatisfy({ $0 }) {
            let files = try zip(paths, numbered).map { try CompareFile.read(path: $0, lines: $1) }
            plot = try comparePlot(files, a, labels: labels, smoothing: smoothing)
        } else if compare.contains(true) {
            throw InputError("pg plot: give either training logs or compare files, not both")
        } else {
            plot = try logPlot(paths: paths, contents: contents, a, labels: labels, smoothing: smoothing)
        }
        let stem = paths[0].hasSuffix(".jsonl") ? String(paths[0].dropLast(6)) : paths[0]
        let out = a.string("out") ?? stem + (paths.count > 1 ? "-plot" : "") + ".svg"
        try CompareCommand.writePlot(plot, to: out, replacing: a.has("force"), protecting: paths)
        output.line("plot: \(out) (\(plot.panels.first?.series.count ?? 0) series)")
        return 0
    }

    // MARK: - Compare files

    /// Compare files: shards of the same sweep are merged; different sweeps are drawn together,
    /// their series prefixed by what differs between the sweeps (or the file name).
    static func comparePlot(_ files: [CompareFile], _ a: Arguments, labels: [String]?, smoothing: Int) throws -> SVGPlot {
        let groups = CompareFile.groups(files)
        let merged = try groups.map { try CompareFile.merge($0).file }
        let prefixes = LegendLabels.distinguishing(merged.map { sweepParts($0.config) },
                                                   fallbacks: groups.map { fileStem($0[0].path) })
        var aggregates: [SweepAggregate] = []
        for (g, file) in merged.enumerated() {
            for var v in file.aggregates {
                if merged.count > 1 { v.label = prefixes[g] + ": " + v.label }
                aggregates.append(v)
            }
        }
        try relabel(&aggregates, with: labels, what: "estimator of the compare files")
        let present = CurveAccumulator.metrics.filter { m in
            aggregates.contains { $0.curves.summaries(m).contains { $0.count > 0 } }
        }
        let configured = files[0].config["metric"]?.stringValue.flatMap { present.contains($0) ? $0 : nil }
        let metric = try chooseMetric(a, present: present, fallback: configured)
        let optima = LearningCurvePlot.optimumLines(zip(prefixes, merged).map { ($0, $1.config["optimal_j"]?.doubleValue) })
        let titles = merged.map(\.title).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let title = a.string("title") ?? (titles.count == 1 ? titles[0] : "\(merged.count) sweeps: " + titles.joined(separator: " | "))
        return LearningCurvePlot.figure(aggregates: aggregates, metric: metric, title: title, smoothing: smoothing,
                                        optima: optima)
    }

    /// What describes a sweep as a whole, for telling sweeps apart.
    static func sweepParts(_ c: JSONValue) -> [LegendLabels.Part] {
        let skip: Set = ["type", "version", "command", "env_arg", "actions", "states", "estimators", "threads", "shard_index",
                         "shard_count", "merged_from", "variants", "title", "metric", "final_quantity", "grad_sq_error",
                         "optimal_j", "env_id", "time_limit", "env_file", "env_sha256", "lrs", "sweep_id", "missing_shards"]
        return configParts(c, plain: ["env", "policy"], skip: skip)
    }

    // MARK: - Training logs

    /// Training logs: one series per file.
    static func logPlot(paths: [String], contents: [[JSONValue]], _ a: Arguments, labels user: [String]?,
                        smoothing: Int) throws -> SVGPlot {
        let configs = contents.map { lines in lines.first { $0["type"]?.stringValue == "config" } ?? .object([]) }
        let envs = configs.map { $0["env"]?.stringValue ?? "?" }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let iterationLines = contents.map { $0.filter { $0["type"]?.stringValue == "iteration" } }
        for (p, lines) in zip(paths, iterationLines) where lines.isEmpty {
            throw InputError("\(p) has no {\"type\":\"iteration\"} lines (not a pg training log?)")
        }
        let present = CurveAccumulator.metrics.filter { m in
            iterationLines.contains { $0.contains { $0[m]?.doubleValue?.isFinite == true } }
        }
        let hasExact = iterationLines.allSatisfy { $0.contains { $0["exact_j"]?.doubleValue != nil } }
        let metric = try chooseMetric(a, present: present, fallback: hasExact ? "exact_j" : "mean_return")
        var labels = LegendLabels.distinguishing(configs.map { runParts($0, single: configs.count == 1) },
                                                 fallbacks: paths.map(fileStem))
        if let user {
            try check(user, count: labels.count, what: "training log, in the order of the files")
            labels = user
        }
        let runs = zip(labels, iterationLines).map { label, lines in
            (label: label, iterations: lines.map { $0["iteration"]?.doubleValue ?? .nan },
             values: lines.map { $0[metric]?.doubleValue ?? .nan })
        }
        let optima = zip(labels, contents).map { label, lines in
            (label, lines.lazy.compactMap { $0["optimal_j"]?.doubleValue }.first)
        }
        let title = a.string("title") ?? (envs.count == 1 ? envs[0] : "\(paths.count) runs")
        return LearningCurvePlot.figure(runs: runs, metric: metric, title: title, smoothing: smoothing,
                                        optima: LearningCurvePlot.optimumLines(optima))
    }

    /// What describes a training run: environment and its settings, the estimator's label
    /// (always shown), the policy, the estimator's settings, the training settings, and the
    /// seed (shown as `sSEED`; always shown for a single run).
    static func runParts(_ c: JSONValue, single: Bool) -> [LegendLabels.Part] {
        var name = c["estimator"]?.stringValue ?? "?"
        var estimatorSettings = JSONValue.object([])
        if case let .array(items)? = c["estimators"], let first = items.first {
            name = first["label"]?.stringValue ?? name
            estimatorSettings = first["settings"] ?? .object([])
        }
        var parts = configParts(.object([("env", c["env"] ?? .null)]), plain: ["env"], skip: [])
        parts += configParts(c["env_settings"] ?? .object([]), plain: [], skip: [])
        parts.append(.init(key: "estimator", value: name, text: name, always: true))
        var policy: Set = ["policy"]
        if c["policy"]?.stringValue == "mlp" { policy.formUnion(["hidden", "activation"]) }
        parts += configParts(c, plain: [], skip: []).filter { policy.contains($0.key) }
        parts += configParts(estimatorSettings, plain: [], skip: [])
        let training = Set(TrainingConfiguration.settings.map(\.key)).subtracting(["seed", "threads"])
        parts += configParts(c, plain: [], skip: []).filter { training.contains($0.key) }
        let seed = c["seed"].map { $0.stringValue ?? $0.text } ?? "?"
        parts.append(.init(key: "seed", value: seed, text: "s" + seed, always: single))
        return parts
    }

    // MARK: - Shared

    /// The parts of a config line: every field not in `skip`, in the line's order; `plain`
    /// fields read as their value alone, the others as `key=value`.
    static func configParts(_ c: JSONValue, plain: Set<String>, skip: Set<String>) -> [LegendLabels.Part] {
        guard case let .object(pairs) = c else { return [] }
        return pairs.compactMap { key, value in
            guard !skip.contains(key), value != .null else { return nil }
            let text = value.stringValue ?? value.text
            return .init(key: key, value: text, text: plain.contains(key) ? text : nil)
        }
    }

    /// `--metric`, refused when no file has it, or the default.
    static func chooseMetric(_ a: Arguments, present: [String], fallback: String?) throws -> String {
        guard let m = a.string("metric") else { return fallback ?? present.first ?? "mean_return" }
        guard present.contains(m) else {
            throw InputError("--metric: no file has '\(m)'; they have "
                             + (present.isEmpty ? "no curves at all" : present.joined(separator: ", ")))
        }
        return m
    }

    /// `--label A,B,...`: non-empty, distinct labels (commas separate them).
    static func userLabels(_ a: Arguments) throws -> [String]? {
        guard let text = a.string("label") else { return nil }
        let labels = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if labels.contains("") { throw InputError("--label: empty label in '\(text)'; give one non-empty label per series") }
        if let twice = labels.first(where: { l in labels.filter { $0 == l }.count > 1 }) {
            throw InputError("--label: '\(twice)' is given twice; series need different labels")
        }
        return labels
    }

    /// Replaces the aggregates' labels by the user's, after checking their count.
    static func relabel(_ aggregates: inout [SweepAggregate], with labels: [String]?, what: String) throws {
        guard let labels else { return }
        try check(labels, count: aggregates.count, what: what + " in legend order: "
                  + aggregates.map(\.label).joined(separator: ", "))
        for i in aggregates.indices { aggregates[i].label = labels[i] }
    }

    static func check(_ labels: [String], count: Int, what: String) throws {
        guard labels.count == count else {
            throw InputError("--label: \(labels.count) label\(labels.count == 1 ? "" : "s") for \(count) series; "
                             + "give one per \(what)")
        }
    }

    /// The file name without directory and extension.
    static func fileStem(_ path: String) -> String {
        ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}
