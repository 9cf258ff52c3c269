import Foundation
import PolicyGradient

extension CompareCommand {
    /// The table and the figure of a compare file.
    static func report(_ file: CompareFile) -> (table: TextTable, figure: SVGPlot) {
        let config = file.config
        let metric = config["metric"]?.stringValue ?? "mean_return"
        let finalQuantity = config["final_quantity"]?.stringValue ?? "mean_return"
        let threshold = config["threshold"]?.doubleValue
        var headers = ["estimator", "seeds", finalQuantity == "exact_j" ? "final J" : "final return"]
        let showMetric = metric != finalQuantity
        if showMetric { headers.append("last " + LearningCurvePlot.axisLabel(metric)) }
        if let t = threshold {
            let x = NumberFormat.significant(t)
            headers += ["reached \(x)", "median iters to \(x)"]
        }
        let paired = pairedDifferences(file)
        let reference = paired.reference
        let quantities = paired.rows.first { !$0.differences.isEmpty }?.differences.map(\.quantity) ?? []
        headers += quantities.map { "Δ \($0) vs \(reference ?? "")" }
        headers.append("seconds")
        var table = TextTable(headers: headers)
        for g in file.aggregates {
            let s = g.finalSummary
            var row = [g.label, String(g.seeds.count),
                       g.seeds.isEmpty ? "-" : NumberFormat.meanWithError(s.mean, g.seeds.count > 1 ? s.standardError : 0)]
            if showMetric {
                let scale = LearningCurvePlot.displayScale(metric)
                let last = g.curves.curve(metric).last ?? nil
                row.append(last.map { NumberFormat.meanWithError($0.mean * scale, $0.standardError * scale) } ?? "-")
            }
            if threshold != nil {
                row.append(String(format: "%.1f%%", 100 * g.reachedFraction))
                row.append(g.medianIterationsToThreshold.map { NumberFormat.significant($0) } ?? "not reached")
            }
            let differences = paired.rows.first { $0.label == g.label }?.differences ?? []
            for q in quantities {
                if g.label == reference { row.append("(reference)"); continue }
                row.append(differences.first { $0.quantity == q }.map(pairedCell) ?? "-")
            }
            row.append(NumberFormat.significant(g.seconds, digits: 3))
            table.addRow(row)
        }
        var figure = PlotCommand.sweepFigure([file], prefixes: nil, metric: metric, title: nil, smoothing: 1, labels: nil)
        if let panel = pairedPanel(file, reference: reference) { figure.panels.append(panel) }
        return (table, figure)
    }

    /// Which shards are missing and what to do: shards of a Slurm sweep still in Slurm's queue
    /// (`queue`, from squeue) are to be waited for, never rerun (a rerun would collide with their
    /// file); the others are to be rerun. Without an answer from squeue, says so.
    static func printMissing(_ output: Output, shards: [Int], count: String, sweep: String?, queue: [Int: String]?, script: String) {
        let ids = { (s: [Int]) in s.map(String.init).joined(separator: ",") }
        guard let sweep else { return output.line("  missing shards of \(count): \(ids(shards)) (rerun them and merge again)") }
        let rerun = { (s: [Int]) in "sbatch --array=\(ids(s)) --export=ALL,PG_SWEEP_ID=\(sweep) \(script)" }
        guard let queue else {
            output.line("  missing shards of \(count): \(ids(shards)) (rerun them and merge again; on Slurm: \(rerun(shards)))")
            output.line("  squeue is not available here: check that these tasks are not still queued or running before rerunning them")
            return
        }
        let queued = shards.filter { queue[$0] != nil }, ended = shards.filter { queue[$0] == nil }
        output.line("  missing shards of \(count): \(ids(shards))")
        if !queued.isEmpty {
            output.line("  still in Slurm's queue (squeue): " + queued.map { "\($0) \(queue[$0]!)" }.joined(separator: ", ")
                        + ": merge again when they have finished (do not rerun them)")
        }
        if !ended.isEmpty {
            output.line("  not in Slurm's queue: \(ids(ended)): they ended without a shard (sacct -j \(sweep) says why); "
                        + "rerun them and merge again: \(rerun(ended))")
        }
    }


