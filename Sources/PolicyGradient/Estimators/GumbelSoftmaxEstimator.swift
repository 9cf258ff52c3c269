/// The Gumbel-softmax (Concrete) estimator and its straight-through variant.
///
/// Actions are drawn by the Gumbel-max trick, a = argmax_k(log π_k + g_k) (an exact sample of
/// π), and each step adds the pathwise logit cotangent (γᵗ/N) (∂y/∂logits)ᵀ ∇f with the
/// relaxation y = softmax((log π + g)/τ) and (∂y/∂logits)ᵀ v = (1/τ) y ⊙ (v − ⟨y, v⟩)
/// (see ``GumbelSoftmax``). f is the environment's differentiable reward or a learned critic
/// Q_w(s, ·) (``RelaxedReward``); both make the estimator biased, and `pg variance` measures
/// by how much.
///
/// * ``Mode/relaxed`` (`gumbel`; Jang, Gu & Poole, "Categorical Reparameterization with
///   Gumbel-Softmax", ICLR 2017; Maddison, Mnih & Teh, "The Concrete Distribution", ICLR 2017):
///   ∇f is taken at y.
/// * ``Mode/straightThrough`` (`st-gumbel`, Jang et al. 2017 §2.2): the forward value is the
///   hard z = onehot(a) and ∇f is taken there, the backward pass still through ∂y/∂logits.
///
/// It logs the temperature (`tau`) and the relaxed objective (1/N) Σ_i Σ_t γᵗ f(x_t)
/// (`surrogate`), x_t the point where f was evaluated.
public struct GumbelSoftmaxEstimator: GradientEstimator {
    /// Where f is differentiated.
    public enum Mode: Sendable {
        /// At the relaxed y (`gumbel`).
        case relaxed
        /// At the hard one-hot z (`st-gumbel`).
        case straightThrough
    }

    /// Where f is differentiated.
    public let mode: Mode
    /// τ_k.
    public let temperature: Schedule
    /// f and ∇f.
    public private(set) var reward: RelaxedReward
    /// τ of the current batch.
    public private(set) var tau: Double

    /// The estimator with a temperature schedule and a source of f.
    public init(mode: Mode, temperature: Schedule, reward: RelaxedReward) {
        self.mode = mode
        self.temperature = temperature
        self.reward = reward
        tau = temperature.initial
    }

    /// Gumbel-max, recording z.
    public var sampler: GumbelMaxSampler { GumbelMaxSampler() }
    /// One sum: the relaxed objective.
    public func auxiliaryCount(stateCount: Int, actionCount: Int) -> Int { 1 }
    /// y, ∇f and the hard point (zeros).
    public func makeScratch(actionCount: Int, featureCount: Int) -> VectorScratch {
        VectorScratch(count: actionCount, vectors: 3)
    }

    /// τ for update `iteration`.
    public mutating func prepare(iteration: Int, table: PolicyTable) { tau = temperature.value(at: iteration) }

    /// Adds (γᵗ/N) (∂y/∂logits)ᵀ ∇f(x_t) per step, x_t = y_t or onehot(a_t).
    @inlinable
    public func accumulate(_ group: EpisodeGroup, scratch: inout VectorScratch, into out: inout LogitCotangents) {
        let a = out.actionCount, y = scratch[0], v = scratch[1], hard = scratch[2]
        for j in 0..<group.samples {
            var discount = 1.0
            for t in 0..<group.length(j) {
                let s = group.state(j, t)
                let z = UnsafeBufferPointer(rebasing: group.recordRow(j, t)[0..<a])
                GumbelSoftmax.relax(perturbed: z, temperature: tau, into: y)
                let weight = discount * group.weight
                let f: Double
                if mode == .relaxed {
                    f = reward.evaluate(state: s, rows: group.features, at: UnsafeBufferPointer(y), gradient: v)
                } else {
                    // `hard` holds zeros between steps (``makeScratch`` zeroes it): one entry set
                    // and reset instead of a whole one-hot vector written per step.
                    let b = group.action(j, t)
                    precondition(hard.indices.contains(b), "action \(b) out of range")
                    hard[b] = 1
                    f = reward.evaluate(state: s, rows: group.features, at: UnsafeBufferPointer(hard), gradient: v)
                    hard[b] = 0
                }
                out.auxiliary[0] += weight * f
                GumbelSoftmax.accumulateBackward(relaxed: UnsafeBufferPointer(y), cotangent: UnsafeBufferPointer(v),
                                                 temperature: tau, scale: weight, into: out.logitRow(s))
                discount *= group.gamma
            }
        }
    }

    /// Refits the critic.
    public mutating func update(after batch: BatchAccumulator, table: PolicyTable) {
        reward.fit(after: batch, actionCount: table.actionCount)
    }

    /// `tau` and `surrogate`.
    public var logFields: [String] { ["tau", "surrogate"] }
    /// τ and the relaxed objective of the batch.
    public func logValues(of batch: BatchAccumulator) -> EstimatorValues { EstimatorValues(tau, batch.auxiliary[0]) }
    /// A critic is fitted from data.
    public var needsWarmUp: Bool { reward.isLearned }
    /// The critic's per-(s, a) visits and return sums.
    public var statistics: BatchStatistics { reward.isLearned ? [.visits, .returnSums] : [] }
}

extension GumbelSoftmaxEstimator {
    /// `gumbel`: the gradient of f at the relaxed sample.
    public static let relaxedDescriptor = EstimatorDescriptor(
        name: "gumbel", summary: "Gumbel-softmax / Concrete, gradient of f at the relaxed sample (Jang et al. 2017; Maddison et al. 2017)",
        claim: .biased(because: "f is differentiated at the relaxed sample, not the discrete one"),
        settings: Temperature.settings + Critic.settings) { c, v in
        GumbelSoftmaxEstimator(mode: .relaxed, temperature: try Temperature.schedule(v), reward: RelaxedReward(context: c, settings: v))
    }

    /// `st-gumbel`: f at the hard sample, backward through the relaxation.
    public static let straightThroughDescriptor = EstimatorDescriptor(
        name: "st-gumbel", summary: "straight-through Gumbel-softmax: f at the hard sample, backward through the relaxation (Jang et al. 2017)",
        claim: .biased(because: "the backward pass goes through the relaxation, not the discrete sample"),
        settings: Temperature.settings + Critic.settings) { c, v in
        GumbelSoftmaxEstimator(mode: .straightThrough, temperature: try Temperature.schedule(v),
                               reward: RelaxedReward(context: c, settings: v))
    }
}
