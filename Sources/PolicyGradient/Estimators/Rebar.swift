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
/// η: ĝ = A + ηB is affine in η, and the trace variance Var(A) + 2η Cov(A, B) + η² Var(B) is
/// least at η* = −Cov(A, B)/Var(B). Because E[B] = 0, Cov(A, B) = E⟨A, B⟩ and Var(B) = E‖B‖².
/// Each batch adds the per-episode moments (1/N) Σ_i ⟨A_i, B_i⟩ and (1/N) Σ_i ‖B_i‖² of the
/// tabular logit cotangents (per-state rows summed over the episode, ``EpisodeStateSums``; for
/// a tabular policy these are its parameters) to running sums that decay by `eta_decay`
/// per batch, and the next batch uses η = −Σ⟨A, B⟩ / Σ‖B‖²: a batch never sets its own η, so
/// η is independent of the draws it multiplies. The temperature is not adapted: τ follows
/// the `tau` schedule (constant by default).
public struct Rebar: GradientEstimator {
    /// `eta`: a fixed η (default: adapted online, starting from 1).
    public static let etaSetting = Setting(key: "eta", number: nil, defaultText: "adapted online, from 1", placeholder: "E",
                                           help: "rebar's control-variate scale eta (given: held fixed)")
    /// `eta_decay`: decay per batch of the running moments that set η (default 0.99).
    public static let etaDecaySetting = Setting(key: "eta_decay", number: 0.99, placeholder: "B",
                                                help: "decay per batch of the moments that set rebar's eta (0: the last batch only)") {
        $0 >= 0 && $0 < 1 ? nil : "must be in [0, 1)"
    }
    /// REBAR's own settings.
    public static let settings = [etaSetting, etaDecaySetting]

    /// τ_k.
    public let temperature: Schedule
    /// f and ∇f on the simplex.
    public private(set) var reward: RelaxedReward
    /// τ of the current batch.
    public private(set) var tau: Double
    /// η of the current batch.
    public private(set) var eta: Double
    /// Whether η is adapted (false: held at its initial value).
    public let adaptsEta: Bool
    /// Decay per batch of the running moments.
    public let momentDecay: Double
    /// The running Σ ⟨A, B⟩ and Σ ‖B‖² (decayed) of the batches so far.
    public private(set) var crossMoment = 0.0, squareMoment = 0.0
    let stateCount: Int, horizon: Int
    /// Drops the term −η ∇f(x̃) (a deliberately biased estimator, for the tests).
    var omitsConditionalPathwise = false

    /// REBAR with a temperature schedule, a source of f, and η fixed (`eta` given) or adapted.
    /// - Parameters:
    ///   - temperature: τ_k.
    ///   - reward: f and ∇f on the simplex.
    ///   - eta: a fixed η, or nil to adapt it (starting from 1).
    ///   - momentDecay: the running moments' decay per batch, in [0, 1).
    ///   - stateCount: S.
    ///   - horizon: the time limit (the per-episode scratch holds min(S, horizon) states).
    public init(temperature: Schedule, reward: RelaxedReward, eta: Double?, momentDecay: Double, stateCount: Int, horizon: Int) {
        self.temperature = temperature
        self.reward = reward
        tau = temperature.initial
        self.eta = eta ?? 1
        adaptsEta = eta == nil
        self.momentDecay = momentDecay
        self.stateCount = stateCount
        self.horizon = horizon
    }

    /// Gumbel-max, recording z.
    public var sampler: GumbelMaxSampler { GumbelMaxSampler() }
    /// Σ ⟨A_i, B_i⟩/N and Σ ‖B_i‖²/N.
    public func auxiliaryCount(stateCount: Int, actionCount: Int) -> Int { 2 }

    /// A-vectors for x, ∇f(x), z̃, x̃, ∇f(x̃), a scratch and the pathwise row; the episode's
    /// per-state A and B rows.
    public func makeScratch(actionCount: Int, featureCount: Int) -> ControlVariateScratch {
        ControlVariateScratch(actionCount: actionCount, vectors: 7, hiddenCount: 0,
                              sums: EpisodeStateSums(stateCount: stateCount, horizon: horizon, width: actionCount, vectors: 2))
    }

    /// τ for update `iteration`.
    public mutating func prepare(iteration: Int, table: PolicyTable) { tau = temperature.value(at: iteration) }

