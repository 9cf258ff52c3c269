/// The exact gradient ∇J as an estimator, for environments with known dynamics (or their own
/// ``ExactObjective``): zero variance, the reference learning curve every estimator is measured
/// against in `pg compare`.
///
/// The rollout still runs (its episodes give the logged mean return, entropy and lengths), but
/// nothing is taken from it: ``finalize(_:table:normalised:)`` replaces the batch's cotangents by
/// the exact ones of ``ExactGradient/logitCotangent(table:model:horizon:gamma:)``, M[s,·] = ∂J/∂logits(s)
/// and T = 0, so that the trainer's ĝ = Σ_s J_sᵀ (M[s,·] − π(·|s) T[s]) is exactly ∇J, bit for bit
/// the value of ``TrainingSession/exactGradient()``. The cost per update is the dynamic programme,
/// O(H · Σ_{s,a} outcomes(s,a)), on top of the rollout.
public struct ExactGradientEstimator: GradientEstimator {
    /// The transition table (nil when the environment's own objective gives ∇J).
    public let model: TabularModel?
    /// The environment's own exact objective, used when there is no transition table.
    public let objective: (any ExactObjective)?
    /// H, the time limit.
    public let horizon: Int
    /// γ.
    public let gamma: Double

    /// The exact gradient of J for `model` over `horizon` steps with discount `gamma`.
    /// - Precondition: `horizon >= 1`, 0 ≤ γ ≤ 1.
    public init(model: TabularModel, horizon: Int, gamma: Double) {
        precondition(horizon >= 1 && gamma >= 0 && gamma <= 1, "exact gradient: horizon >= 1 and gamma in [0, 1]")
        self.model = model
        objective = nil
        self.horizon = horizon
        self.gamma = gamma
    }

    /// The exact gradient of J from an environment's own objective, with discount `gamma`.
    /// - Precondition: 0 ≤ γ ≤ 1.
    public init(objective: any ExactObjective, gamma: Double) {
        precondition(gamma >= 0 && gamma <= 1, "exact gradient: gamma in [0, 1]")
        model = nil
        self.objective = objective
        horizon = objective.timeLimit
        self.gamma = gamma
    }

    /// Why the exact gradient cannot be computed for `context`'s environment (nil when it can).
    public static func incompatibility(_ context: EstimatorContext) -> String? {
        context.model == nil && !(context.environment is any ExactObjective)
            ? "it needs known dynamics (an environment conforming to KnownDynamics: a transition table, or to ExactObjective)" : nil
    }

    /// Nothing: the episodes are not used for the gradient.
    @inlinable
    public func accumulate(_ group: EpisodeGroup, scratch: inout Void, into out: inout LogitCotangents) {}

    /// M = ∂J/∂logits of the table's policy, T = 0.
    /// - Complexity: one dynamic programme over (time, state); allocates its tables once per batch.
    public mutating func finalize(_ batch: inout BatchAccumulator, table: PolicyTable, normalised: Bool) {
        let cot = model.map { ExactGradient.logitCotangent(table: table, model: $0, horizon: horizon, gamma: gamma).cotangent }
            ?? ExactGradient.logitCotangent(table: table, objective: objective!, gamma: gamma).cotangent
        precondition(cot.count == batch.score.count, "exact gradient: the table and the batch disagree in size")
        for k in cot.indices { batch.score[k] = cot[k] }
        for s in batch.scoreTotal.indices { batch.scoreTotal[s] = 0 }
    }
}

extension ExactGradientEstimator {
    /// `exact`: the reference every estimator is measured against.
    public static let descriptor = EstimatorDescriptor(
        name: "exact", summary: "the exact gradient of J by dynamic programming (known dynamics only): zero variance, the reference curve",
        claim: .exact, incompatibility: { incompatibility($0) }) { c, _ in
        if let m = c.model { return ExactGradientEstimator(model: m, horizon: c.environment.timeLimit, gamma: c.gamma) }
        return ExactGradientEstimator(objective: c.environment as! any ExactObjective, gamma: c.gamma)
    }
}
