import PolicyGradient

/// A sampler of the user's own, with coupled draws: the two episodes of a group take their
/// actions by inversion of one uniform u and of 1 − u, drawn from the group's stream of the
/// step (an antithetic pair; each episode alone is an exact sample of π). Each episode records
/// the uniform it used.
public struct AntitheticSampler: GroupSampler {
    /// The sampler.
    public init() {}

    /// `antithetic`.
    public var identity: String { "antithetic" }
    /// The uniform each episode used.
    public static func recordWidth(actionCount: Int) -> Int { 1 }
    /// Pairs only.
    public func problem(groupSize: Int, actionCount: Int) -> String? {
        groupSize == 2 ? nil : "draws antithetic pairs, so K must be 2, got \(groupSize)"
    }

    /// a_j = min{k : Σ_{i≤k} π(i|s) > u_j} with u_0 = u, u_1 = 1 − u.
    public func draw(_ step: inout GroupStep) {
        let u = step.groupStream.nextUniform()
        for j in 0..<step.episodes where step.isLive(j) {
            let v = j == 0 ? u : 1 - u, s = step.state(j)
            var a = 0
            while a < step.policy.actionCount - 1 && v >= step.policy.cumulative(s, a) { a += 1 }
            step.setAction(a, for: j)
            step.setRecord(v, for: j, at: 0)
        }
    }
}

/// REINFORCE on antithetic pairs, the README's worked example of an estimator with coupled
/// draws: ĝ = (1/N) Σ_i Σ_t γᵗ G_t ∇log π(a_t|s_t) with the episodes drawn in pairs by
/// ``AntitheticSampler``. Each episode is an exact sample of π, so the mean is ∇J (unbiased);
/// the pair's negative correlation lowers the variance of a monotone reward below that of two
/// independent episodes.
public struct AntitheticReinforce: GradientEstimator {
    /// The estimator.
    public init() {}

    /// Antithetic pairs.
    public var sampler: AntitheticSampler { AntitheticSampler() }
    /// Two episodes per group.
    public var groupSize: Int { 2 }

    /// Adds w G_t ∇ log π(a_t|s_t) for every step of both episodes, w = γᵗ/N.
    public func accumulate(_ group: EpisodeGroup, scratch: inout Void, into out: inout LogitCotangents) {
        for j in 0..<group.samples {
            var weight = group.weight
            for t in 0..<group.length(j) {
                out.addScore(state: group.state(j, t), action: group.action(j, t), coefficient: weight * group.returnToGo(j, t))
                weight *= group.gamma
            }
        }
    }

    /// `antithetic` for `pg train --estimator`, `pg compare --estimators` and `pg variance`.
    public static let descriptor = EstimatorDescriptor(
        name: "antithetic", summary: "REINFORCE on antithetic pairs u, 1 - u (worked example of coupled draws)",
        claim: .unbiased) { _, _ in AntitheticReinforce() }
}
