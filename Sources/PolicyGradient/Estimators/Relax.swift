/// RELAX (Grathwohl, Choi, Wu, Roeder & Duvenaud, "Backpropagation through the Void:
/// Optimizing control variates for black-box gradient estimation", ICLR 2018, §3.3 and
/// appendix C), per step of an episode:
///
///     ĝ_t = γᵗ/N · { [G_t − c_ψ(s, x̃)] ∇log π(b|s) + ∇_θ c_ψ(s, x) − ∇_θ c_ψ(s, x̃) },
///
/// with z, b, x = σ_τ(z), z̃ ~ p(z | b) and x̃ = σ_τ(z̃) as in ``Rebar`` and a learned surrogate
/// c_ψ(s, x) (``Surrogate``) in place of REBAR's η f(σ_λ(·)); it needs no differentiable reward
/// and no critic. Given s_t the c_ψ terms have expectation zero, so RELAX is unbiased for any ψ
/// fixed during the batch.
///
/// ψ descends the variance: since E ĝ does not depend on ψ, ∂Var/∂ψ = E[∂‖ĝ‖²/∂ψ]. With ĝ_i
/// the estimate of episode i (its steps' tabular logit rows summed per state; the parameters
/// of a tabular policy), the batch estimate (1/N) Σ_i 2 ĝ_iᵀ ∂ĝ_i/∂ψ is formed in two passes
/// over each episode: the first sums ĝ_i per state (``EpisodeStateSums``), the second, for
/// every step with d = ĝ_i[s_t] held fixed, adds
/// 2 γᵗ/N · ∂/∂ψ [−⟨d, e_b − π⟩ c_ψ(x̃) + ⟨J_x d, ∇ₓc_ψ(x)⟩ − ⟨J̃ d, ∇ₓc_ψ(x̃)⟩] (mixed
/// derivatives through the MLP). ψ takes one Adam step after the batch, so it never depends on
/// the draws of the batch it is used in. It logs `tau` and `psi_loss` = (1/N) Σ_i ‖ĝ_i‖².
public struct Relax: GradientEstimator {
    /// τ_k.
    public let temperature: Schedule
    /// c_ψ.
    public private(set) var surrogate: Surrogate
    /// τ of the current batch.
    public private(set) var tau: Double
    let stateCount: Int, horizon: Int

    /// RELAX with a temperature schedule and a surrogate.
    /// - Parameters:
    ///   - temperature: τ_k.
    ///   - surrogate: c_ψ at its initial weights (input width: the feature count plus A).
    ///   - stateCount: S.
    ///   - horizon: the time limit (the per-episode scratch holds min(S, horizon) states).
    public init(temperature: Schedule, surrogate: Surrogate, stateCount: Int, horizon: Int) {
        self.temperature = temperature
        self.surrogate = surrogate
        tau = temperature.initial
        self.stateCount = stateCount
        self.horizon = horizon
    }

    /// Gumbel-max, recording z.
    public var sampler: GumbelMaxSampler { GumbelMaxSampler() }
    /// (1/N) Σ_i ‖ĝ_i‖², then ∂/∂ψ of it (one value per weight of c_ψ).
    public func auxiliaryCount(stateCount: Int, actionCount: Int) -> Int { 1 + surrogate.network.parameterCount }

    /// A-vectors for x, ∇c(x), z̃, x̃, ∇c(x̃), a scratch, the step's row and two tangents; the
    /// surrogate's hidden activations and tangents; the episode's per-state ĝ_i.
    public func makeScratch(actionCount: Int, featureCount: Int) -> ControlVariateScratch {
        ControlVariateScratch(actionCount: actionCount, vectors: 9, hiddenCount: surrogate.network.hiddenCount,
                              sums: EpisodeStateSums(stateCount: stateCount, horizon: horizon, width: actionCount, vectors: 1))
    }

    /// τ for update `iteration`.
    public mutating func prepare(iteration: Int, table: PolicyTable) { tau = temperature.value(at: iteration) }

