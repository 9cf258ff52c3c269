import Foundation
import PolicyGradient

extension PlotCommand {
    /// `--policy` and `--shade`: the picture of a saved policy.
    static let policyFlags = [
        Flag("policy", "CHECKPOINT", "draw the policy of a checkpoint instead of curves: a gridworld's map with "
             + "arrows of length pi(a|s), or a bandit's pi(a) under q*(a)"),
        Flag("shade", "visits|value", "what colours a gridworld's cells: expected visits per episode or the value V(s), "
             + "exact from the dynamics (default visits)"),
    ]

    /// The flags that only draw curves (refused with `--policy`).
    static let curveOnlyFlags = ["metric", "label", "smooth"]

    /// `pg plot --policy CHECKPOINT [--shade visits|value] [--out FILE.svg] [--title TEXT]`.
    /// - Throws: ``InputError`` for a bad checkpoint, an environment that has no picture, or a
    ///   flag that does not apply.
    static func policyPicture(_ a: Arguments, checkpoint path: String, _ output: Output) throws -> Int32 {
        if let extra = a.positionals.first {
            throw InputError("pg plot --policy: unexpected argument '\(extra)' (curves and a policy are separate plots)")
        }
        if let f = curveOnlyFlags.first(where: a.has) { throw InputError("--\(f) applies to curves, not to pg plot --policy") }
        var shading = PolicyPicture.Shading.visits
        if let s = a.string("shade") {
            guard let v = PolicyPicture.Shading(rawValue: s) else {
                throw InputError("--shade: unknown value '\(s)'; valid: "
                                 + PolicyPicture.Shading.allCases.map(\.rawValue).joined(separator: ", "))
            }
            shading = v
        }
        let out = a.string("out") ?? defaultPicturePath(checkpoint: path)
        try OutputFlag.under(a.has("out") ? "out" : nil) { try OutputFile.check(out, replacing: a.has("force"), protecting: [path]) }
        let c = try CheckpointFile(path: path)
        let (env, _) = try c.environment(command: "plot")
        let probabilities = try EvalCommand.probabilities(c, environment: env)
        let svg: String
        switch env {
        case let world as Gridworld:
            svg = PolicyPicture.gridworld(world, probabilities: probabilities, shading: shading,
                                          gamma: c.header.training.gamma, title: a.string("title"))
        case let bandit as Bandit:
            if a.has("shade") { throw InputError("--shade applies to gridworld pictures; \(env.id) is a bandit") }
            svg = PolicyPicture.bandit(bandit, probabilities: probabilities, title: a.string("title"))
        default:
            throw InputError("pg plot --policy draws gridworld maps and bandits; \(env.id) (from \(c.path)) is neither")
        }
        try OutputFlag.under(a.has("out") ? "out" : nil) { try OutputFile.write(svg, to: out, replacing: a.has("force"), protecting: [path]) }
        output.line("plot: \(out) (\(CheckpointFile.describe(c.checkpoint.policy)) policy on \(env.id), "
                    + "\(c.checkpoint.iteration) updates)")
        return 0
    }

    /// `runs/X.checkpoint.json` → `runs/X.policy.svg`; any other name gets `.policy.svg` in place
    /// of `.json`.
    static func defaultPicturePath(checkpoint path: String) -> String {
        for suffix in [".checkpoint.json", ".json"] where path.hasSuffix(suffix) {
            return String(path.dropLast(suffix.count)) + ".policy.svg"
        }
        return path + ".policy.svg"
    }
}
