/// Per-state sufficient statistics of a batch (or of one chunk of it), reduced in a fixed order.
///
/// Because every environment's features are a function of its state index, the gradient of a
/// batch can be aggregated per state: the REINFORCE part is Σ_s Jᵀ_s (M[s,·] − π(·|s) T[s]) with
/// M[s,a] = Σ coefficients of (s, a) and T[s] = Σ coefficients in s, so a step costs O(1)
/// whatever the policy, and the policy is back-propagated once per visited state per batch.
public struct BatchAccumulator: Sendable {
    /// M[s,a]: summed score-function coefficients (REINFORCE: γᵗ(G_t − b_t)/N) plus direct
    /// logit cotangents (pathwise estimators), row-major S × A.
    public var score: [Double]
    /// T[s]: summed REINFORCE coefficients per state.
    public var scoreTotal: [Double]
    /// n[s,a]: number of steps that took a in s.
    public var visits: [Double]
    /// Σ G_t over the steps that took a in s.
    public var returnSum: [Double]
    /// Σ G_t² over the steps in s.
    public var returnSquareSum: [Double]
    /// Number of episodes.
    public var episodes = 0
    /// Σ of episode returns G_0 and of their squares.
    public var episodeReturnSum = 0.0, episodeReturnSquareSum = 0.0
    /// Number of steps, terminated and truncated episodes, and first actions that were optimal
    /// (one-step, one-state environments with known dynamics).
    public var steps = 0, terminated = 0, truncated = 0, optimalActions = 0
    /// The continuations run for ``GradientEstimator/branching`` and their environment steps
    /// (0 when the estimator asks for none): the cost of an update beyond its N episodes.
    public var branchEpisodes = 0, branchSteps = 0
    /// The estimator's own sums (``GradientEstimator/auxiliaryCount(stateCount:actionCount:)``).
    public var auxiliary: [Double]

    /// Zeroed statistics for `stateCount × actionCount` with `auxiliaryCount` auxiliary sums.
    public init(stateCount: Int, actionCount: Int, auxiliaryCount: Int = 0) {
        auxiliary = [Double](repeating: 0, count: auxiliaryCount)
        // An empty array shares the runtime's empty buffer, so every mutable access would copy
        // it; a buffer of its own keeps the per-update `withPointers` free.
        auxiliary.reserveCapacity(1)
        score = [Double](repeating: 0, count: stateCount * actionCount)
        scoreTotal = [Double](repeating: 0, count: stateCount)
        visits = score
        returnSum = score
        returnSquareSum = scoreTotal
    }


    /// Steps per state, n_s = Σ_a n[s,a].
    public func stateVisits(actionCount a: Int) -> [Double] {
        scoreTotal.indices.map { s in (0..<a).reduce(0) { $0 + visits[s * a + $1] } }
    }

    /// Σ G_t per state.
    public func stateReturnSums(actionCount a: Int) -> [Double] {
        scoreTotal.indices.map { s in (0..<a).reduce(0) { $0 + returnSum[s * a + $1] } }
    }
}