    /// The label of `--reference NAME`: a variant label, or the one variant of the estimator
    /// NAME; the first variant when not given.
    /// - Throws: ``InputError`` naming the choices when NAME is neither.
    static func referenceLabel(_ name: String?, variants: [SweepVariant]) throws -> String {
        guard let name else { return variants.first?.label ?? "" }
        if variants.contains(where: { $0.label == name }) { return name }
        let same = variants.filter { $0.estimator.name == name }
        if same.count == 1 { return same[0].label }
        let choices = variants.map(\.label).joined(separator: ", ")
        throw InputError(same.isEmpty ? "--reference: '\(name)' is not among the compared estimators; choices: \(choices)"
                         : "--reference: '\(name)' names \(same.count) variants; give one of: \(choices)")
    }

    /// The paired differences of every variant against the reference (``PairedComparison``):
    /// the reference's label (nil when it ran no seeds or the file names none that is present),
    /// one row per other variant, and the budget of a comparison at equal cost (`per` other
    /// than `update`, with the traces to support it).
    static func pairedDifferences(_ file: CompareFile) -> (reference: String?, rows: [(label: String, differences: [PairedComparison.Difference])],
                                                          budget: Double?) {
        let ran = file.aggregates.filter { !$0.seeds.isEmpty }
        let name = file.config["reference"]?.stringValue ?? ran.first?.label
        guard ran.count > 1, let ref = ran.first(where: { $0.label == name }) else { return (nil, [], nil) }
        let exact = file.config["final_quantity"]?.stringValue == "exact_j"
        let iterations = file.config["iterations"]?.exactInt ?? 0
        let unit = file.config["per"]?.stringValue.flatMap(PairedComparison.Cost.init(rawValue:)) ?? .update
        if unit != .update, let budget = PairedComparison.budget(ran, unit, iterations: iterations) {
            return (ref.label, ran.filter { $0.label != ref.label }.map {
                ($0.label, PairedComparison.differences($0, reference: ref, per: unit, budget: budget, iterations: iterations,
                                                        levelName: exact ? "J" : "return"))
            }, budget)
        }
        return (ref.label, ran.filter { $0.label != ref.label }.map {
            ($0.label, PairedComparison.differences($0, reference: ref, finalName: exact ? "final J" : "final return"))
        }, nil)
    }

    /// "+0.0123 ± 0.0021 *": the mean paired difference ± its SE, starred when the 95% CI excludes 0.
    static func pairedCell(_ d: PairedComparison.Difference) -> String {
        guard d.pairs > 0 else { return "-" }
        let cell = NumberFormat.meanWithError(d.mean, d.standardError.isFinite ? d.standardError : 0)
        return (d.mean > 0 ? "+" : "") + cell + (d.separates ? " *" : "")
    }

    /// The `{"type":"paired"}` lines: each variant against the reference, per quantity, with
    /// the number of paired seeds, mean, SE and the 95% confidence interval.
    static func pairedLines(_ file: CompareFile) -> [JSONValue] {
        let paired = pairedDifferences(file)
        guard let reference = paired.reference else { return [] }
        return paired.rows.flatMap { row in
            row.differences.map { d in
                JSONValue.object([("type", .string("paired")), ("variant", .string(row.label)), ("reference", .string(reference)),
                                  ("quantity", .string(d.quantity)), ("pairs", .int(d.pairs)), ("mean", .double(d.mean)),
                                  ("se", .double(d.standardError)), ("ci_low", .double(d.lower)), ("ci_high", .double(d.upper)),
                                  ("confidence", .double(PairedComparison.confidence)), ("separates", .bool(d.separates))])
            }
        }
    }

