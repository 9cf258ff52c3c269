import Foundation
import PolicyGradient

extension PlotCommand {
    /// Training logs: one series per file, each at its metric's own cadence; a run that did not
    /// complete says how it ended in its legend entry and in the title.
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
        let endings = zip(configs, contents).map { runEnding(config: $0, lines: $1) }
        let runs = labels.indices.map { i in
            LearningCurvePlot.Run(label: labels[i] + (endings[i].map { " (\($0))" } ?? ""),
                                  iterations: iterationLines[i].map { $0["iteration"]?.doubleValue ?? .nan },
                                  values: iterationLines[i].map { $0[metric]?.doubleValue ?? .nan },
                                  family: estimatorName(configs[i]))
        }
        let optima = zip(runs, contents).map { run, lines in
            (run.label, lines.lazy.compactMap { $0["optimal_j"]?.doubleValue }.first)
        }
        var title = a.string("title") ?? (envs.count == 1 ? envs[0] : "\(paths.count) runs")
        if a.string("title") == nil {
            let unfinished = endings.compactMap { $0 }
            if paths.count == 1, let e = unfinished.first { title += " (\(e))" }
            if paths.count > 1, !unfinished.isEmpty { title += " (\(unfinished.count) of \(paths.count) runs stopped early)" }
        }
        return LearningCurvePlot.figure(runs: runs, metric: metric, title: title, smoothing: smoothing,
                                        optima: LearningCurvePlot.optimumLines(optima))
    }

    /// How a training log ended when it did not complete: "interrupted at 412 of 1000 updates",
    /// "diverged at update 37", or "unfinished: 412 of 1000 updates" (no summary line: still
    /// running, or killed); nil for a completed run.
    static func runEnding(config: JSONValue, lines: [JSONValue]) -> String? {
        let done = lines.filter { $0["type"]?.stringValue == "iteration" }.count
        let planned = config["iterations"]?.exactInt.map { " of \($0)" } ?? ""
        guard let summary = lines.last(where: { $0["type"]?.stringValue == "summary" }) else {
            return "unfinished: \(done)\(planned) updates"
        }
        switch summary["status"]?.stringValue {
        case "interrupted": return "interrupted at \(done)\(planned) updates"
        case "diverged": return "diverged at update \(max(done - 1, 0))"
        default: return nil
        }
    }

    /// The estimator a training log ran (its hue family): the config's first estimator.
    static func estimatorName(_ c: JSONValue) -> String? {
        if case let .array(items)? = c["estimators"], let first = items.first, let name = first["estimator"]?.stringValue {
            return name
        }
        return c["estimator"]?.stringValue
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
}