    /// Adds every step's ĝ_t and the group's per-episode moments of A and B.
    public func accumulate(_ group: EpisodeGroup, scratch: inout ControlVariateScratch, into out: inout LogitCotangents) {
        let sums = scratch.sums
        for j in 0..<group.samples {
            sums.clear()
            var discount = 1.0
            for t in 0..<group.length(j) {
                accumulateStep(group, episode: j, step: t, discount: discount, scratch: scratch, into: &out)
                discount *= group.gamma
            }
            out.auxiliary[0] += group.weight * sums.innerProduct(0, 1)
            out.auxiliary[1] += group.weight * sums.innerProduct(1, 1)
        }
    }

    /// One step: the score coefficient γᵗ/N (G_t − η f(x̃)), the pathwise row γᵗ/N · η (J_xᵀ∇f(x) − J̃ᵀ∇f(x̃)),
    /// and the step's A and B rows (weight γᵗ) into the episode's per-state sums.
    func accumulateStep(_ group: EpisodeGroup, episode j: Int, step t: Int, discount: Double,
                        scratch: ControlVariateScratch, into out: inout LogitCotangents) {
        let a = out.actionCount, s = group.state(j, t), b = group.action(j, t), g = group.returnToGo(j, t)
        let x = scratch[0], v = scratch[1], zTilde = scratch[2], xTilde = scratch[3], vTilde = scratch[4]
        let work = scratch[5], path = scratch[6], p = group.policy.probabilities(s)
        var rng = group.noise(episode: j, step: t)
        RelaxedControlVariate.relaxedPair(perturbed: UnsafeBufferPointer(rebasing: group.recordRow(j, t)[0..<a]),
                                          logits: group.policy.logProbabilities(s), action: b, temperature: tau,
                                          relaxed: x, conditional: zTilde, relaxedConditional: xTilde, using: &rng)
        _ = reward.evaluate(state: s, rows: group.features, at: UnsafeBufferPointer(x), gradient: v)
        let fTilde = reward.evaluate(state: s, rows: group.features, at: UnsafeBufferPointer(xTilde), gradient: vTilde)
        if omitsConditionalPathwise { for k in 0..<a { vTilde[k] = 0 } }
        RelaxedControlVariate.pathwise(relaxed: UnsafeBufferPointer(x), cotangent: UnsafeBufferPointer(v),
                                       conditional: UnsafeBufferPointer(zTilde), relaxedConditional: UnsafeBufferPointer(xTilde),
                                       conditionalCotangent: UnsafeBufferPointer(vTilde), probabilities: p, action: b,
                                       temperature: tau, scratch: work, into: path)
        let w = discount * group.weight
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

    /// Refits the critic and, when adapting, moves η to −Σ⟨A, B⟩ / Σ‖B‖² with this batch's moments.
    public mutating func update(after batch: BatchAccumulator, table: PolicyTable) {
        reward.fit(after: batch, actionCount: table.actionCount)
        guard adaptsEta else { return }
        crossMoment = momentDecay * crossMoment + batch.auxiliary[0]
        squareMoment = momentDecay * squareMoment + batch.auxiliary[1]
        if let next = Self.optimalScale(cross: crossMoment, square: squareMoment) { eta = next }
    }

    /// η* = −cross/square, the minimiser of Var(A + ηB) from E⟨A, B⟩ and E‖B‖² (nil when
    /// the square moment is 0 or either is not finite).
    /// - Complexity: O(1).
    public static func optimalScale(cross: Double, square: Double) -> Double? {
        guard square > 0, square.isFinite, cross.isFinite else { return nil }
        return -cross / square
    }

    /// `tau` and `eta`.
    public var logFields: [String] { ["tau", "eta"] }
    /// τ and η of the batch.
    public func logValues(of batch: BatchAccumulator) -> EstimatorValues { EstimatorValues(tau, eta) }
    /// η and a critic are fitted from data.
    public var needsWarmUp: Bool { adaptsEta || reward.isLearned }
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
        name: "rebar", summary: "REBAR: REINFORCE with the concrete relaxation at conditional Gumbel noise as control variate, eta set online to minimise the variance; unbiased (Tucker et al. 2017)",
        claim: .unbiased, settings: Temperature.settings + settings + Critic.settings) { c, v in
        Rebar(temperature: try Temperature.schedule(v), reward: RelaxedReward(context: c, settings: v),
              eta: v.optionalNumber(etaSetting), momentDecay: v.number(etaDecaySetting),
              stateCount: c.environment.stateCount, horizon: c.environment.timeLimit)
    }
}