    /// The panel of paired difference curves: for each variant, the mean over seeds of its level
    /// minus the reference's, with its 95% confidence band, at the traces' checkpoints or, at
    /// equal cost, on a grid of costs up to the budget.
    static func pairedPanel(_ file: CompareFile, reference: String?) -> SVGPlot.Panel? {
        guard let reference, let ref = file.aggregates.first(where: { $0.label == reference }) else { return nil }
        let iterations = file.config["iterations"]?.exactInt ?? 0
        let unit = file.config["per"]?.stringValue.flatMap(PairedComparison.Cost.init(rawValue:)) ?? .update
        let ran = file.aggregates.filter { !$0.seeds.isEmpty }
        let budget = unit == .update ? nil : PairedComparison.budget(ran, unit, iterations: iterations)
        let level = file.config["final_quantity"]?.stringValue == "exact_j" ? "exact J" : "mean return"
        var series: [SVGPlot.Series] = []
        for g in ran where g.label != reference {
            let (x, curve) = budget.map { PairedComparison.curve(g, reference: ref, per: unit, budget: $0, iterations: iterations) }
                ?? (SeedTrace.checkpoints(iterations: iterations).map(Double.init), PairedComparison.curve(g, reference: ref))
            guard !curve.isEmpty, curve.count == x.count else { continue }
            let band = curve.map { m in
                m.count > 1 ? GradientStatistics.studentQuantile(0.5 + PairedComparison.confidence / 2,
                                                                 degreesOfFreedom: Double(m.count - 1)) * m.standardError : .nan
            }
            series.append(SVGPlot.Series(label: g.label, x: x, y: curve.map { $0.count > 0 ? $0.mean : .nan }, band: band))
        }
        guard !series.isEmpty else { return nil }
        var panel = SVGPlot.Panel(title: "paired difference vs \(reference), mean ± 95% CI",
                                  xLabel: budget == nil ? "iteration" : (unit == .step ? "environment steps" : "\(unit.rawValue)s"),
                                  yLabel: "Δ \(level)", series: series)
        panel.references = [SVGPlot.ReferenceLine(label: "", y: 0)]
        return panel
    }

    /// The header line, table and file paths.
    /// - Parameters:
    ///   - queue: the sweep's tasks in Slurm's queue by shard index (nil: not asked, or no answer).
    ///   - script: the sweep's array script, for the rerun command, if known.
    static func printReport(_ output: Output, file: CompareFile, missingSeeds: Int, path: String, plotPath: String?,
                            queue: [Int: String]? = nil, script: String? = nil) {
        let c = file.config
        let env = c["env"]?.stringValue ?? ""
        let total = c["seeds"]?.exactInt ?? 0
        let iterations = c["iterations"]?.exactInt ?? 0
        let episodes = c["batch"]?.exactInt ?? 0
        let n = file.aggregates.count
        var head = "pg compare: \(env), \(counted(n, "estimator")) x \(counted(total, "seed")) x \(counted(iterations, "iteration")), "
            + "\(counted(episodes, "episode")) per update"
        let shard = file.shard
        if shard.count > 1, c["shard_index"] != .null { head += " (shard \(shard): \(counted(file.aggregates.first?.seeds.count ?? 0, "seed")))" }
        if case let .array(parts)? = c["merged_from"] { head += " (merged from \(counted(parts.count, "file")))" }
        output.line(head)
        output.out(report(file).table.render())
        if missingSeeds > 0 {
            output.line("  warning: \(missingSeeds) of \(counted(total, "seed")) \(missingSeeds == 1 ? "is" : "are") missing (shards not given); statistics cover the rest")
            if case let .array(list)? = c["missing_shards"], !list.isEmpty {
                printMissing(output, shards: list.compactMap(\.exactInt), count: c["shard_count"]?.text ?? "?",
                             sweep: c["sweep_id"]?.stringValue, queue: queue, script: script ?? "array.sh")
            }
        }
        if c["final_quantity"]?.stringValue == "exact_j" {
            output.line("  final J: exact J of each seed's final policy, mean ± SE over seeds")
        } else {
            output.line("  final return: mean return of each seed's last batch, mean ± SE over seeds")
        }
        let paired = pairedDifferences(file)
        if let reference = paired.reference {
            output.line("  Δ: paired difference against \(reference) on the same seeds (same environment instance and random "
                + "numbers), mean ± SE over the seeds; * its 95% CI excludes 0")
            if let budget = paired.budget, let per = file.config["per"]?.stringValue {
                output.line("  at equal cost: each seed's level interpolated at \(NumberFormat.significant(budget)) \(per)s, the "
                    + "budget every run reached, and its mean level up to there")
            }
        }
        if file.status == "interrupted" {
            let done = file.aggregates.reduce(0) { $0 + $1.seeds.count }
            output.line("  status: interrupted (\(counted(done, "seed run")) completed; seeds stopped part-way are left out)")
        }
        output.line("  results: \(path)")
        if let plotPath { output.line("  plot: \(plotPath)") }
    }
}
