/// Gapped straight-through, GST (Fan, Chi, Rudnicky & Ramadge, "Training Discrete Deep
/// Generative Models via Gapped Straight-Through Estimator", ICML 2022): straight-through
/// Gumbel-softmax's backward pass with the Gumbel noise replaced by a deterministic
/// perturbation of the logits given the sample.
///
/// The action a is sampled from π (by inversion), the forward value is f at D = e_a, and the
/// backward pass goes through y = softmax(θ̃/τ), θ̃ = θ + m with m held constant: the sampled
/// logit raised to the largest one and every other logit kept at least a gap κ below it,
///
///     θ̃_a = max_k θ_k,   θ̃_i = min(θ_i, max_k θ_k − κ) (i ≠ a)        (``perturbedLogits(_:action:gap:into:)``)
///
/// so that argmax θ̃ = a with a margin κ (the paper's "consistency" and "strict gap"
/// properties of straight-through Gumbel-softmax, without its noise; the authors' code, GST-κ
/// with κ = 1 by default). Each step adds (γᵗ/N) (1/τ) y ⊙ (v − ⟨y, v⟩), v = ∇_D f.
///
/// Biased: the backward pass goes through a relaxation of the sample, not the discrete
/// sample. f is the environment's differentiable reward or a learned critic Q_w(s, ·)
/// (``RelaxedReward``), as for `st-gumbel`. Logs `tau` and `surrogate`.
public struct GappedStraightThrough: GradientEstimator {
    /// τ_k.
    public let temperature: Schedule
    /// κ, the gap.
    public let gap: Double
    /// f and ∇f.
    public private(set) var reward: RelaxedReward
    /// τ of the current batch.
    public private(set) var tau: Double

    /// GST with a temperature schedule, a gap κ and a source of f.
    /// - Precondition: κ > 0.
    public init(temperature: Schedule, gap: Double, reward: RelaxedReward) {
        precondition(gap > 0 && gap.isFinite, "the gap must be > 0")
        self.temperature = temperature
        self.gap = gap
        self.reward = reward
        tau = temperature.initial
    }

    /// One sum: the surrogate.
    public func auxiliaryCount(stateCount: Int, actionCount: Int) -> Int { 1 }
    /// The one-hot sample, ∇f and y.
    public func makeScratch(actionCount: Int, featureCount: Int) -> VectorScratch {
        VectorScratch(count: actionCount, vectors: 3)
    }
    /// τ for update `iteration`.
    public mutating func prepare(iteration: Int, table: PolicyTable) { tau = temperature.value(at: iteration) }

    /// Adds (γᵗ/N) (1/τ) y ⊙ (v − ⟨y, v⟩) per step, y = softmax(θ̃/τ).
    /// - Complexity: O(steps · A) plus one f evaluation per step; allocates nothing.
    public func accumulate(_ group: EpisodeGroup, scratch: inout VectorScratch, into out: inout LogitCotangents) {
        let z = scratch[0], v = scratch[1], y = scratch[2]
        for j in 0..<group.samples {
            var weight = group.weight
            for t in 0..<group.length(j) {
                let s = group.state(j, t), a = group.action(j, t)
                GumbelSoftmax.oneHot(a, into: z)
                out.auxiliary[0] += weight * reward.evaluate(state: s, rows: group.features, at: UnsafeBufferPointer(z), gradient: v)
                Self.perturbedLogits(group.policy.logProbabilities(s), action: a, gap: gap, into: y)
                GumbelSoftmax.relax(perturbed: UnsafeBufferPointer(y), temperature: tau, into: y)
                GumbelSoftmax.accumulateBackward(relaxed: UnsafeBufferPointer(y), cotangent: UnsafeBufferPointer(v), temperature: tau,
                                                 scale: weight, into: out.logitRow(s))
                weight *= group.gamma
            }
        }
    }

    /// Writes θ̃: θ̃_a = max_k θ_k and θ̃_i = min(θ_i, max_k θ_k − κ) for i ≠ a.
    /// - Complexity: O(A); allocates nothing.
    static func perturbedLogits(_ theta: UnsafeBufferPointer<Double>, action a: Int, gap: Double,
                                       into out: UnsafeMutableBufferPointer<Double>) {
        var top = -Double.infinity
        for k in theta.indices { top = Swift.max(top, theta[k]) }
        for k in theta.indices { out[k] = k == a ? top : Swift.min(theta[k], top - gap) }
    }

    /// Refits the critic.
    public mutating func update(after batch: BatchAccumulator, table: PolicyTable) {
        reward.fit(after: batch, actionCount: table.actionCount)
    }

    /// `tau` and `surrogate`.
    public var logFields: [String] { ["tau", "surrogate"] }
    /// τ and the objective at the hard samples.
    public func logValues(of batch: BatchAccumulator) -> EstimatorValues { EstimatorValues(tau, batch.auxiliary[0]) }
    /// A critic is fitted from data.
    public var needsWarmUp: Bool { reward.isLearned }
    /// The critic's per-(s, a) visits and return sums.
    public var statistics: BatchStatistics { reward.isLearned ? [.visits, .returnSums] : [] }
}

extension GappedStraightThrough {
    /// `gap`: κ, how far GST keeps the other logits below the sampled one (default 1).
    public static let gapSetting = Setting(key: "gap", number: 1, placeholder: "K",
                                           help: "gst's gap between the sampled logit and the others") {
        $0 > 0 ? nil : "must be > 0"
    }

    /// `gst`.
    public static let descriptor = EstimatorDescriptor(
        name: "gst", summary: "gapped straight-through: ST backward through a deterministic gapped relaxation of the sample (Fan et al. 2022)",
        claim: .biased(because: "the backward pass goes through a deterministic relaxation of the sample, not the discrete sample"),
        settings: Temperature.settings + [gapSetting] + Critic.settings) { c, v in
        GappedStraightThrough(temperature: try Temperature.schedule(v), gap: v.number(gapSetting),
                              reward: RelaxedReward(context: c, settings: v))
    }
}
