/// RELAX (Grathwohl, Choi, Wu, Roeder & Duvenaud, "Backpropagation through the Void:
/// Optimizing control variates for black-box gradient estimation", ICLR 2018, §3.3 and
/// appendix C), per step of an episode:
///
///     ĝ_t = γᵗ/N · { [G_t − c(z̃)] ∇log π(b|s) + ∇_θ c(z) − ∇_θ c(z̃) },
///     c(z) = η f(σ_λ(z)) + r_ρ(s, z),
///
/// with z = log π(·|s) + g the recorded Gumbel-max logits (b = argmax z the executed action),
/// z̃ ~ p(z | b) and σ_λ as in ``Rebar`` (λ = τ), f the environment's differentiable reward or a
/// critic (``RelaxedReward``), and r_ρ a small learned network (``Surrogate``). The published
/// form feeds r_ρ the logits z themselves (`surrogate_input=logits`, the default), so that
/// ∇_θ r_ρ(z) goes through z = log π + g, ∂z/∂θ = I − 1πᵀ, and ∇_θ r_ρ(z̃) through the
/// conditional construction (``ConditionalGumbel``); `surrogate_input=relaxed` feeds it
/// σ_τ(z) as before. Given s_t the c terms have expectation zero, so RELAX is unbiased for any
/// (λ, η, ρ) fixed during the batch. Today's RELAX, c = r_ρ(s, σ_τ(z)) at a scheduled τ, is
/// `surrogate_input=relaxed,eta=0,tau_mode=schedule` (η = 0 also builds no critic).
///
/// (λ, η, ρ) descend the variance: since E ĝ does not depend on them, ∂Var/∂φ = E[∂‖ĝ‖²/∂φ].
/// With ĝ_i = A_i + η B_i the estimate of episode i (its steps' tabular logit rows summed per
/// state; the parameters of a tabular policy), ∂‖ĝ_i‖²/∂η = 2⟨ĝ_i, B_i⟩ exactly, ∂/∂log λ is
/// 2⟨ĝ_i, ∂ĝ_i/∂log λ⟩ — exact, η ∂B_i/∂log λ as in ``Rebar``, when r_ρ sees the logits and f
/// has a Hessian–vector product; otherwise (a critic, or r_ρ on σ_λ(z), whose second derivative
/// in its input the MLP does not provide) a central difference at the same noise
/// (``ControlVariateScale``) — and ∂/∂ρ is formed in two passes over each episode: the first
/// sums ĝ_i per state (``EpisodeStateSums``), the second, for every step with d = ĝ_i[s_t]
/// held fixed, adds 2 γᵗ/N · ∂/∂ρ [−⟨d, e_b − π⟩ r(ũ) + ⟨J d, ∇r(u)⟩ − ⟨J̃ d, ∇r(ũ)⟩] for the
/// surrogate's inputs u, ũ and their logit Jacobians J, J̃ (mixed derivatives through the MLP).
/// All take one Adam step after the batch, so they never depend on the draws of the batch they
/// are used in. It logs `tau`, `eta` and `psi_loss` = (1/N) Σ_i ‖ĝ_i‖².
public struct Relax: GradientEstimator {
    /// What r_ρ sees.
    public enum SurrogateInput: String, CaseIterable, Sendable {
        /// The perturbed logits z (the published form; the default).
        case logits
        /// The relaxed sample σ_τ(z).
        case relaxed
    }
    /// `surrogate_input`: logits (default) or relaxed.
    public static let inputSetting = Setting(key: "surrogate_input", choice: SurrogateInput.logits.rawValue,
                                             among: SurrogateInput.allCases.map(\.rawValue),
                                             help: "what relax's surrogate r_rho sees: logits (z) or relaxed (sigma_tau(z))")

    /// λ = τ and η and how they adapt.
    public private(set) var scale: ControlVariateScale
    /// f on the simplex (nil when η is fixed at 0).
    public private(set) var reward: RelaxedReward?
    /// r_ρ.
    public private(set) var surrogate: Surrogate
    /// What r_ρ sees.
    public let input: SurrogateInput
    /// Takes ∂ĝ/∂log τ by the central difference even where it could be exact (for the tests).
    var forcesTemperatureDifference = false
    /// τ of the current batch.
    public var tau: Double { scale.tau }
    let stateCount: Int, horizon: Int

