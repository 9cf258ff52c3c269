import Foundation
import PolicyGradient

extension TrainCommand {
    /// Prints the short human summary of a run.
    static func printSummary(_ output: Output, options: RunOptions, env: any Environment, session: any TrainingSession,
                             last: IterationRecord?, initialJ: Double?, finalJ: Double?, path: String,
                             status: String, problem: String?) {
        let c = options.configuration
        let what = c.estimator == .reinforce ? "reinforce + \(options.label) baseline" : c.estimator.rawValue
        output.line("pg: \(env.id), \(what), \(options.policyKind.rawValue) policy, \(c.optimizer.rawValue) lr \(fmt(c.learningRate.initial)), "
            + "\(c.episodesPerUpdate) episodes/update x \(session.iteration) updates, seed \(c.seed)")
        if let j = finalJ {
            var s = "  exact J: \(fmt(initialJ ?? .nan)) -> \(fmt(j))"
            if let o = session.optimalJ {
                s += " (optimum \(fmt(o))"
                if o > 0 && j.isFinite { s += ", \(String(format: "%.1f", 100 * j / o))% of it" } else if j.isFinite { s += ", regret \(fmt(o - j))" }
                s += ")"
            }
            output.line(s)
        }
        if let r = last {
            var s = "  last batch: mean return \(fmt(r.meanReturn))"
            if let f = r.optimalActionFraction { s += ", optimal arm \(String(format: "%.1f", 100 * f))%" }
            s += ", entropy \(fmt(r.entropy)), \(String(format: "%.2f", r.elapsed)) s"
            output.line(s)
        }
        if status != "completed" { output.line("  status: \(status)" + (problem.map { " (\($0))" } ?? "")) }
        output.line("  log: \(path)")
    }

    /// 4 significant digits.
    static func fmt(_ x: Double) -> String {
        guard x.isFinite else { return "nan" }
        return String(format: "%.4g", x)
    }
}