    /// Adds every step's ĝ_t, the group's ‖ĝ_i‖² and, if ψ learns, its variance gradient.
    public func accumulate(_ group: EpisodeGroup, scratch: inout ControlVariateScratch, into out: inout LogitCotangents) {
        let sums = scratch.sums
        let gradient = UnsafeMutableBufferPointer(rebasing: out.auxiliary[1...])
        for j in 0..<group.samples {
            sums.clear()
            var discount = 1.0
            for t in 0..<group.length(j) {
                estimateStep(group, episode: j, step: t, discount: discount, scratch: scratch, into: &out)
                discount *= group.gamma
            }
            out.auxiliary[0] += group.weight * sums.innerProduct(0, 0)
            guard surrogate.learns else { continue }
            discount = 1
            for t in 0..<group.length(j) {
                varianceGradientStep(group, episode: j, step: t, discount: discount, scratch: scratch, into: gradient)
                discount *= group.gamma
            }
        }
    }

    /// The step's relaxed pair, redrawn identically in both passes from the step's own stream.
    func relaxedPair(_ group: EpisodeGroup, episode j: Int, step t: Int, scratch: ControlVariateScratch) {
        var rng = group.noise(episode: j, step: t)
        let s = group.state(j, t)
        RelaxedControlVariate.relaxedPair(perturbed: UnsafeBufferPointer(rebasing: group.recordRow(j, t)[0..<group.policy.actionCount]),
                                          logits: group.policy.logProbabilities(s), action: group.action(j, t), temperature: tau,
                                          relaxed: scratch[0], conditional: scratch[2], relaxedConditional: scratch[3], using: &rng)
    }

    /// First pass, one step: the score coefficient γᵗ/N (G_t − c(x̃)), the pathwise row
    /// γᵗ/N (J_xᵀ∇c(x) − J̃ᵀ∇c(x̃)), and the step's whole row (weight γᵗ) into ĝ_i[s_t].
    func estimateStep(_ group: EpisodeGroup, episode j: Int, step t: Int, discount: Double,
                      scratch: ControlVariateScratch, into out: inout LogitCotangents) {
        let a = out.actionCount, s = group.state(j, t), b = group.action(j, t), p = group.policy.probabilities(s)
        let x = scratch[0], v = scratch[1], zTilde = scratch[2], xTilde = scratch[3], vTilde = scratch[4]
        let hidden = scratch.hidden[0], row = group.features[s]
        relaxedPair(group, episode: j, step: t, scratch: scratch)
        _ = surrogate.evaluate(features: row, action: UnsafeBufferPointer(x), gradient: v, hidden: hidden)
        let cTilde = surrogate.evaluate(features: row, action: UnsafeBufferPointer(xTilde), gradient: vTilde, hidden: hidden)
        let path = scratch[6]
        RelaxedControlVariate.pathwise(relaxed: UnsafeBufferPointer(x), cotangent: UnsafeBufferPointer(v),
                                       conditional: UnsafeBufferPointer(zTilde), relaxedConditional: UnsafeBufferPointer(xTilde),
                                       conditionalCotangent: UnsafeBufferPointer(vTilde), probabilities: p, action: b,
                                       temperature: tau, scratch: scratch[5], into: path)
        let w = discount * group.weight, signal = group.returnToGo(j, t) - cTilde
        out.addScore(state: s, action: b, coefficient: w * signal)
        let logits = out.logitRow(s), episode = scratch.sums.row(state: s, vector: 0)
        for k in 0..<a {
            logits[k] += w * path[k]
            episode[k] += discount * (path[k] + signal * ((k == b ? 1 : 0) - p[k]))
        }
    }

