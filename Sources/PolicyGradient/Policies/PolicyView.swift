/// The policy of one batch as the rollout reads it: rows of ``PolicyTable``, as raw pointers
/// that threads share without touching a reference count. Valid only during the batch.
public struct PolicyView {
    @usableFromInline let logProbabilityBase: UnsafePointer<Double>
    @usableFromInline let probabilityBase: UnsafePointer<Double>
    @usableFromInline let cumulativeBase: UnsafePointer<Double>
    /// Number of actions A.
    public let actionCount: Int

    init(logProbabilities: UnsafePointer<Double>, probabilities: UnsafePointer<Double>,
         cumulative: UnsafePointer<Double>, actionCount: Int) {
        logProbabilityBase = logProbabilities
        probabilityBase = probabilities
        cumulativeBase = cumulative
        self.actionCount = actionCount
    }

    /// log π(·|s).
    @inlinable public func logProbabilities(_ s: Int) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(start: logProbabilityBase + s * actionCount, count: actionCount)
    }

    /// π(·|s).
    @inlinable public func probabilities(_ s: Int) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(start: probabilityBase + s * actionCount, count: actionCount)
    }

    /// Σ_{j≤k} π(j|s) for k < A (the last entry is exactly 1).
    @inlinable public func cumulative(_ s: Int) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(start: cumulativeBase + s * actionCount, count: actionCount)
    }
}
