import Foundation
import PolicyGradient

extension VarianceCommand {
    /// The `variance_*` fields of a row's decomposition (none when it has none).
    static func decompositionFields(_ r: VarianceStudy.Row) -> [(String, JSONValue)] {
        guard let d = r.decomposition else { return [] }
        var f: [(String, JSONValue)] = [("variance_state", .double(d.state)), ("variance_action", .double(d.action)),
                                        ("variance_trajectory", .double(d.trajectory)),
                                        ("variance_baseline_noise", .double(d.baselineNoise)),
                                        ("variance_across_steps", .number(d.acrossSteps))]
        f.append(("variance_rest", .number(d.total.map { r.statistics.variance - $0 })))
        f.append(("variance_se", .double(r.statistics.varianceStandardError)))
        return f
    }

    /// The table of where each decomposable row's variance comes from (nil when none is).
    static func decompositionTable(_ rows: [VarianceStudy.Row]) -> TextTable? {
        let decomposed = rows.filter { $0.decomposition != nil }
        guard !decomposed.isEmpty else { return nil }
        var t = TextTable(headers: ["estimator", "tr Cov (measured)", "state", "action", "trajectory", "baseline noise",
                                    "across steps", "rest"])
        let fmt = { (x: Double) in NumberFormat.significant(x, digits: 3) }
        for r in decomposed {
            let d = r.decomposition!, measured = r.statistics.variance, se = r.statistics.varianceStandardError
            t.addRow([r.label, NumberFormat.meanWithError(measured, se.isFinite ? se : 0), fmt(d.state), fmt(d.action),
                      fmt(d.trajectory), fmt(d.baselineNoise), d.acrossSteps.map(fmt) ?? "-",
                      d.total.map { fmt(measured - $0) } ?? "-"])
        }
        return t
    }

    /// The decomposition table and its notes.
    static func printDecomposition(_ output: Output, rows: [VarianceStudy.Row]) {
        guard let table = decompositionTable(rows) else { return }
        output.line("where the variance comes from (Tucker et al. 2018), per estimate, exact from the known dynamics:")
        output.out(table.render())
        output.line("  state + action + trajectory: Var of each step's term over the state visited, the action chosen and the "
            + "rest of the episode; baseline noise: vimco's leave-one-out baseline's own variance; across steps: the "
            + "covariance between the steps of an episode; rest = measured tr Cov - their sum (the other episodes of a "
            + "vimco context, a baseline still away from its converged value, and sampling error, +- the measured SE)")
        output.line("  each baseline at its converged value at this policy: ema and mean b = the value averaged over all steps, "
            + "nvil b(s) = the value of s averaged over its visits, vimco b_t = the mean of the other returns-to-go (its noise apart)")
    }
}
