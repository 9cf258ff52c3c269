import Foundation
import PolicyGradient

/// `pg plot`: SVG learning curves from training logs (one line per file) or from compare files
/// (their mean ± SE curves; shards of one sweep are merged first).
enum PlotCommand {
    static let flags = [
        Flag("out", "FILE.svg", "the SVG to write (default: the first file with .plot.svg, never replacing: -2, -3, ... "
             + "when taken); an existing --out is replaced only with --force"),
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
        if let out = a.string("out") {  // before reading: never work, then fail at the last step
            try OutputFlag.under("out") { try OutputFile.check(out, replacing: a.has("force"), protecting: paths) }
        } else {  // the default name moves on to -2 when taken; its directory must take a new file
            try JSONLWriter.check(path: defaultOutput(paths), mode: .createWithSuffix)
        }
        let numbered = try paths.map { path in
            try LogFile.readLines(path: path, accepting: [.trainingLog, .compareFile],
                                  wanted: "a training log or compare file, which pg plot draws") {
                $0 == .checkpoint ? "; pg plot --policy \(path) draws its policy" : ""
            }
        }
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
        let out: String
        if let given = a.string("out") {
            try OutputFlag.under("out") { try CompareCommand.writePlot(plot, to: given, replacing: a.has("force"), protecting: paths) }
            out = given
        } else {  // a name no other command writes, and the next free -N when it is taken
            out = try OutputFile.writeWithSuffix(plot.render(), to: defaultOutput(paths))
        }
        output.line("plot: \(out) (\(plot.panels.first?.series.count ?? 0) series)")
        return 0
    }

    /// The default SVG: the first file's path with `.jsonl` replaced by `.plot.svg` (with
    /// several files, `-and-N-more.plot.svg`), a name only `pg plot` writes — `pg compare`'s own
    /// plot of `X.jsonl` is `X.svg` — so plotting a compare file right after `pg compare` works.
    static func defaultOutput(_ paths: [String]) -> String {
        let stem = paths[0].hasSuffix(".jsonl") ? String(paths[0].dropLast(6)) : paths[0]
        return stem + (paths.count > 1 ? "-and-\(paths.count - 1)-more" : "") + ".plot.svg"
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

    /// Refuses `--label` with another count than the series: "give one per WHAT".
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
