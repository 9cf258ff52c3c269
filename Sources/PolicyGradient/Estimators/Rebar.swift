/// REBAR (Tucker, Mnih, Maddison, Lawson & Sohl-Dickstein, "REBAR: Low-variance, unbiased
/// gradient estimates for discrete latent variable models", NeurIPS 2017), per step of an episode:
///
///     ĝ_t = γᵗ/N · { [G_t − η f(x̃)] ∇log π(b|s) + η ∇_θ f(x) − η ∇_θ f(x̃) },
///
/// with z = log π(·|s) + g the recorded Gumbel-max logits (b = argmax z the executed action),
/// x = σ_τ(z), z̃ ~ p(z | b) by the conditional Gumbel construction (``ConditionalGumbel``, noise
/// from ``EpisodeGroup/noise(episode:step:)``), x̃ = σ_τ(z̃), and the pathwise terms taken through
/// the logits with the noise fixed (``RelaxedControlVariate``). f(b) of the paper is the
/// return-to-go G_t; f on the simplex is the environment's differentiable reward or, where it
/// has none, a critic Q_w(s, ·) fitted to the returns after each batch (``RelaxedReward``).
/// Given s_t, the three η terms have expectation zero for any η, τ and any fixed f, so REBAR is
/// unbiased whatever the critic (it only changes the variance).
///
/// η and τ (``ControlVariateScale``): ĝ = A + ηB is affine in η. Each batch sums, per
/// episode, the tabular logit cotangents A_i and B_i (per-state rows summed over the episode,
/// ``EpisodeStateSums``; for a tabular policy these are its parameters) and forms
/// (1/N) Σ_i ⟨A_i, B_i⟩, (1/N) Σ_i ‖B_i‖², (1/N) Σ_i ‖A_i‖² and, when τ adapts, the variance
/// gradient in log τ, (1/N) Σ_i 2η ⟨ĝ_i, ∂B_i/∂log τ⟩. B depends on τ through ∇_θ f(σ_τ(z)) and
/// f(σ_τ(z̃)): where f has a Hessian–vector product (``TwiceDifferentiableReward``: the toy),
/// ∂B_i/∂log τ is exact (`RelaxedControlVariate.temperatureDerivative`);
/// a critic has none, and there it is the central difference (B_i(τe^h) − B_i(τe^{−h}))/2h with
/// h = ``ControlVariateScale/logTauStep``, at the same noise (common random numbers: the same z,
/// the same conditional draw). As published (the default), η and
/// log τ then take one Adam step down the variance; `eta_mode=moments` sets η to
/// −Σ⟨A, B⟩ / Σ‖B‖² from moments decaying by `eta_decay` per batch, `eta` fixes it, and
/// `tau_mode=schedule` keeps τ on its schedule. A batch never sets its own η or τ.
public struct Rebar: GradientEstimator {
    /// `eta` (``ControlVariateScale/etaSetting``).
    public static let etaSetting = ControlVariateScale.etaSetting
    /// `eta_decay` (``ControlVariateScale/etaDecaySetting``).
    public static let etaDecaySetting = ControlVariateScale.etaDecaySetting
    /// REBAR's own settings (shared with RELAX).
    public static let settings = ControlVariateScale.settings

    /// τ and η and how they adapt.
    public private(set) var scale: ControlVariateScale
    /// f and ∇f on the simplex.
    public private(set) var reward: RelaxedReward
    /// τ of the current batch.
    public var tau: Double { scale.tau }
    /// η of the current batch.
    public var eta: Double { scale.eta }
    /// Whether η is adapted (false: held at its initial value).
    public var adaptsEta: Bool { scale.adaptsEta }
    let stateCount: Int, horizon: Int
    /// Drops the term −η ∇f(x̃) (a deliberately biased estimator, for the tests).
    var omitsConditionalPathwise = false
    /// Takes ∂B/∂log τ by the central difference even where f has a Hessian (for the tests).
    var forcesTemperatureDifference = false

