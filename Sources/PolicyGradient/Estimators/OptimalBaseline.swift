/// The optimal constant baseline, computed exactly from known dynamics: at step t in state s,
///
/// b*_t(s) = E[G_t ‖∇log π(a|s)‖² | s_t = s] / E[‖∇log π(a|s)‖² | s]
///         = Σ_a π(a|s) n(a|s) Q_t(s, a) / Σ_a π(a|s) n(a|s),
///
/// n(a|s) = ‖e_a − π(·|s)‖² = 1 − 2π(a|s) + Σ_b π(b|s)², the squared norm of the score with
/// respect to the state's logits, and Q_t the action values with H − t steps left (the time limit
/// H makes them depend on t, so the baseline is per state *and* step; with one step it is one
/// number per state). The constant that minimises the variance of a step's term
/// ∇log π(a_t|s_t)(G_t − b) given its state (the trace over the state's logits) (Weaver & Tao,
/// "The Optimal Reward Baseline for Gradient-Based Reinforcement Learning", UAI 2001; Greensmith,
/// Bartlett & Baxter, "Variance Reduction Techniques for Gradient Estimates in Reinforcement
/// Learning", JMLR 2004): the variance floor of every constant baseline, as a reference row. It
/// ignores the covariance between steps, so in episodes it is optimal step by step, not for the
/// sum; for linear and MLP policies n is still the logit-space norm (exact for tabular policies).
///
/// b* depends on the policy and the dynamics only, never on the batch, so REINFORCE stays
/// unbiased. It is recomputed before every batch, one backward induction over (time, state).
public struct OptimalBaseline: Baseline {
    /// The transition table.
    public let model: TabularModel
    /// H, the time limit, and γ.
    public let horizon: Int, gamma: Double
    /// b*_t(s) of the last prepared policy, row-major H × S.
    public private(set) var values: [Double]

    /// The most H · S values it holds (10⁷).
    public static let maximumValues = 10_000_000

    /// The baseline for `model` over `horizon` steps with discount `gamma`.
    /// - Precondition: `horizon` ≥ 1 and H · S ≤ ``maximumValues``.
    public init(model: TabularModel, horizon: Int, gamma: Double) {
        precondition(horizon >= 1 && horizon * model.stateCount <= Self.maximumValues, "optimal baseline: 1 <= H, H * S <= 1e7")
        self.model = model
        self.horizon = horizon
        self.gamma = gamma
        values = [Double](repeating: 0, count: horizon * model.stateCount)
    }

    /// Σ_a π_a n_a q_a / Σ_a π_a n_a with n_a = 1 − 2π_a + Σ_b π_b² (Σ_a π_a q_a when the
    /// denominator is 0, a deterministic policy, whose score is 0 whatever the baseline).
    /// - Complexity: O(A); allocates nothing.
    public static func optimalConstant(probabilities p: Span<Double>, values q: Span<Double>) -> Double {
        precondition(p.count == q.count, "one value per action")
        var squares = 0.0
        for a in 0..<p.count { squares += p[a] * p[a] }
        var numerator = 0.0, denominator = 0.0, mean = 0.0
        for a in 0..<p.count {
            let w = p[a] * max(0, 1 - 2 * p[a] + squares)
            numerator += w * q[a]
            denominator += w
            mean += p[a] * q[a]
        }
        return denominator > 0 ? numerator / denominator : mean
    }

    /// b*_t(s) for every step and state of the table's policy, by backward induction:
    /// Q_t(s, a) = Σ_o p_o (r_o + γ (1 − terminated_o) V_{t+1}(next_o)), V_t(s) = Σ_a π(a|s) Q_t(s, a).
    /// - Complexity: O(H · Σ_{s,a} outcomes(s, a)); allocates three arrays of S or A values.
    public mutating func prepare(table: PolicyTable) {
        let s_ = model.stateCount, a_ = model.actionCount
        precondition(table.stateCount == s_ && table.actionCount == a_, "the table and the model disagree in size")
        var vNext = [Double](repeating: 0, count: s_), v = vNext, q = [Double](repeating: 0, count: a_)
        for t in stride(from: horizon - 1, through: 0, by: -1) {
            for s in 0..<s_ {
                var vs = 0.0
                for k in 0..<a_ {
                    q[k] = ExactGradient.actionValue(model: model, state: s, action: k, next: vNext, gamma: gamma)
                    vs += table.probabilities[s * a_ + k] * q[k]
                }
                v[s] = vs
                values[t * s_ + s] = table.probabilities.withUnsafeBufferPointer { p in
                    q.withUnsafeBufferPointer { qq in
                        Self.optimalConstant(probabilities: UnsafeBufferPointer(rebasing: p[(s * a_)..<((s + 1) * a_)]).span,
                                             values: qq.span)
                    }
                }
            }
            swap(&v, &vNext)
        }
    }

    /// b*_t(s_t).
    @inlinable public func value(in group: EpisodeGroup, episode j: Int, step t: Int) -> Double {
        values[t &* model.stateCount &+ group.stateAt(j, t)]
    }

    /// Not fitted from data.
    public var needsWarmUp: Bool { false }
    /// It reads no batch sums.
    public var statistics: BatchStatistics { [] }

    /// Why it cannot run on the context's environment (nil when it can).
    public static func incompatibility(_ c: EstimatorContext) -> String? {
        guard let m = c.model else {
            return "it needs known dynamics (an environment conforming to KnownDynamics: a transition table) to compute b* exactly"
        }
        let n = c.environment.timeLimit.multipliedReportingOverflow(by: m.stateCount)
        return n.overflow || n.partialValue > maximumValues
            ? "time limit x states = \(c.environment.timeLimit) x \(m.stateCount) is more than \(maximumValues) baseline values" : nil
    }
}

extension OptimalBaseline {
    /// `optimal`: REINFORCE with b*_t(s) computed from the dynamics.
    public static let descriptor = EstimatorDescriptor(
        name: "optimal",
        summary: "REINFORCE with the optimal constant baseline b*(s) = E[G |grad log pi|^2] / E[|grad log pi|^2] per state and step, "
            + "exact from known dynamics (Weaver & Tao 2001; Greensmith et al. 2004)",
        isBaseline: true, claim: .unbiased, incompatibility: { incompatibility($0) }) { c, _ in
        Reinforce(baseline: OptimalBaseline(model: c.model!, horizon: c.environment.timeLimit, gamma: c.gamma))
    }
}
