import Foundation
import PolicyGradient

extension TrainCommand {
    /// Prints the short human summary of a run.
    static func printSummary(_ output: Output, spec: EstimatorSpec, policy: PolicySpec, configuration c: TrainingConfiguration,
                             env: any Environment, session: any TrainingSession, last: IterationRecord?, initialJ: Double?,
                             finalJ: Double?, path: String, status: String, problem: String?) {
        let d = try? spec.descriptor()
        let what = d?.isBaseline == true ? "reinforce + \(spec.name) baseline" : spec.name
        let updates = (session.iteration == c.iterations ? "" : "\(session.iteration) of ") + counted(c.iterations, "update")
        output.line("pg: \(env.id), \(what), \(policy.kind.rawValue) policy, \(c.optimizer.rawValue) lr \(fmt(c.learningRate.initial)), "
            + "\(counted(c.episodes, "episode"))/update x \(updates), seed \(c.seed)")
        if let j = finalJ {
            var s = "  exact J: \(fmt(initialJ ?? .nan)) -> \(fmt(j))"
            if let o = session.optimalJ {
                s += " (optimum \(fmt(o))"
                if o > 0 && j >= 0 && j.isFinite { s += ", \(String(format: "%.1f", 100 * j / o))% of it" } else if j.isFinite { s += ", regret \(fmt(o - j))" }
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
