/// The `vimco` / `rloo` baseline: K ≥ 2 episodes per context, and the baseline of episode j at
/// step t is the mean of the other K − 1 episodes' returns-to-go at step t (an episode that has
/// already ended counts as 0).
///
/// For an expectation objective this is VIMCO's leave-one-out learning signal (Mnih & Rezende,
/// "Variational Inference for Monte Carlo Objectives", ICML 2016), which Kool, van Hoof &
/// Welling call REINFORCE leave-one-out ("Buy 4 REINFORCE Samples, Get a Baseline for Free!",
/// ICLR 2019 workshop). It depends only on the other episodes, independent of episode j given
/// the shared start, so REINFORCE stays unbiased.
public struct LeaveOneOutBaseline: Baseline, Equatable {
    /// `samples`: the group size K (``GroupSize/setting``).
    public static var samplesSetting: Setting { GroupSize.setting }

    /// K.
    public let groupSize: Int

    /// Creates the baseline for K episodes per context.
    /// - Precondition: K ≥ 2.
    public init(samples k: Int) {
        precondition(k >= 2, "leave-one-out needs K >= 2")
        groupSize = k
    }

    /// (Σ_{i≠j} x_i) / (K − 1): the mean of the other K − 1 of the values x_0 … x_{K−1}, added in
    /// index order.
    /// - Precondition: K ≥ 2.
    /// - Complexity: O(K); allocates nothing.
    @inlinable
    public static func leaveOneOutMean(count k: Int, excluding j: Int, _ x: (Int) -> Double) -> Double {
        var sum = 0.0
        for i in 0..<k where i != j { sum += x(i) }
        return sum / Double(k - 1)
    }

    /// The leave-one-out mean of the episodes' G_t, an ended episode counting as 0.
    @inlinable public func value(in group: EpisodeGroup, episode j: Int, step t: Int) -> Double {
        Self.leaveOneOutMean(count: groupSize, excluding: j) { i in t < group.lengthAt(i) ? group.returnAt(i, t) : 0 }
    }

    /// Nothing to learn.
    public mutating func update(after batch: BatchAccumulator, table: PolicyTable) {}
    /// Nothing fitted.
    public var needsWarmUp: Bool { false }
    /// The returns-to-go it averages (none).
    public var statistics: BatchStatistics { [] }
}

extension LeaveOneOutBaseline {
    /// `vimco` (alias `rloo`): REINFORCE with the leave-one-out mean over K episodes per group.
    public static let descriptor = EstimatorDescriptor(
        name: "vimco", aliases: ["rloo"],
        summary: "REINFORCE, leave-one-out over K episodes per context: VIMCO's signal for an expectation (Mnih & Rezende 2016), RLOO (Kool et al. 2019)",
        isBaseline: true, claim: .unbiased, settings: [samplesSetting], groupSize: samplesSetting) { _, v in
        Reinforce(baseline: LeaveOneOutBaseline(samples: v.integer(samplesSetting)))
    }
}
