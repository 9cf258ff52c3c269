/// How often episodes at a fixed policy draw each state-action pair, and how much the draws of
/// each pair can contribute to the mean of a score-function estimate: what the zero-bias test
/// (``ZeroBiasTest``, through ``UnseenDrawBound``) needs to know which pairs a finite sample
/// leaves unrepresented. (The influence only names the most influential undersampled pair; the
/// bound itself comes from the reweighted process of ``UnseenDrawBound``.)
///
/// With d_t(s) the probability of being in s at step t with the episode still running, and
/// Q_t, V_t the values with H − t steps left (as in ``ExactGradient``):
/// * ``drawsPerEpisode``: n(s,a) = Σ_t d_t(s) π(a|s), the expected number of times one episode
///   takes a in s;
/// * ``valueRange``: [V_min, V_max], the least and largest V_t(s) over the (t, s) with
///   d_t(s) > 0;
/// * the influence c(s,a) = Σ_t γᵗ d_t(s) π(a|s) |Q_t(s,a) − b|max, a bound on
///   |E[Σ_t 1{s_t = s, a_t = a} γᵗ (G_t − b_t)]|, the part of one episode's score coefficient
///   E ĝ owes to the draws of (s, a): with |Q_t(s,a)| for REINFORCE without a baseline
///   (``influenceWithoutBaseline``), and with max(|Q_t(s,a) − V_min|, |Q_t(s,a) − V_max|) for a
///   baseline that tracks the values (``influenceWithBaseline``: `ema`, `nvil`, `vimco`, whose
///   b_t is an average of returns or a fit to them).
///
/// A sample of E episodes holds about E·n(s,a) draws of (s, a). Where that is a handful, the
/// sample mean of an unbiased estimator can be far from its expectation in the direction of
/// those draws while its sample variance does not show it (an action never drawn leaves no
/// trace), which is why per-coordinate z-scores raise false alarms at near-deterministic policies.
public struct DrawCoverage: Sendable, Equatable {
    /// S.
    public let stateCount: Int
    /// A.
    public let actionCount: Int
    /// π(a|s), row-major S × A.
    public let probabilities: [Double]
    /// n(s,a), row-major S × A.
    public let drawsPerEpisode: [Double]
    /// c(s,a) for b = 0, row-major S × A.
    public let influenceWithoutBaseline: [Double]
    /// c(s,a) for b in [V_min, V_max], row-major S × A.
    public let influenceWithBaseline: [Double]
    /// [V_min, V_max] (0...0 when no state is reachable).
    public let valueRange: ClosedRange<Double>

    /// Which baseline an estimator's score terms subtract, for the bound on what undersampled pairs carry.
    public enum BaselineRange: Sendable {
        /// None (b = 0): REINFORCE without a baseline.
        case zero
        /// One in [V_min, V_max]: an average of returns or a fit to them.
        case values
    }

    /// c(s,a) for `baseline`.
    public func influence(_ baseline: BaselineRange) -> [Double] {
        baseline == .zero ? influenceWithoutBaseline : influenceWithBaseline
    }

    /// The coverage of `table`'s policy on `model` over `horizon` steps with discount `gamma`.
    /// - Complexity: two passes of O(H · Σ_{s,a} outcomes(s,a)) time, O(H · S) memory (the occupancy).
    public init(model: TabularModel, table: PolicyTable, horizon: Int, gamma: Double) {
        let S = model.stateCount, A = model.actionCount
        precondition(table.stateCount == S && table.actionCount == A, "the policy table and the model disagree in size")
        let d = ExactGradient.occupancy(table: table, model: model, horizon: horizon)
        var low = Double.infinity, high = -Double.infinity
        Self.backward(model: model, table: table, occupancy: d, horizon: horizon, gamma: gamma) { _, _, _, _, v, _ in
            low = min(low, v)
            high = max(high, v)
        }
        if low > high { (low, high) = (0, 0) }
        var draws = [Double](repeating: 0, count: S * A), zero = draws, tracking = draws
        Self.backward(model: model, table: table, occupancy: d, horizon: horizon, gamma: gamma) { s, k, n, q, _, discount in
            draws[s * A + k] += n
            zero[s * A + k] += discount * n * abs(q)
            tracking[s * A + k] += discount * n * max(abs(q - low), abs(q - high))
        }
        stateCount = S
        actionCount = A
        probabilities = table.probabilities
        drawsPerEpisode = draws
        valueRange = low...high
        influenceWithoutBaseline = zero
        influenceWithBaseline = tracking
    }

    /// Backward induction over t = H − 1 … 0; for every reachable (t, s) and action k calls
    /// `visit(s, k, d_t(s) π(k|s), Q_t(s,k), V_t(s), γᵗ)`.
    static func backward(model: TabularModel, table: PolicyTable, occupancy d: [Double], horizon: Int, gamma: Double,
                         visit: (Int, Int, Double, Double, Double, Double) -> Void) {
        let S = model.stateCount, A = model.actionCount, p = table.probabilities
        var vNext = [Double](repeating: 0, count: S), v = vNext, q = [Double](repeating: 0, count: A)
        var discount = [Double](repeating: 1, count: max(horizon, 1))
        for t in stride(from: 1, to: horizon, by: 1) { discount[t] = discount[t - 1] * gamma }
        for t in stride(from: horizon - 1, through: 0, by: -1) {
            for s in 0..<S {
                var vs = 0.0
                for k in 0..<A {
                    q[k] = ExactGradient.actionValue(model: model, state: s, action: k, next: vNext, gamma: gamma)
                    vs += p[s * A + k] * q[k]
                }
                v[s] = vs
                let mass = d[t * S + s]
                guard mass > 0 else { continue }
                for k in 0..<A { visit(s, k, mass * p[s * A + k], q[k], vs, discount[t]) }
            }
            swap(&v, &vNext)
        }
    }
}