    /// RELAX with its coefficients' rules, a source of f and a surrogate.
    /// - Parameters:
    ///   - scale: λ = τ, η and how they adapt.
    ///   - reward: f (nil: no η f term; then η must be fixed).
    ///   - surrogate: r_ρ at its initial weights (input width: the feature count plus A).
    ///   - input: what r_ρ sees.
    ///   - stateCount: S.
    ///   - horizon: the time limit (the per-episode scratch holds min(S, horizon) states).
    public init(scale: ControlVariateScale, reward: RelaxedReward?, surrogate: Surrogate, input: SurrogateInput,
                stateCount: Int, horizon: Int) {
        precondition(reward != nil || !scale.adaptsEta, "relax: an adapted eta needs f")
        self.scale = scale
        self.reward = reward
        self.surrogate = surrogate
        self.input = input
        self.stateCount = stateCount
        self.horizon = horizon
    }

    /// Gumbel-max, recording z.
    public var sampler: GumbelMaxSampler { GumbelMaxSampler() }
    /// (1/N) Σ_i ‖ĝ_i‖², Σ ⟨ĝ_i, B_i⟩, Σ ‖B_i‖², the log τ gradient, then ∂/∂ρ (one value per weight of r_ρ).
    public func auxiliaryCount(stateCount: Int, actionCount: Int) -> Int { Self.rhoOffset + surrogate.network.parameterCount }
    /// Where ∂/∂ρ starts in the auxiliary sums.
    static let rhoOffset = 4

    /// A-vectors for x, ∇r, z̃, x̃, ∇r̃, a scratch, the step's r-row, two tangents, the η-row and
    /// four for the τ-derivative; the surrogate's hidden activations and tangents; the episode's
    /// per-state ĝ_i, B_i and ∂B_i/∂log τ (or ĝ_i at τe^{±h}).
    public func makeScratch(actionCount: Int, featureCount: Int) -> ControlVariateScratch {
        ControlVariateScratch(actionCount: actionCount, vectors: 14, hiddenCount: surrogate.network.hiddenCount,
                              sums: EpisodeStateSums(stateCount: stateCount, horizon: horizon, width: actionCount, vectors: 4))
    }

    /// τ for update `iteration`.
    public mutating func prepare(iteration: Int, table: PolicyTable) { scale.prepare(iteration: iteration) }

    /// Adds every step's ĝ_t, the group's sums and, if ρ learns, its variance gradient.
    public func accumulate(_ group: EpisodeGroup, scratch: inout ControlVariateScratch, into out: inout LogitCotangents) {
        let sums = scratch.sums, shifted = scale.shiftedTemperatures, exact = exactTemperatureDerivative
        let gradient = UnsafeMutableBufferPointer(rebasing: out.auxiliary[Self.rhoOffset...])
        for j in 0..<group.samples {
            sums.clear()
            var discount = 1.0
            for t in 0..<group.length(j) {
                estimateStep(group, episode: j, step: t, discount: discount, scratch: scratch, into: &out)
                if scale.adaptsTau, exact {
                    addTemperatureDerivative(group, episode: j, step: t, discount: discount, scratch: scratch)
                } else if scale.adaptsTau {
                    addShifted(group, episode: j, step: t, discount: discount, temperature: shifted.up, vector: 2, scratch: scratch)
                    addShifted(group, episode: j, step: t, discount: discount, temperature: shifted.down, vector: 3, scratch: scratch)
                }
                discount *= group.gamma
            }
            out.auxiliary[0] += group.weight * sums.innerProduct(0, 0)
            if reward != nil {
                out.auxiliary[1] += group.weight * sums.innerProduct(0, 1)
                out.auxiliary[2] += group.weight * sums.innerProduct(1, 1)
            }
            if scale.adaptsTau {
                // 2⟨ĝ, ∂ĝ/∂log τ⟩: ∂ĝ/∂log τ = η ∂B/∂log τ exactly (vector 2), or (ĝ₊ − ĝ₋)/2h (vectors 2, 3).
                let along = exact ? 2 * scale.eta * sums.innerProduct(0, 2)
                    : (sums.innerProduct(0, 2) - sums.innerProduct(0, 3)) / ControlVariateScale.logTauStep
                out.auxiliary[3] += group.weight * along
            }
            guard surrogate.learns else { continue }
            discount = 1
            for t in 0..<group.length(j) {
                varianceGradientStep(group, episode: j, step: t, discount: discount, scratch: scratch, into: gradient)
                discount *= group.gamma
            }
        }
    }

