/// Plain straight-through (Bengio, Léonard & Courville, "Estimating or Propagating Gradients
/// Through Stochastic Neurons for Conditional Computation", 2013): the action is sampled from π,
/// the forward value is f at the one-hot sample z = e_a, and the backward pass treats the
/// sample's Jacobian as the identity, ∂z/∂π := I.
///
/// Actions are drawn by inversion, exactly as REINFORCE draws them. Each step t, with
/// v = ∇_z f(s_t, z_t) and w = γᵗ/N, adds the direct logit cotangent
///
///     w (∂π/∂logits)ᵀ v = w π ⊙ (v − ⟨π, v⟩)
///
/// (``TaylorBaseline/accumulateCorrection(probabilities:gradient:scale:into:)``). No score term:
/// the estimator is biased (E[∇_z f(z)] is not the slope of E[f(z)] along π unless f is affine in
/// x), and `pg variance` measures by how much. Unlike `st-gumbel` it needs no Gumbel noise and no
/// temperature: the backward goes through π itself rather than a relaxed sample.
///
/// f is the environment's differentiable reward where it has one (`toy`), otherwise a critic
/// Q_w(s, x) fitted to the returns after each batch (``RelaxedReward``), standing for the
/// return from s_t. Logs `surrogate`,
/// (1/N) Σ_i Σ_t γᵗ f(s_t, z_t).
public struct StraightThrough: GradientEstimator {
    /// f and ∇f.
    public private(set) var reward: RelaxedReward

    /// Straight-through with a source of f.
    /// - Parameter reward: the environment's differentiable reward or a critic.
    public init(reward: RelaxedReward) {
        self.reward = reward
    }

    /// One sum: the surrogate.
    public func auxiliaryCount(stateCount: Int, actionCount: Int) -> Int { 1 }
    /// The one-hot sample and ∇f there.
    public func makeScratch(actionCount: Int, featureCount: Int) -> VectorScratch {
        VectorScratch(count: actionCount, vectors: 2)
    }

    /// Adds w π ⊙ (v − ⟨π, v⟩), v = ∇_z f(s_t, e_{a_t}), for every step.
    /// - Complexity: O(steps · A) plus one f evaluation per step; allocates nothing.
    @inlinable
    public func accumulate(_ group: EpisodeGroup, scratch: inout VectorScratch, into out: inout LogitCotangents) {
        let z = scratch[0], v = scratch[1]
        for j in 0..<group.samples {
            var weight = group.weight
            for t in 0..<group.length(j) {
                let s = group.state(j, t)
                GumbelSoftmax.oneHot(group.action(j, t), into: z)
                let f = reward.evaluate(state: s, rows: group.features, at: UnsafeBufferPointer(z), gradient: v)
                out.auxiliary[0] += weight * f
                TaylorBaseline.accumulateCorrection(probabilities: group.policy.probabilities(s), gradient: UnsafeBufferPointer(v),
                                                    scale: weight, into: out.logitRow(s))
                weight *= group.gamma
            }
        }
    }

    /// Refits the critic.
    public mutating func update(after batch: BatchAccumulator, table: PolicyTable) {
        reward.fit(after: batch, actionCount: table.actionCount)
    }

    /// `surrogate`.
    public var logFields: [String] { ["surrogate"] }
    /// The objective at the hard samples.
    public func logValues(of batch: BatchAccumulator) -> EstimatorValues { EstimatorValues(batch.auxiliary[0]) }
    /// A critic is fitted from data.
    public var needsWarmUp: Bool { reward.isLearned }
}

extension StraightThrough {
    /// `st`: plain straight-through.
    public static let descriptor = EstimatorDescriptor(
        name: "st", summary: "straight-through: f at the one-hot sample of pi, backward as if dz/dpi = I (Bengio et al. 2013)",
        claim: .biased(because: "the sample's Jacobian is replaced by the identity"), settings: Critic.settings) { c, v in
        StraightThrough(reward: RelaxedReward(context: c, settings: v))
    }
}
