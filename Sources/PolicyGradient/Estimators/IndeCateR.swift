/// IndeCateR (De Smet, Sansone & Zuidberg Dos Martires, "Differentiable Sampling of
/// Categorical Distributions Using the CatLog-Derivative Trick", NeurIPS 2023): per variable,
/// the exact sum over its categories with the other variables at sampled values.
///
/// For independent categorical variables X_1 … X_D the paper's estimator is
/// ĝ = Σ_d Σ_δ ∇p_d(δ) f(δ, x_{≠d}), one f evaluation per category of every variable, x the
/// sample. In a one-step problem (one variable, the action) that is the exact sum
///
///     ĝ = Σ_a ∇π(a) f(a) = Σ_a π(a) f(a) ∇log π(a),   on the logits: c_k = π_k (f_k − Σ_a π_a f_a),
///
/// ∇J itself when f is deterministic. (pg computes it from the A continuations of the sampled
/// step, so a one-step sample costs A + 1 evaluations of f: the sampled episode's own is unused.)
///
/// **In episodes** the actions are not independent variables: a_{t+1} is drawn in the state
/// a_t led to. The per-variable sum then keeps the earlier variables at their sampled values and
/// must take the later ones from their distribution given the alternative category (the policy
/// gradient theorem), ∇J = Σ_t E[γᵗ Σ_a ∇π(a|s_t) Q(s_t, a)], which is what pg computes, as the
/// sequential form of IndeCateR: at every visited step t of the recorded episode, every action
/// a is taken again from the environment as it was before step t (``Branching``,
/// `steps: .all`) and continued by the policy (`continuation: .policy`), M times, and
/// Q̂(s_t, a) is the mean of their discounted returns; the step adds
///
///     (γᵗ/N) Σ_a ∇π(a|s_t) Q̂(s_t, a),   on the logits of s_t: (γᵗ/N) π_k (Q̂_k − Σ_a π_a Q̂_a).
///
/// Unbiased, since each Q̂(s_t, a) is an unbiased estimate of Q(s_t, a) drawn independently of
/// how s_t was reached. IndeCateR's literal "others held at their sampled values" — continuing
/// with the recorded later actions (`continuation: .recordedActions`) — is unbiased only when
/// the later actions do not depend on the state (independent variables, a state-free policy);
/// with a tabular policy in an MDP it takes actions drawn in other states and is biased (pg's
/// tests show it on a two-step fork). The library keeps it as an option of this type
/// (``init(continuation:continuations:)``) for that comparison; the registered `indecater` is
/// the unbiased form.
///
/// The cost is counted by the rollout and logged with every update (``IterationRecord``):
/// `branch_episodes` (A · M per visited step) and `branch_steps`, their environment steps —
/// the f evaluations of an equal-cost comparison.
public struct IndeCateR: GradientEstimator {
    /// What follows the alternative first action.
    public let continuation: Branching.Continuation
    /// M, continuations per (step, action).
    public let continuations: Int

    /// The estimator with M = `continuations` continuations per (step, action).
    /// - Precondition: M ≥ 1.
    public init(continuation: Branching.Continuation = .policy, continuations: Int = 1) {
        precondition(continuations >= 1, "IndeCateR needs at least one continuation per action")
        self.continuation = continuation
        self.continuations = continuations
    }

    /// Every action at every visited step, M times.
    public var branching: Branching? { Branching(steps: .all, continuation: continuation, samples: continuations) }
    /// No batch sums.
    public var statistics: BatchStatistics { [] }
    /// Q̂(s_t, ·).
    public func makeScratch(actionCount: Int, featureCount: Int) -> VectorScratch {
        VectorScratch(count: actionCount, vectors: 1)
    }

    /// Adds (γᵗ/N) π_k (Q̂_k − Σ_a π_a Q̂_a) to logit k of s_t for every visited step.
    /// - Complexity: O(steps · A · M); allocates nothing.
    public func accumulate(_ group: EpisodeGroup, scratch: inout VectorScratch, into out: inout LogitCotangents) {
        let q = scratch[0], a = out.actionCount, m = Double(continuations)
        for j in 0..<group.samples {
            var weight = group.weight
            for t in 0..<group.length(j) {
                let s = group.state(j, t)
                for k in 0..<a {
                    var sum = 0.0
                    for i in 0..<continuations { sum += group.branchReturn(j, step: t, action: k, sample: i) }
                    q[k] = sum / m
                }
                Self.addExactSum(values: UnsafeBufferPointer(q), probabilities: group.policy.probabilities(s), scale: weight,
                                 into: out.logitRow(s))
                weight *= group.gamma
            }
        }
    }

    /// Adds `scale` · Σ_a ∇_logits π(a) q_a = `scale` · π_k (q_k − Σ_a π_a q_a) to `row`.
    /// - Complexity: O(A); allocates nothing.
    static func addExactSum(values q: UnsafeBufferPointer<Double>, probabilities p: UnsafeBufferPointer<Double>,
                                   scale: Double, into row: UnsafeMutableBufferPointer<Double>) {
        var mean = 0.0
        for k in p.indices { mean += p[k] * q[k] }
        for k in p.indices { row[k] += scale * p[k] * (q[k] - mean) }
    }
}

extension IndeCateR {
    /// `continuations`: M, continuations per visited step and action (default 1).
    public static let continuationsSetting = Setting(key: "continuations", integer: 1, placeholder: "M",
                                                     help: "indecater's continuations per visited step and action") {
        (1...10_000).contains($0) ? nil : "must be in 1...10000"
    }

    /// `indecater`.
    public static let descriptor = EstimatorDescriptor(
        name: "indecater",
        summary: "IndeCateR: every action at every visited step, Q by branching (De Smet et al. 2023); exact in one-step problems",
        claim: .unbiased, settings: [continuationsSetting]) { _, v in
        IndeCateR(continuations: v.integer(continuationsSetting))
    }
}
