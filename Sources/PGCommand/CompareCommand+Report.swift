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
            row.append(NumberFormat.significant(g.seconds, digits: 3))
            table.addRow(row)
        }
        let figure = PlotCommand.sweepFigure([file], prefixes: nil, metric: metric, title: nil, smoothing: 1, labels: nil)
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
        if file.status == "interrupted" {
            let done = file.aggregates.reduce(0) { $0 + $1.seeds.count }
            output.line("  status: interrupted (\(counted(done, "seed run")) completed; seeds stopped part-way are left out)")
        }
        output.line("  results: \(path)")
        if let plotPath { output.line("  plot: \(plotPath)") }
    }
}
