/// The policy of one batch as samplers and estimators read it: the rows of a ``PolicyTable``
/// (π(·|s), log π(·|s) and the running sums Σ_{j≤k} π(j|s)), shared by every thread of the batch
/// without touching a reference count. Valid only during the batch that lent it.
///
/// Entries are read one at a time (``probability(_:_:)``) or a row at a time as a `Span`
/// (``withProbabilities(_:_:)``); nothing here hands out a pointer.
public struct PolicyView {
    @usableFromInline let logProbabilityBase: UnsafePointer<Double>
    @usableFromInline let probabilityBase: UnsafePointer<Double>
    @usableFromInline let cumulativeBase: UnsafePointer<Double>
    /// Number of actions A.
    public let actionCount: Int
    /// Number of states S.
    public let stateCount: Int

    init(logProbabilities: UnsafePointer<Double>, probabilities: UnsafePointer<Double>,
         cumulative: UnsafePointer<Double>, stateCount: Int, actionCount: Int) {
        logProbabilityBase = logProbabilities
        probabilityBase = probabilities
        cumulativeBase = cumulative
        self.stateCount = stateCount
        self.actionCount = actionCount
    }

    /// π(a|s).
    /// - Precondition: `s` and `a` in range.
    /// - Complexity: O(1).
    @inlinable public func probability(_ s: Int, _ a: Int) -> Double {
        precondition(UInt(bitPattern: s) < UInt(stateCount) && UInt(bitPattern: a) < UInt(actionCount), "state or action out of range")
        return probabilityBase[s &* actionCount &+ a]
    }

    /// log π(a|s).
    /// - Precondition: `s` and `a` in range.
    /// - Complexity: O(1).
    @inlinable public func logProbability(_ s: Int, _ a: Int) -> Double {
        precondition(UInt(bitPattern: s) < UInt(stateCount) && UInt(bitPattern: a) < UInt(actionCount), "state or action out of range")
        return logProbabilityBase[s &* actionCount &+ a]
    }

    /// Σ_{j≤a} π(j|s) (exactly 1 for the last action).
    /// - Precondition: `s` and `a` in range.
    /// - Complexity: O(1).
    @inlinable public func cumulative(_ s: Int, _ a: Int) -> Double {
        precondition(UInt(bitPattern: s) < UInt(stateCount) && UInt(bitPattern: a) < UInt(actionCount), "state or action out of range")
        return cumulativeBase[s &* actionCount &+ a]
    }

    /// Calls `body` with π(·|s) (A values).
    /// - Precondition: `s` in range.
    @inlinable public func withProbabilities<R>(_ s: Int, _ body: (Span<Double>) throws -> R) rethrows -> R {
        precondition(UInt(bitPattern: s) < UInt(stateCount), "state out of range")
        return try body(probabilities(s).span)
    }

    /// Calls `body` with log π(·|s) (A values).
    /// - Precondition: `s` in range.
    @inlinable public func withLogProbabilities<R>(_ s: Int, _ body: (Span<Double>) throws -> R) rethrows -> R {
        precondition(UInt(bitPattern: s) < UInt(stateCount), "state out of range")
        return try body(logProbabilities(s).span)
    }

    /// log π(·|s), for the library's own loops.
    @inlinable func logProbabilities(_ s: Int) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(start: logProbabilityBase + s &* actionCount, count: actionCount)
    }

    /// π(·|s), for the library's own loops.
    @inlinable func probabilities(_ s: Int) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(start: probabilityBase + s &* actionCount, count: actionCount)
    }

    /// Σ_{j≤k} π(j|s) for k < A, for the library's own loops.
    @inlinable func cumulativeRow(_ s: Int) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(start: cumulativeBase + s &* actionCount, count: actionCount)
    }
}

extension PolicyTable {
    /// Calls `body` with a view of the table (valid during the call).
    /// - Complexity: O(1); allocates nothing.
    public func withView<R>(_ body: (PolicyView) throws -> R) rethrows -> R {
        try logProbabilities.withUnsafeBufferPointer { lp in
            try probabilities.withUnsafeBufferPointer { p in
                try cumulative.withUnsafeBufferPointer { c in
                    try body(PolicyView(logProbabilities: lp.baseAddress!, probabilities: p.baseAddress!,
                                        cumulative: c.baseAddress!, stateCount: stateCount, actionCount: actionCount))
                }
            }
        }
    }
}
