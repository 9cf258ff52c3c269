/// Where an estimator adds a group's contribution: the chunk's per-state logit cotangents (see
/// ``BatchAccumulator``) and its auxiliary sums. The rollout gives each chunk its own, so no
/// other thread writes where an estimator writes. Every write checks its indices; nothing here
/// hands out a pointer.
///
/// A score-function term c ∇_logits log π(a|s) = c (e_a − π(·|s)) is added with
/// ``addScore(state:action:coefficient:)`` (π is applied once per state when the gradient is
/// formed); a pathwise term is added to the logits of a state directly
/// (``addLogit(state:action:_:)``, ``withLogitRow(_:_:)``).
public struct LogitCotangents {
    @usableFromInline let score: UnsafeMutablePointer<Double>
    @usableFromInline let scoreTotal: UnsafeMutablePointer<Double>
    /// The estimator's own sums (``GradientEstimator/auxiliaryCount(stateCount:actionCount:)`` values).
    @usableFromInline let auxiliary: UnsafeMutableBufferPointer<Double>
    /// Number of actions A.
    public let actionCount: Int
    /// Number of states S.
    public let stateCount: Int

    init(score: UnsafeMutablePointer<Double>, scoreTotal: UnsafeMutablePointer<Double>,
         auxiliary: UnsafeMutableBufferPointer<Double>, stateCount: Int, actionCount: Int) {
        self.score = score
        self.scoreTotal = scoreTotal
        self.auxiliary = auxiliary
        self.stateCount = stateCount
        self.actionCount = actionCount
    }

    @inlinable func check(_ s: Int, _ a: Int) {
        precondition(UInt(bitPattern: s) < UInt(stateCount) && UInt(bitPattern: a) < UInt(actionCount),
                     "state \(s) or action \(a) out of range")
    }

    /// Adds c · ∇_logits log π(a|s) = c (e_a − π(·|s)): a score-function term with coefficient c.
    /// - Complexity: O(1); allocates nothing.
    @inlinable public mutating func addScore(state s: Int, action a: Int, coefficient c: Double) {
        check(s, a)
        score[s &* actionCount &+ a] += c
        scoreTotal[s] += c
    }

    /// Adds `value` to the cotangent of logit a of state s directly (a pathwise term).
    /// - Complexity: O(1); allocates nothing.
    @inlinable public mutating func addLogit(state s: Int, action a: Int, _ value: Double) {
        check(s, a)
        score[s &* actionCount &+ a] += value
    }

    /// Calls `body` with the direct logit cotangents of state s (A values), to add a pathwise
    /// row into.
    @inlinable public mutating func withLogitRow<R>(_ s: Int, _ body: (inout MutableSpan<Double>) throws -> R) rethrows -> R {
        check(s, 0)
        var span = logitRow(s).mutableSpan
        return try body(&span)
    }

    /// The number of auxiliary sums.
    public var auxiliaryCount: Int { auxiliary.count }

    /// Adds `value` to auxiliary sum i.
    @inlinable public mutating func addAuxiliary(_ i: Int, _ value: Double) {
        precondition(UInt(bitPattern: i) < UInt(auxiliary.count), "auxiliary sum \(i) of \(auxiliary.count)")
        auxiliary[i] += value
    }

    /// Calls `body` with the auxiliary sums.
    @inlinable public mutating func withAuxiliary<R>(_ body: (inout MutableSpan<Double>) throws -> R) rethrows -> R {
        var span = auxiliary.mutableSpan
        return try body(&span)
    }

    // MARK: Unchecked access for the library's own loops

    /// ``addScore(state:action:coefficient:)`` without the range check.
    @inlinable func addScoreUnchecked(state s: Int, action a: Int, coefficient c: Double) {
        score[s &* actionCount &+ a] += c
        scoreTotal[s] += c
    }

    /// The direct logit cotangent row of state s, to add a pathwise term into.
    @inlinable func logitRow(_ s: Int) -> UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(start: score + s &* actionCount, count: actionCount)
    }
}