    /// Second pass, one step: adds 2γᵗ/N · ∂/∂ψ [−⟨d, e_b − π⟩ c(x̃) + ⟨J_x d, ∇c(x)⟩ − ⟨J̃ d, ∇c(x̃)⟩]
    /// with d = ĝ_i[s_t] fixed.
    func varianceGradientStep(_ group: EpisodeGroup, episode j: Int, step t: Int, discount: Double,
                              scratch: ControlVariateScratch, into gradient: UnsafeMutableBufferPointer<Double>) {
        let s = group.state(j, t), b = group.action(j, t), p = group.policy.probabilities(s)
        let x = UnsafeBufferPointer(scratch[0]), xTilde = UnsafeBufferPointer(scratch[3]), u = scratch[7], uTilde = scratch[8]
        let d = UnsafeBufferPointer(scratch.sums.row(state: s, vector: 0))
        let hidden = scratch.hidden[0], tangent = scratch.hidden[1], row = group.features[s], w = 2 * discount * group.weight
        relaxedPair(group, episode: j, step: t, scratch: scratch)
        RelaxedControlVariate.tangents(direction: d, relaxed: x, conditional: UnsafeBufferPointer(scratch[2]), relaxedConditional: xTilde,
                                       probabilities: p, action: b, temperature: tau, scratch: scratch[5], u: u, uTilde: uTilde)
        let along = RelaxedControlVariate.scoreComponent(d, action: b, probabilities: p)
        surrogate.accumulateGradient(features: row, action: x, direction: UnsafeBufferPointer(u), valueWeight: 0,
                                     directionalWeight: w, hidden: hidden, tangent: tangent, into: gradient)
        surrogate.accumulateGradient(features: row, action: xTilde, direction: UnsafeBufferPointer(uTilde), valueWeight: -w * along,
                                     directionalWeight: -w, hidden: hidden, tangent: tangent, into: gradient)
    }

    /// One Adam step of ψ down the batch's variance gradient.
    public mutating func update(after batch: BatchAccumulator, table: PolicyTable) {
        surrogate.descend(Array(batch.auxiliary[1...]))
    }

    /// `tau` and `psi_loss`.
    public var logFields: [String] { ["tau", "psi_loss"] }
    /// τ and (1/N) Σ_i ‖ĝ_i‖² of the batch.
    public func logValues(of batch: BatchAccumulator) -> EstimatorValues { EstimatorValues(tau, batch.auxiliary[0]) }
    /// ψ is fitted from data (when it learns).
    public var needsWarmUp: Bool { surrogate.learns }
}

extension Relax {
    /// `relax`.
    public static let descriptor = EstimatorDescriptor(
        name: "relax", summary: "RELAX: REBAR's control variate replaced by a learned c_psi(s, x) trained on the estimator's variance; unbiased (Grathwohl et al. 2018)",
        claim: .unbiased, settings: Temperature.settings + Surrogate.settings) { c, v in
        try make(context: c, settings: v)
    }

    /// The most weights RELAX's surrogate may have: every chunk of a batch keeps a gradient of
    /// that length (one-hot features make the first layer S wide).
    static let surrogateWeightLimit = 1_000_000

    /// RELAX for `context` with the settings `values`, its surrogate's weights drawn from the run's seed.
    /// - Throws: ``InputError`` (field `surrogate_hidden`) if the surrogate would be too large.
    static func make(context c: EstimatorContext, settings v: SettingValues) throws -> Relax {
        let a = c.environment.actionCount
        let weights = Surrogate.parameterCount(featureCount: c.features.count, actionCount: a, settings: v)
        if weights > surrogateWeightLimit {
            throw InputError(field: Surrogate.hiddenSetting.key,
                             "gives relax's surrogate \(weights) weights on \(c.environment.id), more than \(surrogateWeightLimit) "
                                + "(each chunk of a batch keeps their gradient); give smaller widths")
        }
        var rng = RandomStream(seed: c.seed).split(0x5E1A)
        return Relax(temperature: try Temperature.schedule(v),
                     surrogate: Surrogate(featureCount: c.features.count, actionCount: a, settings: v, using: &rng),
                     stateCount: c.environment.stateCount, horizon: c.environment.timeLimit)
    }
}