    /// REBAR with its coefficients' rules and a source of f.
    /// - Parameters:
    ///   - scale: τ, η and how they adapt.
    ///   - reward: f and ∇f on the simplex.
    ///   - stateCount: S.
    ///   - horizon: the time limit (the per-episode scratch holds min(S, horizon) states).
    public init(scale: ControlVariateScale, reward: RelaxedReward, stateCount: Int, horizon: Int) {
        self.scale = scale
        self.reward = reward
        self.stateCount = stateCount
        self.horizon = horizon
    }

    /// Gumbel-max, recording z.
    public var sampler: GumbelMaxSampler { GumbelMaxSampler() }
    /// (1/N) Σ ⟨A_i, B_i⟩, Σ ‖B_i‖², Σ ‖A_i‖² and the log τ variance gradient.
    public func auxiliaryCount(stateCount: Int, actionCount: Int) -> Int { 4 }

    /// A-vectors for x, ∇f(x), z̃, x̃, ∇f(x̃), a scratch, the pathwise row, two tangents and the
    /// τ-derivative's row; the episode's per-state A and B rows and ∂B/∂log τ (or B at τe^{±h}).
    public func makeScratch(actionCount: Int, featureCount: Int) -> ControlVariateScratch {
        ControlVariateScratch(actionCount: actionCount, vectors: 10, hiddenCount: 0,
                              sums: EpisodeStateSums(stateCount: stateCount, horizon: horizon, width: actionCount, vectors: 4))
    }

    /// τ for update `iteration`.
    public mutating func prepare(iteration: Int, table: PolicyTable) { scale.prepare(iteration: iteration) }

    /// Adds every step's ĝ_t and the group's per-episode moments of A and B.
    public func accumulate(_ group: EpisodeGroup, scratch: inout ControlVariateScratch, into out: inout LogitCotangents) {
        let sums = scratch.sums, shifted = scale.shiftedTemperatures, eta = scale.eta, exact = exactTemperatureDerivative
        for j in 0..<group.samples {
            sums.clear()
            var discount = 1.0
            for t in 0..<group.length(j) {
                accumulateStep(group, episode: j, step: t, discount: discount, scratch: scratch, into: &out)
                if scale.adaptsTau, exact {
                    addTemperatureDerivative(group, episode: j, step: t, discount: discount, scratch: scratch)
                } else if scale.adaptsTau {
                    addShiftedB(group, episode: j, step: t, discount: discount, temperature: shifted.up, vector: 2, scratch: scratch)
                    addShiftedB(group, episode: j, step: t, discount: discount, temperature: shifted.down, vector: 3, scratch: scratch)
                }
                discount *= group.gamma
            }
            out.auxiliary[0] += group.weight * sums.innerProduct(0, 1)
            out.auxiliary[1] += group.weight * sums.innerProduct(1, 1)
            out.auxiliary[2] += group.weight * sums.innerProduct(0, 0)
            guard scale.adaptsTau else { continue }
            // 2 ⟨A + ηB, η ∂B/∂log τ⟩, with ∂B/∂log τ exact (vector 2) or (B₊ − B₋)/2h (vectors 2, 3).
            let along = exact ? 2 * (sums.innerProduct(0, 2) + eta * sums.innerProduct(1, 2))
                : (sums.innerProduct(0, 2) - sums.innerProduct(0, 3) + eta * (sums.innerProduct(1, 2) - sums.innerProduct(1, 3)))
                    / ControlVariateScale.logTauStep
            out.auxiliary[3] += group.weight * eta * along
        }
    }

    /// Whether ∂B/∂log τ is exact (f has a Hessian–vector product) rather than a central difference.
    var exactTemperatureDerivative: Bool { reward.hasHessian && !forcesTemperatureDifference }

