/// What one update reports (one `{"type":"iteration"}` line of the JSONL log).
public struct IterationRecord: Sendable, Equatable {
    /// 0-based update index.
    public var iteration = 0
    /// Episodes so far, including this batch.
    public var episodes = 0
    /// Mean and standard deviation of the batch's episode returns.
    public var meanReturn = 0.0, stdReturn = 0.0
    /// Exact J of the policy that collected the batch (nil without known dynamics).
    public var exactJ: Double?
    /// Best achievable J (the finite-horizon optimum), when known.
    public var optimalJ: Double?
    /// Fraction of the batch's first actions that were the optimal arm (bandits).
    public var optimalActionFraction: Double?
    /// ‖ĝ‖.
    public var gradientNorm = 0.0
    /// ‖ĝ − ∇J‖², the squared error of this update's gradient estimate against the exact
    /// gradient (variance + bias² in expectation); only when requested and ∇J is known.
    public var gradientError: Double?
    /// Mean policy entropy over the batch's steps.
    public var entropy = 0.0
    /// The estimator's own values for the batch, named by its ``GradientEstimator/logFields``
    /// (`baseline`; `tau` and `surrogate`; …).
    public var estimatorValues = EstimatorValues()
    /// The learning rate used.
    public var learningRate = 0.0
    /// Mean episode length and fraction of episodes truncated by the time limit.
    public var meanLength = 0.0, truncatedFraction = 0.0
    /// The continuations the estimator asked for (``Branching``) and their environment steps:
    /// the update's cost beyond its N episodes (0 for estimators that do not branch).
    public var branchEpisodes = 0, branchSteps = 0
    /// Seconds since training started.
    public var elapsed = 0.0

    /// J* − J, when both are known.
    public var regret: Double? {
        guard let j = exactJ, let o = optimalJ else { return nil }
        return o - j
    }

    /// Creates an empty record.
    public init() {}
}

/// Which updates' records carry exact J (environments with known dynamics).
public enum ExactJSchedule: String, Sendable {
    /// Every update: one evaluation costs at most a fifth of the rollouts of the smallest
    /// possible batch (N one-step episodes), or the environment has a closed form.
    case everyUpdate = "every update"
    /// The first and the last update, and otherwise each update by which the rollouts since
    /// the last evaluation have done five times its work (so exact J takes at most about a
    /// fifth of the run); the records of the others have no `exact_j`.
    case budgeted
}
