import PolicyGradient

/// A baseline of the user's own, the README's worked example: b(s), the mean return-to-go
/// seen from state s in all earlier batches (0 until s has been visited). It reads nothing of
/// the batch it centres, so REINFORCE with it stays unbiased — `pg variance` checks that.
public struct StateMeanBaseline: Baseline {
    /// Σ G_t and the number of steps, per state, over earlier batches.
    var sums: [Double], counts: [Double]

    /// An empty baseline for `stateCount` states.
    public init(stateCount: Int) {
        sums = [Double](repeating: 0, count: stateCount)
        counts = sums
    }

    /// b(s_t) for step t of episode j.
    public func value(in group: EpisodeGroup, episode j: Int, step t: Int) -> Double {
        let s = group.state(j, t)
        return counts[s] > 0 ? sums[s] / counts[s] : 0
    }

    /// Adds the batch's returns-to-go and visits, per state.
    public mutating func update(after batch: BatchAccumulator, table: PolicyTable) {
        let a = batch.visits.count / sums.count
        for i in batch.visits.indices {
            sums[i / a] += batch.returnSum[i]
            counts[i / a] += batch.visits[i]
        }
    }

    /// The sums ``update(after:table:)`` reads.
    public var statistics: BatchStatistics { [.visits, .returnSums] }

    /// `state-mean` for `pg train --estimator`, `pg compare --estimators` and `pg variance`.
    public static let descriptor = EstimatorDescriptor(
        name: "state-mean", summary: "REINFORCE, per-state mean of past returns as baseline (worked example)",
        isBaseline: true, claim: .unbiased) { context, _ in Reinforce(baseline: StateMeanBaseline(stateCount: context.environment.stateCount)) }
}
