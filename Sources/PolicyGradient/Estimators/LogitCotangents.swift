/// Where an estimator adds a group's contribution: the chunk's per-state logit cotangents
/// (see ``BatchAccumulator``) and its auxiliary sums. Writes go through raw pointers into the
/// chunk's own storage (no other thread writes there).
public struct LogitCotangents {
    @usableFromInline let score: UnsafeMutablePointer<Double>
    @usableFromInline let scoreTotal: UnsafeMutablePointer<Double>
    /// The estimator's own sums (``GradientEstimator/auxiliaryCount(stateCount:actionCount:)`` values).
    public let auxiliary: UnsafeMutableBufferPointer<Double>
    /// Number of actions A.
    public let actionCount: Int

    init(score: UnsafeMutablePointer<Double>, scoreTotal: UnsafeMutablePointer<Double>,
         auxiliary: UnsafeMutableBufferPointer<Double>, actionCount: Int) {
        self.score = score
        self.scoreTotal = scoreTotal
        self.auxiliary = auxiliary
        self.actionCount = actionCount
    }

    /// Adds c · ∇_logits log π(a|s) = c (e_a − π(·|s)): a score-function term with coefficient c.
    /// - Complexity: O(1); allocates nothing (π is applied once per state when the gradient is formed).
    @inlinable public func addScore(state s: Int, action a: Int, coefficient c: Double) {
        score[s * actionCount + a] += c
        scoreTotal[s] += c
    }

    /// The direct logit cotangent row of state s, to add a pathwise term into (for example
    /// with ``GumbelSoftmax/accumulateBackward(relaxed:cotangent:temperature:scale:into:)``).
    @inlinable public func logitRow(_ s: Int) -> UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(start: score + s * actionCount, count: actionCount)
    }
}