    /// Adds the step's exact ∂B/∂log τ row (weight γᵗ) into sums vector 2, right after
    /// ``accumulateStep(_:episode:step:discount:scratch:into:)`` left x, ∇f(x), z̃, x̃, ∇f(x̃) in the scratch.
    func addTemperatureDerivative(_ group: EpisodeGroup, episode j: Int, step t: Int, discount: Double, scratch: ControlVariateScratch) {
        let s = group.state(j, t), b = group.action(j, t), p = group.policy.probabilities(s), row = scratch[9]
        let fDot = RelaxedControlVariate.temperatureDerivative(
            reward: reward, state: s, perturbed: UnsafeBufferPointer(rebasing: group.recordRow(j, t)[0..<group.policy.actionCount]),
            relaxed: UnsafeBufferPointer(scratch[0]), cotangent: UnsafeBufferPointer(scratch[1]), conditional: UnsafeBufferPointer(scratch[2]),
            relaxedConditional: UnsafeBufferPointer(scratch[3]), conditionalCotangent: UnsafeBufferPointer(scratch[4]), probabilities: p,
            action: b, temperature: scale.tau, scratch: (scratch[5], scratch[7], scratch[8]), into: row)
        let part = scratch.sums.row(state: s, vector: 2)
        for k in 0..<group.policy.actionCount { part[k] += discount * (row[k] - fDot * ((k == b ? 1 : 0) - p[k])) }
    }

    /// The step's η-part at temperature τ: writes J_xᵀ∇f(x) − J̃ᵀ∇f(x̃) into scratch 6 and returns f(x̃).
    func relaxedTerms(_ group: EpisodeGroup, episode j: Int, step t: Int, temperature tau: Double, scratch: ControlVariateScratch) -> Double {
        let a = group.policy.actionCount, s = group.state(j, t), b = group.action(j, t)
        let x = scratch[0], v = scratch[1], zTilde = scratch[2], xTilde = scratch[3], vTilde = scratch[4]
        var rng = group.noise(episode: j, step: t)
        RelaxedControlVariate.relaxedPair(perturbed: UnsafeBufferPointer(rebasing: group.recordRow(j, t)[0..<a]),
                                          logits: group.policy.logProbabilities(s), action: b, temperature: tau,
                                          relaxed: x, conditional: zTilde, relaxedConditional: xTilde, using: &rng)
        _ = reward.evaluate(state: s, rows: group.features, at: UnsafeBufferPointer(x), gradient: v)
        let fTilde = reward.evaluate(state: s, rows: group.features, at: UnsafeBufferPointer(xTilde), gradient: vTilde)
        if omitsConditionalPathwise { for k in 0..<a { vTilde[k] = 0 } }
        RelaxedControlVariate.pathwise(relaxed: UnsafeBufferPointer(x), cotangent: UnsafeBufferPointer(v),
                                       conditional: UnsafeBufferPointer(zTilde), relaxedConditional: UnsafeBufferPointer(xTilde),
                                       conditionalCotangent: UnsafeBufferPointer(vTilde), probabilities: group.policy.probabilities(s),
                                       action: b, temperature: tau, scratch: scratch[5], into: scratch[6])
        return fTilde
    }

    /// One step: the score coefficient γᵗ/N (G_t − η f(x̃)), the pathwise row γᵗ/N · η (J_xᵀ∇f(x) − J̃ᵀ∇f(x̃)),
    /// and the step's A and B rows (weight γᵗ) into the episode's per-state sums.
    func accumulateStep(_ group: EpisodeGroup, episode j: Int, step t: Int, discount: Double,
                        scratch: ControlVariateScratch, into out: inout LogitCotangents) {
        let a = out.actionCount, s = group.state(j, t), b = group.action(j, t), g = group.returnToGo(j, t)
        let p = group.policy.probabilities(s), eta = scale.eta
        let fTilde = relaxedTerms(group, episode: j, step: t, temperature: scale.tau, scratch: scratch)
        let path = scratch[6], w = discount * group.weight
        out.addScore(state: s, action: b, coefficient: w * (g - eta * fTilde))
        let row = out.logitRow(s), slot = scratch.sums.slot(s)
        let partA = scratch.sums.row(slot: slot, vector: 0), partB = scratch.sums.row(slot: slot, vector: 1)
        for k in 0..<a {
            let score = (k == b ? 1 : 0) - p[k]
            row[k] += w * eta * path[k]
            partA[k] += discount * g * score
            partB[k] += discount * (path[k] - fTilde * score)
        }
    }

