import Foundation
import PolicyGradient

extension PlotCommand {
    /// Compare files: shards of the same sweep are merged; different sweeps are drawn together,
    /// their series prefixed by what differs between the sweeps (or the file name).
    static func comparePlot(_ files: [CompareFile], _ a: Arguments, labels: [String]?, smoothing: Int) throws -> SVGPlot {
        let groups = CompareFile.groups(files)
        let merged = try groups.map { try CompareFile.merge($0).file }
        let prefixes = LegendLabels.distinguishing(merged.map { sweepParts($0.config) },
                                                   fallbacks: groups.map { fileStem($0[0].path) })
        let legend = merged.enumerated().flatMap { g, file in
            file.aggregates.map { merged.count > 1 ? prefixes[g] + ": " + $0.label : $0.label }
        }
        if let labels {
            try check(labels, count: legend.count, what: "estimator of the compare files in legend order: "
                      + legend.joined(separator: ", "))
        }
        let present = CurveAccumulator.metrics.filter { m in
            merged.contains { $0.aggregates.contains { $0.curves.summaries(m).contains { $0.count > 0 } } }
        }
        let configured = files[0].config["metric"]?.stringValue.flatMap { present.contains($0) ? $0 : nil }
        let metric = try chooseMetric(a, present: present, fallback: configured)
        return sweepFigure(merged, prefixes: merged.count > 1 ? prefixes : nil, metric: metric, title: a.string("title"),
                           smoothing: smoothing, labels: labels)
    }

    /// The figure of one or more sweeps (each already merged), as `pg compare` and `pg plot`
    /// draw it: the variants of one estimator in one hue family, variants that hold fewer seeds
    /// than their sweep marked in the legend ("not started" when none), the optimum and the
    /// `--threshold` as reference lines, and an interrupted sweep marked in the title.
    /// - Parameters:
    ///   - sweeps: the sweeps, in legend order.
    ///   - prefixes: with several sweeps, what tells each apart (its variants' legend prefix).
    ///   - metric: the first panel's metric.
    ///   - title: the title to use instead of the sweeps' own.
    ///   - labels: the legend labels to use, one per variant over all sweeps (checked by the caller).
    static func sweepFigure(_ sweeps: [CompareFile], prefixes: [String]?, metric: String, title: String?,
                            smoothing: Int, labels: [String]?) -> SVGPlot {
        var aggregates: [SweepAggregate] = [], families: [String] = [], expected: [Int] = []
        for (g, file) in sweeps.enumerated() {
            for var v in file.aggregates {
                families.append(estimatorName(of: v.label, in: file.config))
                if let prefixes { v.label = prefixes[g] + ": " + v.label }
                expected.append(file.totalSeeds)
                aggregates.append(v)
            }
        }
        if let labels { for i in aggregates.indices { aggregates[i].label = labels[i] } }
        let optima = LearningCurvePlot.optimumLines(sweeps.indices.map {
            (prefixes?[$0] ?? "", sweeps[$0].config["optimal_j"]?.doubleValue)
        })
        // The threshold is a level of the final quantity (exact J where known, else the mean return).
        let thresholds = Set(sweeps.compactMap { f -> Double? in
            f.config["final_quantity"]?.stringValue == metric ? f.config["threshold"]?.doubleValue : nil
        })
        return LearningCurvePlot.figure(aggregates: aggregates, metric: metric, title: title ?? sweepTitle(sweeps),
                                        smoothing: smoothing, optima: optima, families: families,
                                        expectedSeeds: expected, threshold: thresholds.count == 1 ? thresholds.first : nil)
    }

    /// The sweeps' own title (`ENV: S seeds x I iterations`, or several joined), with
    /// "(interrupted)" after a sweep that a signal stopped.
    static func sweepTitle(_ sweeps: [CompareFile]) -> String {
        let titles = sweeps.map { $0.title + ($0.status == "interrupted" ? " (interrupted)" : "") }
            .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return titles.count == 1 ? titles[0] : "\(sweeps.count) sweeps: " + titles.joined(separator: " | ")
    }

    /// The estimator a variant of a compare file runs (its hue family): the config's
    /// `estimators` entry whose label is the longest prefix of the variant's label (`gumbel
    /// tau=0.5 lr=0.1` is a variant of `gumbel`), else the label's first word.
    static func estimatorName(of label: String, in config: JSONValue) -> String {
        var best: (length: Int, name: String)?
        if case let .array(items)? = config["estimators"] {
            for item in items {
                guard let l = item["label"]?.stringValue, let name = item["estimator"]?.stringValue,
                      label == l || label.hasPrefix(l + " "), l.count > (best?.length ?? -1) else { continue }
                best = (l.count, name)
            }
        }
        return best?.name ?? String(label.prefix { $0 != " " })
    }

    /// What describes a sweep as a whole, for telling sweeps apart.
    static func sweepParts(_ c: JSONValue) -> [LegendLabels.Part] {
        let skip: Set = ["type", "version", "command", "env_arg", "actions", "states", "estimators", "threads", "shard_index",
                         "shard_count", "merged_from", "variants", "title", "metric", "final_quantity", "grad_sq_error",
                         "optimal_j", "env_id", "time_limit", "env_file", "env_sha256", "lrs", "sweep_id", "missing_shards"]
        return configParts(c, plain: ["env", "policy"], skip: skip)
    }
}
