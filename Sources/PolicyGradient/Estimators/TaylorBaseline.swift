/// The first-order Taylor control variate that MuProp and DARN subtract from the return, as
/// small pure functions, and the per-step loop both estimators share.
///
/// With the action encoded one-hot, x = e_a, and f(s, x) differentiable in x (the environment's
/// reward where it has one, else a critic Q_w(s, x); see ``RelaxedReward``), the baseline
/// around a point x̄ of the simplex is the tangent plane of f there:
///
///     b(x) = f(x̄) + ∇f(x̄)ᵀ (x − x̄),   so at x = e_a:   b = f(x̄) + v_a − ⟨v, x̄⟩,   v = ∇f(x̄).
///
/// With x̄ and f held fixed, the score-function term of b has a closed-form mean,
///
///     E_a[b(e_a) ∇_logits log π(a)] = Σ_a π_a (c + v_a)(e_a − π) = π ⊙ (v − ⟨π, v⟩) = (∂π/∂logits)ᵀ v,
///
/// (c = f(x̄) − ⟨v, x̄⟩ drops out because E[e_a − π] = 0): MuProp adds it back, so that
/// (G − b) ∇log π + (∂π/∂logits)ᵀ v is unbiased for any fixed f; DARN leaves it out.
///
/// Gu, Levine, Sutskever & Mnih, "MuProp: Unbiased Backpropagation for Stochastic Neural
/// Networks", ICLR 2016 (eq. 4–6); Gregor, Danihelka, Mnih, Blundell & Wierstra, "Deep
/// AutoRegressive Networks", ICML 2014.
public enum TaylorBaseline {
    /// Where the tangent plane of f is taken.
    public enum ExpansionPoint: String, Sendable, CaseIterable {
        /// The mean-field point x̄ = μ̄ = π(·|s) (MuProp).
        case policy
        /// The centre of the simplex, x̄ = (1/A, …, 1/A) (DARN; for two actions it is the
        /// paper's x̄ = 1/2 for a Bernoulli unit).
        case centre
    }

    /// b(e_a) = f(x̄) + v_a − ⟨v, x̄⟩, the tangent plane of f at x̄ evaluated at the one-hot action.
    /// - Parameters:
    ///   - a: the action.
    ///   - f0: f(x̄).
    ///   - v: ∇f(x̄) (length A).
    ///   - x: x̄ (length A).
    /// - Returns: b(e_a).
    /// - Complexity: O(A); allocates nothing.
    @inlinable
    static func value(action a: Int, pointValue f0: Double, gradient v: UnsafeBufferPointer<Double>,
                             point x: UnsafeBufferPointer<Double>) -> Double {
        precondition(v.count == x.count && v.indices.contains(a), "TaylorBaseline.value: buffers of the wrong size")
        var dot = 0.0
        for k in x.indices { dot += v[k] * x[k] }
        return f0 + v[a] - dot
    }

    /// Adds `scale` · (∂π/∂logits)ᵀ v = scale · π ⊙ (v − ⟨π, v⟩) to `out`: MuProp's analytic
    /// correction ∇f(μ̄)ᵀ ∂μ̄/∂logits with μ̄ = π = softmax(logits), and also the straight-through
    /// backward pass (``StraightThrough``). It is the softmax vector–Jacobian product, the
    /// temperature-1 case of ``GumbelSoftmax/accumulateBackward(relaxed:cotangent:temperature:scale:into:)``.
    /// - Parameters:
    ///   - p: π(·|s).
    ///   - v: the cotangent on π (∇f at the expansion point, or at the one-hot sample).
    ///   - scale: the weight γᵗ/N of the step.
    ///   - out: the logit cotangent row of s; must not alias `p` or `v`.
    /// - Complexity: O(A); allocates nothing.
    @inlinable
    static func accumulateCorrection(probabilities p: UnsafeBufferPointer<Double>, gradient v: UnsafeBufferPointer<Double>,
                                            scale: Double, into out: UnsafeMutableBufferPointer<Double>) {
        GumbelSoftmax.accumulateBackward(relaxed: p, cotangent: v, temperature: 1, scale: scale, into: out)
    }

    /// A chunk's scratch: ∇f at the expansion point, and the centre of the simplex.
    /// - Complexity: O(A); allocates once per chunk.
    public static func makeScratch(actionCount: Int) -> VectorScratch {
        let s = VectorScratch(count: actionCount, vectors: 2)
        for k in 0..<actionCount { s[1][k] = 1 / Double(actionCount) }
        return s
    }

    /// Adds one group's cotangents: for every step, w (G_t − b_t) ∇log π(a_t|s_t), b_t the tangent
    /// plane of f(s_t, ·) at `point` evaluated at e_{a_t}, plus w (∂π/∂logits)ᵀ ∇f(s_t, x̄_t) when
    /// `corrected`; w = γᵗ/N. Auxiliary sums: [0] += w f(s_t, x̄_t), [1] += (G_t − b_t)².
    /// - Parameters:
    ///   - group: the episodes.
    ///   - reward: f and ∇f (fixed during the batch).
    ///   - point: x̄.
    ///   - corrected: whether the analytic correction is added (MuProp) or not (DARN).
    ///   - scratch: from ``makeScratch(actionCount:)``.
    ///   - out: the chunk's cotangents (at least 2 auxiliary sums).
    /// - Complexity: O(steps · A) plus one f evaluation per step; allocates nothing.
    @inlinable
    public static func accumulate(_ group: EpisodeGroup, reward: RelaxedReward, point: ExpansionPoint, corrected: Bool,
                                  scratch: VectorScratch, into out: inout LogitCotangents) {
        let v = scratch[0], centre = UnsafeBufferPointer(scratch[1])
        for j in 0..<group.samples {
            var weight = group.weight
            for t in 0..<group.length(j) {
                let s = group.state(j, t), a = group.action(j, t)
                let p = group.policy.probabilities(s)
                let x = point == .policy ? p : centre
                let f0 = reward.evaluate(state: s, rows: group.features, at: x, gradient: v)
                let residual = group.returnToGo(j, t) - value(action: a, pointValue: f0, gradient: UnsafeBufferPointer(v), point: x)
                out.addScore(state: s, action: a, coefficient: weight * residual)
                if corrected {
                    accumulateCorrection(probabilities: p, gradient: UnsafeBufferPointer(v), scale: weight, into: out.logitRow(s))
                }
                out.auxiliary[0] += weight * f0
                out.auxiliary[1] += residual * residual
                weight *= group.gamma
            }
        }
    }

    /// The logged values of a batch: the objective at the expansion points, (1/N) Σ_i Σ_t γᵗ f(s_t, x̄_t)
    /// (`surrogate`), and the root-mean-square residual √(Σ (G_t − b_t)² / steps) (`residual_rms`,
    /// to compare with the spread of the returns: the smaller, the more the control variate removed).
    public static func logValues(of batch: BatchAccumulator) -> EstimatorValues {
        EstimatorValues(batch.auxiliary[0], (batch.auxiliary[1] / Double(max(batch.steps, 1))).squareRoot())
    }
}
