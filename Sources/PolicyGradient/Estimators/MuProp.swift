/// MuProp (Gu, Levine, Sutskever & Mnih, "MuProp: Unbiased Backpropagation for Stochastic
/// Neural Networks", ICLR 2016): the score-function estimator with the first-order Taylor
/// expansion of f around the mean-field point as its control variate, and the control
/// variate's mean added back analytically, so that it stays unbiased.
///
/// Actions are drawn by inversion, exactly as REINFORCE draws them (so `pg variance` gives it
/// the same episodes). Each step t, with μ̄ = π(·|s_t), x = e_{a_t}, v = ∇ₓf(s_t, μ̄) and w = γᵗ/N, adds
///
///     w (G_t − b_t) ∇log π(a_t|s_t) + w (∂π/∂logits)ᵀ v,    b_t = f(s_t, μ̄) + vᵀ(x − μ̄),
///
/// whose second term is E_a[b ∇log π] with μ̄ and f held fixed (``TaylorBaseline``). The sum is
/// unbiased for ∇J for any f that does not depend on the batch: f is the environment's
/// differentiable reward where it has one (`toy`), otherwise a critic Q_w(s, x) fitted to the
/// returns only after each batch's gradient (``RelaxedReward``). MuProp's mean-field f(μ̄)
/// becomes, in a policy-gradient setting, f at the relaxed action π(·|s): a critic evaluated off
/// the vertices it was fitted on, which may make it a poor control variate but never a biased one.
///
/// Logs `surrogate`, (1/N) Σ_i Σ_t γᵗ f(s_t, μ̄_t), and `residual_rms`, √(Σ (G_t − b_t)² / steps).
public struct MuProp: GradientEstimator {
    /// f and ∇f.
    public private(set) var reward: RelaxedReward

    /// MuProp with a source of f.
    /// - Parameter reward: the environment's differentiable reward or a critic.
    public init(reward: RelaxedReward) {
        self.reward = reward
    }

    /// Two sums: the surrogate and the squared residuals.
    public func auxiliaryCount(stateCount: Int, actionCount: Int) -> Int { 2 }
    /// ∇f and the simplex centre.
    public func makeScratch(actionCount: Int, featureCount: Int) -> VectorScratch {
        TaylorBaseline.makeScratch(actionCount: actionCount)
    }

    /// Adds w (G_t − b_t) ∇log π(a_t|s_t) + w (∂π/∂logits)ᵀ ∇f(s_t, π(·|s_t)) for every step.
    /// - Complexity: O(steps · A) plus one f evaluation per step; allocates nothing.
    @inlinable
    public func accumulate(_ group: EpisodeGroup, scratch: inout VectorScratch, into out: inout LogitCotangents) {
        TaylorBaseline.accumulate(group, reward: reward, point: .policy, corrected: true, scratch: scratch, into: &out)
    }

    /// Refits the critic (after the batch's gradient, so f is fixed within a batch).
    public mutating func update(after batch: BatchAccumulator, table: PolicyTable) {
        reward.fit(after: batch, actionCount: table.actionCount)
    }

    /// `surrogate` and `residual_rms`.
    public var logFields: [String] { ["surrogate", "residual_rms"] }
    /// See ``TaylorBaseline/logValues(of:)``.
    public func logValues(of batch: BatchAccumulator) -> EstimatorValues { TaylorBaseline.logValues(of: batch) }
    /// A critic is fitted from data.
    public var needsWarmUp: Bool { reward.isLearned }
}

extension MuProp {
    /// `muprop`: the first-order Taylor control variate at the mean-field point, corrected.
    public static let descriptor = EstimatorDescriptor(
        name: "muprop", summary: "score function with the first-order Taylor control variate of f at the mean-field point pi, its mean added back: unbiased (Gu et al. 2016)",
        claim: .unbiased, settings: Critic.settings) { c, v in
        MuProp(reward: RelaxedReward(context: c, settings: v))
    }
}