    /// Adds the step's B row at another temperature (same noise) into sums vector `vector`.
    func addShiftedB(_ group: EpisodeGroup, episode j: Int, step t: Int, discount: Double, temperature: Double, vector: Int,
                     scratch: ControlVariateScratch) {
        let s = group.state(j, t), b = group.action(j, t), p = group.policy.probabilities(s)
        let fTilde = relaxedTerms(group, episode: j, step: t, temperature: temperature, scratch: scratch)
        let path = scratch[6], part = scratch.sums.row(state: s, vector: vector)
        for k in 0..<group.policy.actionCount { part[k] += discount * (path[k] - fTilde * ((k == b ? 1 : 0) - p[k])) }
    }

    /// Refits the critic and moves τ and η as their modes say, with this batch's sums.
    public mutating func update(after batch: BatchAccumulator, table: PolicyTable) {
        reward.fit(after: batch, actionCount: table.actionCount)
        scale.update(cross: batch.auxiliary[0], square: batch.auxiliary[1], tauGradient: batch.auxiliary[3])
    }

    /// (1/N) Σ_i ‖ĝ_i‖² = Σ‖A‖² + 2η Σ⟨A, B⟩ + η² Σ‖B‖² (per N) of a batch at η.
    public static func squaredNorm(auxiliary: [Double], eta: Double) -> Double {
        auxiliary[2] + 2 * eta * auxiliary[0] + eta * eta * auxiliary[1]
    }

    /// `tau`, `eta` and `cv_loss`.
    public var logFields: [String] { ["tau", "eta", "cv_loss"] }
    /// τ, η and (1/N) Σ_i ‖ĝ_i‖² of the batch.
    public func logValues(of batch: BatchAccumulator) -> EstimatorValues {
        EstimatorValues(tau, eta, Self.squaredNorm(auxiliary: batch.auxiliary, eta: eta))
    }
    /// η, τ or a critic are fitted from data.
    public var needsWarmUp: Bool { adaptsEta || scale.adaptsTau || reward.isLearned }
}

/// The per-chunk scratch of ``Rebar`` and ``Relax``: A-vectors, the surrogate's hidden
/// activations and tangents, and the episode's per-state sums; allocated once per chunk.
public final class ControlVariateScratch: @unchecked Sendable {
    /// `vectors` A-vectors.
    public let vectors: VectorScratch
    /// Two vectors of the surrogate's hidden width (activations, tangents).
    public let hidden: VectorScratch
    /// The episode's per-state rows.
    public let sums: EpisodeStateSums

    /// Scratch of `vectors` A-vectors, two `hiddenCount`-vectors and `sums`.
    public init(actionCount: Int, vectors: Int, hiddenCount: Int, sums: EpisodeStateSums) {
        self.vectors = VectorScratch(count: actionCount, vectors: vectors)
        hidden = VectorScratch(count: max(hiddenCount, 1), vectors: 2)
        self.sums = sums
    }

    /// A-vector i.
    @usableFromInline subscript(_ i: Int) -> UnsafeMutableBufferPointer<Double> { vectors[i] }
}

extension Rebar {
    /// `rebar`.
    public static let descriptor = EstimatorDescriptor(
        name: "rebar", summary: "REBAR: REINFORCE with the concrete relaxation at conditional Gumbel noise as control variate, eta and tau adapted online on the estimator's variance; unbiased (Tucker et al. 2017)",
        claim: .unbiased, settings: Temperature.settings + settings + Critic.settings) { c, v in
        Rebar(scale: try ControlVariateScale(settings: v), reward: RelaxedReward(context: c, settings: v),
              stateCount: c.environment.stateCount, horizon: c.environment.timeLimit)
    }
}
