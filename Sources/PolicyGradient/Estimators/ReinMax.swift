/// ReinMax (Liu, Zhao, Yang, Tao, Gao & Han, "Bridging Discrete and Backpropagation:
/// Straight-Through and Beyond", NeurIPS 2023): straight-through with a second-order
/// (trapezoidal, Heun's method) approximation of the gradient.
///
/// The action is sampled from π (by inversion, as REINFORCE and `st` draw it), the forward value
/// is f at the one-hot sample D = e_a, and with v = ∇_D f the backward pass is that of
/// π₂ = 2 π₁ − ½ π₀ (the paper's Algorithm 2), with π₀ = softmax(θ) = π(·|s) and
/// π₁ = ½ (D + softmax(θ/τ)) differentiated as a softmax at that value:
///
///     c = 2 π₁ ⊙ (v − ⟨π₁, v⟩) − ½ π₀ ⊙ (v − ⟨π₀, v⟩)        (``addBackward(action:probabilities:tempered:cotangent:scale:into:)``)
///
/// (each term is (∂softmax/∂θ)ᵀ v at its point; plain straight-through is the second term with
/// weight 1). Each step adds (γᵗ/N) c to the logits of s_t. τ is the paper's temperature (it
/// recommends τ ≥ 1; pg's default is 1).
///
/// Biased: the trapezoidal rule is exact when f is quadratic in the one-hot action at τ = 1
/// (then E[c] = ∇_θ E[f]; pg's tests check this on the toy), but not for other f or τ, and a
/// critic's f is an approximation. f is the environment's differentiable reward where it has
/// one (`toy`), otherwise a critic Q_w(s, ·) fitted to the returns (``RelaxedReward``), standing
/// for the return from s_t, as for `st-gumbel`. Logs `tau` and `surrogate`,
/// (1/N) Σ_i Σ_t γᵗ f(s_t, D_t).
public struct ReinMax: GradientEstimator {
    /// τ_k.
    public let temperature: Schedule
    /// f and ∇f.
    public private(set) var reward: RelaxedReward
    /// τ of the current batch.
    public private(set) var tau: Double

    /// ReinMax with a temperature schedule and a source of f.
    public init(temperature: Schedule, reward: RelaxedReward) {
        self.temperature = temperature
        self.reward = reward
        tau = temperature.initial
    }

    /// One sum: the surrogate.
    public func auxiliaryCount(stateCount: Int, actionCount: Int) -> Int { 1 }
    /// The one-hot sample, ∇f and softmax(θ/τ).
    public func makeScratch(actionCount: Int, featureCount: Int) -> VectorScratch {
        VectorScratch(count: actionCount, vectors: 3)
    }
    /// τ for update `iteration`.
    public mutating func prepare(iteration: Int, table: PolicyTable) { tau = temperature.value(at: iteration) }

    /// Adds (γᵗ/N) [2 π₁ ⊙ (v − ⟨π₁, v⟩) − ½ π ⊙ (v − ⟨π, v⟩)] per step.
    /// - Complexity: O(steps · A) plus one f evaluation per step; allocates nothing.
    public func accumulate(_ group: EpisodeGroup, scratch: inout VectorScratch, into out: inout LogitCotangents) {
        let z = scratch[0], v = scratch[1], tempered = scratch[2]
        for j in 0..<group.samples {
            var weight = group.weight
            for t in 0..<group.length(j) {
                let s = group.state(j, t), a = group.action(j, t)
                GumbelSoftmax.oneHot(a, into: z)
                out.auxiliary[0] += weight * reward.evaluate(state: s, rows: group.features, at: UnsafeBufferPointer(z), gradient: v)
                GumbelSoftmax.relax(perturbed: group.policy.logProbabilities(s), temperature: tau, into: tempered)
                Self.addBackward(action: a, probabilities: group.policy.probabilities(s), tempered: tempered,
                                 cotangent: UnsafeBufferPointer(v), scale: weight, into: out.logitRow(s))
                weight *= group.gamma
            }
        }
    }

    /// Adds `scale` · [2 π₁ ⊙ (v − ⟨π₁, v⟩) − ½ π₀ ⊙ (v − ⟨π₀, v⟩)] to `row`, with
    /// π₁ = ½ (e_a + `tempered`) formed in place (`tempered` = softmax(θ/τ) on entry).
    /// - Complexity: O(A); allocates nothing.
    static func addBackward(action a: Int, probabilities p: UnsafeBufferPointer<Double>,
                                   tempered: UnsafeMutableBufferPointer<Double>, cotangent v: UnsafeBufferPointer<Double>,
                                   scale: Double, into row: UnsafeMutableBufferPointer<Double>) {
        for k in tempered.indices { tempered[k] = 0.5 * (tempered[k] + (k == a ? 1 : 0)) }
        GumbelSoftmax.accumulateBackward(relaxed: UnsafeBufferPointer(tempered), cotangent: v, temperature: 1, scale: 2 * scale, into: row)
        GumbelSoftmax.accumulateBackward(relaxed: p, cotangent: v, temperature: 1, scale: -0.5 * scale, into: row)
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

extension ReinMax {
    /// `reinmax`.
    public static let descriptor = EstimatorDescriptor(
        name: "reinmax", summary: "ReinMax: second-order straight-through, f at the one-hot sample of pi (Liu et al. 2023)",
        claim: .biased(because: "the trapezoidal rule is exact only for f quadratic in the action at tau = 1; a critic's f is approximate"),
        settings: Temperature.settings + Critic.settings) { c, v in
        ReinMax(temperature: try Temperature.schedule(v), reward: RelaxedReward(context: c, settings: v))
    }
}