    /// The step's relaxed pair at temperature τ, redrawn identically in every pass from the step's own stream.
    func relaxedPair(_ group: EpisodeGroup, episode j: Int, step t: Int, temperature tau: Double, scratch: ControlVariateScratch) {
        var rng = group.noise(episode: j, step: t)
        let s = group.state(j, t)
        RelaxedControlVariate.relaxedPair(perturbed: perturbed(group, j, t),
                                          logits: group.policy.logProbabilities(s), action: group.action(j, t), temperature: tau,
                                          relaxed: scratch[0], conditional: scratch[2], relaxedConditional: scratch[3], using: &rng)
    }

    /// The recorded z of a step.
    func perturbed(_ group: EpisodeGroup, _ j: Int, _ t: Int) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(rebasing: group.recordRow(j, t)[0..<group.policy.actionCount])
    }

    /// r_ρ's inputs at a step (after ``relaxedPair(_:episode:step:temperature:scratch:)``): (z, z̃) or (x, x̃).
    func surrogateInputs(_ group: EpisodeGroup, _ j: Int, _ t: Int, scratch: ControlVariateScratch)
        -> (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>) {
        switch input {
        case .logits: return (perturbed(group, j, t), UnsafeBufferPointer(scratch[2]))
        case .relaxed: return (UnsafeBufferPointer(scratch[0]), UnsafeBufferPointer(scratch[3]))
        }
    }

    /// A step's terms at temperature τ: the r-row ∇_θ r(u) − ∇_θ r(ũ) into scratch 6, the η-row
    /// J_xᵀ∇f(x) − J̃ᵀ∇f(x̃) into scratch 9 (when f is there); returns (r(ũ), f(x̃)).
    func stepTerms(_ group: EpisodeGroup, episode j: Int, step t: Int, temperature tau: Double,
                   scratch: ControlVariateScratch) -> (rTilde: Double, fTilde: Double) {
        let s = group.state(j, t), b = group.action(j, t), p = group.policy.probabilities(s)
        let x = scratch[0], v = scratch[1], zTilde = scratch[2], xTilde = scratch[3], vTilde = scratch[4], row = scratch[6]
        relaxedPair(group, episode: j, step: t, temperature: tau, scratch: scratch)
        let (u, uTilde) = surrogateInputs(group, j, t, scratch: scratch), features = group.features[s]
        _ = surrogate.evaluate(features: features, action: u, gradient: v, hidden: scratch.hidden[0])
        let rTilde = surrogate.evaluate(features: features, action: uTilde, gradient: vTilde, hidden: scratch.hidden[0])
        switch input {
        case .relaxed:
            RelaxedControlVariate.pathwise(relaxed: UnsafeBufferPointer(x), cotangent: UnsafeBufferPointer(v),
                                           conditional: UnsafeBufferPointer(zTilde), relaxedConditional: UnsafeBufferPointer(xTilde),
                                           conditionalCotangent: UnsafeBufferPointer(vTilde), probabilities: p, action: b,
                                           temperature: tau, scratch: scratch[5], into: row)
        case .logits:
            RelaxedControlVariate.logitPathwise(cotangent: UnsafeBufferPointer(v), conditional: UnsafeBufferPointer(zTilde),
                                                conditionalCotangent: UnsafeBufferPointer(vTilde), probabilities: p, action: b, into: row)
        }
        guard let reward else { return (rTilde, 0) }
        _ = reward.evaluate(state: s, rows: group.features, at: UnsafeBufferPointer(x), gradient: v)
        let fTilde = reward.evaluate(state: s, rows: group.features, at: UnsafeBufferPointer(xTilde), gradient: vTilde)
        RelaxedControlVariate.pathwise(relaxed: UnsafeBufferPointer(x), cotangent: UnsafeBufferPointer(v),
                                       conditional: UnsafeBufferPointer(zTilde), relaxedConditional: UnsafeBufferPointer(xTilde),
                                       conditionalCotangent: UnsafeBufferPointer(vTilde), probabilities: p, action: b,
                                       temperature: tau, scratch: scratch[5], into: scratch[9])
        return (rTilde, fTilde)
    }

    /// First pass, one step: the score coefficient γᵗ/N (G_t − c(z̃)), the pathwise row
    /// γᵗ/N (∇_θ c(z) − ∇_θ c(z̃)), the step's whole row (weight γᵗ) into ĝ_i[s_t] and its η-part into B_i[s_t].
    func estimateStep(_ group: EpisodeGroup, episode j: Int, step t: Int, discount: Double,
                      scratch: ControlVariateScratch, into out: inout LogitCotangents) {
        let a = out.actionCount, s = group.state(j, t), b = group.action(j, t), p = group.policy.probabilities(s), eta = scale.eta
        let (rTilde, fTilde) = stepTerms(group, episode: j, step: t, temperature: scale.tau, scratch: scratch)
        let path = scratch[6], etaPath = scratch[9], w = discount * group.weight
        let signal = group.returnToGo(j, t) - rTilde - eta * fTilde
        out.addScore(state: s, action: b, coefficient: w * signal)
        let logits = out.logitRow(s), slot = scratch.sums.slot(s)
        let episode = scratch.sums.row(slot: slot, vector: 0), partB = scratch.sums.row(slot: slot, vector: 1)
        if reward == nil {
            for k in 0..<a {
                logits[k] += w * path[k]
                episode[k] += discount * (path[k] + signal * ((k == b ? 1 : 0) - p[k]))
            }
            return
        }
        for k in 0..<a {
            let score = (k == b ? 1 : 0) - p[k]
            logits[k] += w * (path[k] + eta * etaPath[k])
            episode[k] += discount * (path[k] + eta * etaPath[k] + signal * score)
            partB[k] += discount * (etaPath[k] - fTilde * score)
        }
    }

    /// Whether ∂ĝ/∂log τ is exact: r_ρ sees the logits (so only η f(σ_τ(·)) depends on τ) and f
    /// has a Hessian–vector product; else a central difference.
    var exactTemperatureDerivative: Bool {
        input == .logits && reward?.hasHessian == true && !forcesTemperatureDifference
    }

    /// Adds the step's exact ∂B/∂log τ row (weight γᵗ) into sums vector 2, right after
    /// ``estimateStep(_:episode:step:discount:scratch:into:)`` left x, ∇f(x), z̃, x̃, ∇f(x̃) in the scratch.
    func addTemperatureDerivative(_ group: EpisodeGroup, episode j: Int, step t: Int, discount: Double, scratch: ControlVariateScratch) {
        let s = group.state(j, t), b = group.action(j, t), p = group.policy.probabilities(s), row = scratch[13]
        let fDot = RelaxedControlVariate.temperatureDerivative(
            reward: reward!, state: s, perturbed: perturbed(group, j, t), relaxed: UnsafeBufferPointer(scratch[0]),
            cotangent: UnsafeBufferPointer(scratch[1]), conditional: UnsafeBufferPointer(scratch[2]),
            relaxedConditional: UnsafeBufferPointer(scratch[3]), conditionalCotangent: UnsafeBufferPointer(scratch[4]), probabilities: p,
            action: b, temperature: scale.tau, scratch: (scratch[10], scratch[11], scratch[12]), into: row)
        let part = scratch.sums.row(state: s, vector: 2)
        for k in 0..<group.policy.actionCount { part[k] += discount * (row[k] - fDot * ((k == b ? 1 : 0) - p[k])) }
    }

    /// Adds the step's whole row at another temperature (same noise) into sums vector `vector`.
    func addShifted(_ group: EpisodeGroup, episode j: Int, step t: Int, discount: Double, temperature: Double, vector: Int,
                    scratch: ControlVariateScratch) {
        let s = group.state(j, t), b = group.action(j, t), p = group.policy.probabilities(s), eta = scale.eta
        let (rTilde, fTilde) = stepTerms(group, episode: j, step: t, temperature: temperature, scratch: scratch)
        let path = scratch[6], etaPath = scratch[9], part = scratch.sums.row(state: s, vector: vector)
        let signal = group.returnToGo(j, t) - rTilde - eta * fTilde, hasReward = reward != nil
        for k in 0..<group.policy.actionCount {
            part[k] += discount * (path[k] + (hasReward ? eta * etaPath[k] : 0) + signal * ((k == b ? 1 : 0) - p[k]))
        }
    }

    /// Second pass, one step: adds 2γᵗ/N · ∂/∂ρ [−⟨d, e_b − π⟩ r(ũ) + ⟨J d, ∇r(u)⟩ − ⟨J̃ d, ∇r(ũ)⟩]
    /// with d = ĝ_i[s_t] fixed.
    func varianceGradientStep(_ group: EpisodeGroup, episode j: Int, step t: Int, discount: Double,
                              scratch: ControlVariateScratch, into gradient: UnsafeMutableBufferPointer<Double>) {
        let s = group.state(j, t), b = group.action(j, t), p = group.policy.probabilities(s)
        let tangent = scratch[7], tangentTilde = scratch[8]
        let d = UnsafeBufferPointer(scratch.sums.row(state: s, vector: 0))
        let hidden = scratch.hidden[0], hiddenTangent = scratch.hidden[1], row = group.features[s], w = 2 * discount * group.weight
        relaxedPair(group, episode: j, step: t, temperature: scale.tau, scratch: scratch)
        let (u, uTilde) = surrogateInputs(group, j, t, scratch: scratch)
        switch input {
        case .relaxed:
            RelaxedControlVariate.tangents(direction: d, relaxed: UnsafeBufferPointer(scratch[0]), conditional: UnsafeBufferPointer(scratch[2]),
                                           relaxedConditional: UnsafeBufferPointer(scratch[3]), probabilities: p, action: b,
                                           temperature: tau, scratch: scratch[5], u: tangent, uTilde: tangentTilde)
        case .logits:
            RelaxedControlVariate.logitTangents(direction: d, conditional: UnsafeBufferPointer(scratch[2]), probabilities: p, action: b,
                                                u: tangent, uTilde: tangentTilde)
        }
        let along = RelaxedControlVariate.scoreComponent(d, action: b, probabilities: p)
        surrogate.accumulateGradient(features: row, action: u, direction: UnsafeBufferPointer(tangent), valueWeight: 0,
                                     directionalWeight: w, hidden: hidden, tangent: hiddenTangent, into: gradient)
        surrogate.accumulateGradient(features: row, action: uTilde, direction: UnsafeBufferPointer(tangentTilde), valueWeight: -w * along,
                                     directionalWeight: -w, hidden: hidden, tangent: hiddenTangent, into: gradient)
    }

    /// Refits the critic (if any), moves λ and η as their modes say, and takes one Adam step of ρ.
    public mutating func update(after batch: BatchAccumulator, table: PolicyTable) {
        reward?.fit(after: batch, actionCount: table.actionCount)
        // ⟨A, B⟩ = ⟨ĝ, B⟩ − η‖B‖².
        let eta = scale.eta, square = batch.auxiliary[2]
        scale.update(cross: batch.auxiliary[1] - eta * square, square: square, tauGradient: batch.auxiliary[3])
        batch.auxiliary.withUnsafeBufferPointer { surrogate.descend(UnsafeBufferPointer(rebasing: $0[Self.rhoOffset...])) }
    }

    /// `tau`, `eta` and `psi_loss`.
    public var logFields: [String] { ["tau", "eta", "psi_loss"] }
    /// τ, η and (1/N) Σ_i ‖ĝ_i‖² of the batch.
    public func logValues(of batch: BatchAccumulator) -> EstimatorValues { EstimatorValues(tau, scale.eta, batch.auxiliary[0]) }
    /// ρ, λ, η or a critic are fitted from data.
    public var needsWarmUp: Bool { surrogate.learns || scale.adaptsTau || scale.adaptsEta || reward?.isLearned == true }
}

extension Relax {
    /// `relax`.
    public static let descriptor = EstimatorDescriptor(
        name: "relax", summary: "RELAX: REBAR's control variate plus a learned r_rho(s, z), c = eta f(sigma_lambda(z)) + r_rho, all trained on the estimator's variance; unbiased (Grathwohl et al. 2018)",
        claim: .unbiased, settings: Temperature.settings + ControlVariateScale.settings + [inputSetting] + Surrogate.settings + Critic.settings) { c, v in
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
        let scale = try ControlVariateScale(settings: v)
        let withoutF = !scale.adaptsEta && scale.eta == 0
        return Relax(scale: scale, reward: withoutF ? nil : RelaxedReward(context: c, settings: v),
                     surrogate: Surrogate(featureCount: c.features.count, actionCount: a, settings: v, using: &rng),
                     input: SurrogateInput(rawValue: v.text(inputSetting))!,
                     stateCount: c.environment.stateCount, horizon: c.environment.timeLimit)
    }
}
