/// The Gumbel-Rao estimator (Paulus, Maddison & Krause, "Rao-Blackwellizing the Straight-Through
/// Gumbel-Softmax Gradient Estimator", ICLR 2021): `st-gumbel`'s backward pass averaged over M
/// Gumbel perturbations that all give the executed action. Per step,
///
///     ĝ_t = γᵗ/N · (1/M) Σ_m (∂σ_τ(θ + g_m)/∂θ)ᵀ ∇f(onehot(b)),   g_m ~ p(g | argmax(θ + g) = b),
///
/// where θ = log π(·|s), f is the environment's differentiable reward or a critic Q_w(s, ·)
/// (``RelaxedReward``), and the forward value is the hard sample onehot(b), as in `st-gumbel`.
/// The first perturbation is the rollout's own (the recorded z = θ + g, a draw from the same
/// conditional), the other M − 1 come from ``ConditionalGumbel`` with noise from
/// ``EpisodeGroup/noise(episode:step:)``; with M = 1 it is `st-gumbel` on the same draws.
///
/// Each Jacobian is taken with its noise held fixed, ∂σ_τ(θ + g)/∂θ at g = g_m: that is the
/// Jacobian of the straight-through estimator, and its conditional mean given b is what
/// Rao-Blackwellisation asks for, so E ĝ equals `st-gumbel`'s mean exactly (the same bias) with
/// a variance that is lower by E[Var(ĝ_ST | b)] (1 − 1/M). (The paper's text says the total
/// derivative is taken through θ and g_m; differentiating through the conditional
/// reparameterisation as well would change the mean, as the PyTorch implementation by
/// N. Shepperd points out; we follow the conditional expectation.) Biased, like `st-gumbel`.
public struct GumbelRaoEstimator: GradientEstimator {
    /// `rao_samples`: M, the conditional perturbations per step (default 10).
    public static let samplesSetting = Setting(key: "rao_samples", integer: 10, placeholder: "M",
                                               help: "gumbel-rao's Gumbel perturbations per step, given the action") {
        (1...10_000).contains($0) ? nil : "must be in 1...10000"
    }

    /// M.
    public let raoSamples: Int
    /// τ_k.
    public let temperature: Schedule
    /// f and ∇f.
    public private(set) var reward: RelaxedReward
    /// τ of the current batch.
    public private(set) var tau: Double

    /// Gumbel-Rao with M perturbations per step, a temperature schedule and a source of f.
    /// - Parameters:
    ///   - raoSamples: M ≥ 1.
    ///   - temperature: τ_k.
    ///   - reward: f and ∇f at the hard point.
    /// - Precondition: M ≥ 1.
    public init(raoSamples: Int, temperature: Schedule, reward: RelaxedReward) {
        precondition(raoSamples >= 1, "gumbel-rao needs at least one perturbation per step")
        self.raoSamples = raoSamples
        self.temperature = temperature
        self.reward = reward
        tau = temperature.initial
    }

    /// Gumbel-max (the recorded z is the first perturbation).
    public var sampler: GumbelMaxSampler { GumbelMaxSampler() }
    /// One sum: the objective (1/N) Σ γᵗ f(onehot(b)) at the hard points.
    public func auxiliaryCount(stateCount: Int, actionCount: Int) -> Int { 1 }
    /// The hard point, ∇f there, a perturbation and its relaxation.
    public func makeScratch(actionCount: Int, featureCount: Int) -> VectorScratch { VectorScratch(count: actionCount, vectors: 4) }

    /// τ for update `iteration`.
    public mutating func prepare(iteration: Int, table: PolicyTable) { tau = temperature.value(at: iteration) }

    /// Adds (γᵗ/N)(1/M) Σ_m (∂σ_τ(θ + g_m)/∂θ)ᵀ ∇f(onehot(b)) per step.
    public func accumulate(_ group: EpisodeGroup, scratch: inout VectorScratch, into out: inout LogitCotangents) {
        let a = out.actionCount, hard = scratch[0], v = scratch[1], zTilde = scratch[2], y = scratch[3]
        for j in 0..<group.samples {
            var discount = 1.0
            for t in 0..<group.length(j) {
                let s = group.state(j, t), b = group.action(j, t), theta = group.policy.logProbabilities(s)
                GumbelSoftmax.oneHot(b, into: hard)
                let weight = discount * group.weight, scale = weight / Double(raoSamples), row = out.logitRow(s)
                out.auxiliary[0] += weight * reward.evaluate(state: s, rows: group.features, at: UnsafeBufferPointer(hard), gradient: v)
                GumbelSoftmax.relax(perturbed: UnsafeBufferPointer(rebasing: group.recordRow(j, t)[0..<a]), temperature: tau, into: y)
                GumbelSoftmax.accumulateBackward(relaxed: UnsafeBufferPointer(y), cotangent: UnsafeBufferPointer(v), temperature: tau,
                                                 scale: scale, into: row)
                guard raoSamples > 1 else { discount *= group.gamma; continue }
                var rng = group.noise(episode: j, step: t)
                let logZ = ConditionalGumbel.logNormaliser(theta)
                for _ in 1..<raoSamples {
                    ConditionalGumbel.sample(logits: theta, logNormaliser: logZ, action: b, into: zTilde, using: &rng)
                    GumbelSoftmax.relax(perturbed: UnsafeBufferPointer(zTilde), temperature: tau, into: y)
                    GumbelSoftmax.accumulateBackward(relaxed: UnsafeBufferPointer(y), cotangent: UnsafeBufferPointer(v), temperature: tau,
                                                     scale: scale, into: row)
                }
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
    /// τ and the objective at the hard points.
    public func logValues(of batch: BatchAccumulator) -> EstimatorValues { EstimatorValues(tau, batch.auxiliary[0]) }
    /// A critic is fitted from data.
    public var needsWarmUp: Bool { reward.isLearned }
}

extension GumbelRaoEstimator {
    /// `gumbel-rao`: st-gumbel's backward averaged over conditional perturbations.
    public static let descriptor = EstimatorDescriptor(
        name: "gumbel-rao", summary: "Gumbel-Rao: st-gumbel's backward averaged over rao_samples Gumbel perturbations given the action; st-gumbel's bias, less variance (Paulus et al. 2021)",
        claim: .biased(because: "it averages st-gumbel's backward, so it keeps st-gumbel's bias"),
        settings: Temperature.settings + [samplesSetting] + Critic.settings) { c, v in
        GumbelRaoEstimator(raoSamples: v.integer(samplesSetting), temperature: try Temperature.schedule(v),
                           reward: RelaxedReward(context: c, settings: v))
    }
}
