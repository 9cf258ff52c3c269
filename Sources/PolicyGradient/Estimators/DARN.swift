/// DARN's estimator (Gregor, Danihelka, Mnih, Blundell & Wierstra, "Deep AutoRegressive
/// Networks", ICML 2014), as the literature summarises it (Gu et al. 2016; Jang et al. 2017): the
/// score-function estimator with the first-order Taylor baseline of f around a fixed point x̄,
/// b = f(x̄) + ∇f(x̄)ᵀ(x − x̄), and *without* the correction term that would make it unbiased.
///
/// Each step t, with x = e_{a_t}, v = ∇ₓf(s_t, x̄) and w = γᵗ/N, adds w (G_t − b_t) ∇log π(a_t|s_t).
/// Its mean is ∇J − E[Σ_t γᵗ (∂π(·|s_t)/∂logits)ᵀ ∇f(s_t, x̄)] (see ``TaylorBaseline``): biased
/// by the missing term, and `pg variance` measures by how much.
///
/// **The fixed point.** The paper's x̄ = 1/2 for a Bernoulli unit is the midpoint of its two
/// values; for a categorical action pg takes the centre of the simplex, x̄ = (1/A, …, 1/A)
/// (``TaylorBaseline/ExpansionPoint/centre``), which is that choice exactly for two actions
/// (x = (1 − b, b), x̄ = (1/2, 1/2)), is the same for every state and policy, and treats no
/// action specially. Consequence worth knowing: when f is an affine function of x plus
/// c‖x − x̄‖² (both toys: −(b − t)² and −Σ (x_k − t_k)²), ‖e_a − x̄‖² = 1 − 1/A is the same at
/// every vertex, so the residual f(e_a) − b(e_a) = c(1 − 1/A) is the same for every action and
/// the estimator's mean is exactly 0 there: a relative bias of 1. ``TaylorBaseline/ExpansionPoint/policy``
/// (x̄ = π(·|s)) is MuProp without its correction, kept for showing that the correction matters.
///
/// f is the environment's differentiable reward where it has one, else a critic Q_w(s, x)
/// (``RelaxedReward``). Logs `surrogate`, (1/N) Σ_i Σ_t γᵗ f(s_t, x̄), and `residual_rms`.
public struct DARN: GradientEstimator {
    /// x̄.
    public let point: TaylorBaseline.ExpansionPoint
    /// f and ∇f.
    public private(set) var reward: RelaxedReward

    /// DARN around `point` with a source of f.
    /// - Parameters:
    ///   - point: x̄ (`pg`'s `darn` uses the centre of the simplex).
    ///   - reward: the environment's differentiable reward or a critic.
    public init(point: TaylorBaseline.ExpansionPoint = .centre, reward: RelaxedReward) {
        self.point = point
        self.reward = reward
    }

    /// Two sums: the surrogate and the squared residuals.
    public func auxiliaryCount(stateCount: Int, actionCount: Int) -> Int { 2 }
    /// ∇f and the simplex centre.
    public func makeScratch(actionCount: Int, featureCount: Int) -> VectorScratch {
        TaylorBaseline.makeScratch(actionCount: actionCount)
    }

    /// Adds w (G_t − b_t) ∇log π(a_t|s_t) for every step, b_t the tangent plane of f at x̄.
    /// - Complexity: O(steps · A) plus one f evaluation per step; allocates nothing.
    @inlinable
    public func accumulate(_ group: EpisodeGroup, scratch: inout VectorScratch, into out: inout LogitCotangents) {
        TaylorBaseline.accumulate(group, reward: reward, point: point, corrected: false, scratch: scratch, into: &out)
    }

    /// Refits the critic.
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

extension DARN {
    /// `darn`: the Taylor baseline at the simplex centre without its correction.
    public static let descriptor = EstimatorDescriptor(
        name: "darn", summary: "score function with the Taylor baseline of f at the simplex centre, no correction: biased (Gregor et al. 2014)",
        claim: .biased(because: "the first-order baseline around a fixed point depends on the action and its mean is not added back"),
        settings: Critic.settings) { c, v in
        DARN(point: .centre, reward: RelaxedReward(context: c, settings: v))
    }
}
