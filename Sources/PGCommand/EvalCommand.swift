import Foundation
import PolicyGradient

/// `pg eval CHECKPOINT`: a saved policy on its run's environment — exact J where the dynamics
/// are known (sampled and greedy actions, and the optimum), and the mean return ± SE of N
/// evaluation episodes, like Stable-Baselines3's `evaluate_policy`.
enum EvalCommand {
    /// `episodes`: evaluation episodes (default 100).
    static let episodesSetting = Setting(key: "episodes", integer: 100, help: "evaluation episodes") {
        (1...100_000_000).contains($0) ? nil : "must be in 1...100000000"
    }
    /// `seed`: the seed of the evaluation episodes (default 1).
    static let seedSetting = Setting(key: "seed", kind: .seed, defaultValue: .seed(1), placeholder: "S",
                                     help: "seed of the evaluation episodes (the environment is made with its run's seed)")

    static let flags = [Flag(episodesSetting), Flag("greedy", nil, "take the most probable action (first on ties) "
                                                        + "instead of sampling from the policy"),
                        Flag(seedSetting), Flag("help", nil, "show this help")]

    static func run(_ args: [String], _ output: Output) throws -> Int32 {
        let a = try Arguments(args, flags: flags, command: "eval")
        if a.has("help") {
            output.out(PGCommand.help("pg eval — a saved policy's exact J and mean return over evaluation episodes",
                                      usage: "pg eval CHECKPOINT [--episodes N] [--greedy] [--seed S]\n\n"
                                        + "The environment is the checkpoint's run's (its --env, settings and seed);\n"
                                        + "returns are discounted with its --gamma, as J is.",
                                      sections: [("OPTIONS", flags)]))
            return 0
        }
        guard a.positionals.count == 1 else {
            throw InputError("pg eval: give one checkpoint file (pg train saves LOG.checkpoint.json next to LOG.jsonl)")
        }
        let values = try a.values(of: [episodesSetting, seedSetting])
        let c = try CheckpointFile(path: a.positionals[0])
        let (env, _) = try c.environment(command: "eval")
        let sampled = try probabilities(c, environment: env)
        let greedy = PolicyEvaluation.greedy(probabilities: sampled, actionCount: env.actionCount)
        let gamma = c.header.training.gamma, n = values.integer(episodesSetting), seed = values.seed(seedSetting)
        let summary = try PolicyEvaluation.episodes(env, probabilities: a.has("greedy") ? greedy : sampled, count: n,
                                                    gamma: gamma, seed: seed)
        report(output, c, env, sampled: sampled, greedy: greedy, summary: summary, isGreedy: a.has("greedy"), seed: seed)
        return 0
    }

    /// π(a|s) of the checkpoint's policy in every state of `environment`, row-major S × A.
    static func probabilities(_ c: CheckpointFile, environment env: any Environment) throws -> [Double] {
        let policy = try c.checkpoint.makePolicy(for: env, file: c.path)
        var table = PolicyTable(stateCount: env.stateCount, actionCount: env.actionCount)
        table.update(from: policy, features: try env.stateFeatures())
        return table.probabilities
    }

    static func report(_ output: Output, _ c: CheckpointFile, _ env: any Environment, sampled: [Double], greedy: [Double],
                       summary s: PolicyEvaluation.EpisodeSummary, isGreedy: Bool, seed: UInt64) {
        let fmt = { (x: Double) in NumberFormat.significant(x) }
        let trained = c.header.estimators.first.map { " of \($0.label)" } ?? ""
        output.line("pg eval: \(env.id), \(CheckpointFile.describe(c.checkpoint.policy)) policy from \(c.path) "
                    + "(\(c.checkpoint.iteration) updates\(trained), seed \(c.header.training.seed), \(c.checkpoint.status))")
        let gamma = c.header.training.gamma, h = env.timeLimit
        if let model = (env as? any KnownDynamics)?.model {
            let j = PolicyEvaluation.objective(model: model, probabilities: sampled, horizon: h, gamma: gamma)
            let jg = PolicyEvaluation.objective(model: model, probabilities: greedy, horizon: h, gamma: gamma)
            let optimum = ExactGradient.optimalValue(model: model, horizon: h, gamma: gamma)
            output.line("  exact J: \(fmt(j)) sampling actions, \(fmt(jg)) greedy (optimum \(fmt(optimum)))")
        } else if let objective = env as? any ExactObjective {
            let j = objective.exactObjective(probabilities: sampled, gamma: gamma).value
            let jg = objective.exactObjective(probabilities: greedy, gamma: gamma).value
            let optimum = objective.optimalObjective(gamma: gamma).map { " (optimum \(fmt($0)))" } ?? ""
            output.line("  exact J: \(fmt(j)) sampling actions, \(fmt(jg)) greedy\(optimum)")
        } else {
            output.line("  exact J: unknown (\(env.id) does not expose its dynamics)")
        }
        let episodes = "\(s.returns.count) episode\(s.returns.count == 1 ? "" : "s")"
        output.line("  \(episodes), \(isGreedy ? "greedy" : "sampled") actions, seed \(seed): mean return "
                    + "\(NumberFormat.meanWithError(s.meanReturn, s.standardError)) (SE), std \(fmt(s.standardDeviation)), "
                    + "mean length \(fmt(s.lengths.mean)), truncated \(String(format: "%.1f", 100 * s.truncatedFraction))%")
    }
}
