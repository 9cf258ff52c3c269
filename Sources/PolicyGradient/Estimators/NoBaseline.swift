/// b = 0: plain REINFORCE (Williams 1992).
public struct NoBaseline: Baseline, Equatable {
    /// The baseline.
    public init() {}
    /// 0.
    @inlinable public func value(in group: EpisodeGroup, episode j: Int, step t: Int) -> Double { 0 }
    /// Nothing to learn.
    public mutating func update(after batch: BatchAccumulator, table: PolicyTable) {}
    /// Nothing fitted.
    public var needsWarmUp: Bool { false }
    /// The returns-to-go it averages (none).
    public var statistics: BatchStatistics { [] }
    /// 0 for every step.
    public var batchValue: Double? { 0 }
}

extension NoBaseline {
    /// `none` (alias `reinforce`): REINFORCE without a baseline.
    public static let descriptor = EstimatorDescriptor(
        name: "none", aliases: ["reinforce"], summary: "REINFORCE, no baseline (Williams 1992)", isBaseline: true,
        claim: .unbiased) { _, _ in Reinforce(baseline: NoBaseline()) }
}
