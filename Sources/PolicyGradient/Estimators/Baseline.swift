/// A baseline b_t for REINFORCE, which ``Reinforce`` composes into "score × (return − baseline)".
///
/// A baseline sees the policy table before the batch (``prepare(table:)``), each recorded
/// group while the batch's gradient is formed (``value(in:episode:step:)`` or a whole learning
/// signal, ``advantage(in:episode:step:)``), the whole reduced batch once it is known
/// (``batchConstant(of:)``), and learns from the batch only afterwards (``update(after:table:)``).
/// REINFORCE stays unbiased as long as b_t depends neither on a_t nor on anything after it in
/// the same episode; a baseline that breaks this (a batch constant that includes the batch's own
/// returns, a group standard deviation) says so in its registration's claim.
public protocol Baseline: Sendable {
    // MARK: Before the batch

    /// Called once before each batch with the policy's table (per-state caches, a baseline
    /// computed from the policy and known dynamics).
    mutating func prepare(table: PolicyTable)
    /// K, episodes per group (leave-one-out and group baselines need K ≥ 2).
    var groupSize: Int { get }
    /// The value every step of the next batch gets, when that is one number (running averages,
    /// no baseline), else nil: lets ``Reinforce`` skip the per-step call.
    var batchValue: Double? { get }

    // MARK: During the batch

    /// b_t at step t of episode j of `group`. It must not depend on a_t of episode j or on
    /// anything after it in that episode.
    func value(in group: EpisodeGroup, episode j: Int, step t: Int) -> Double
    /// The learning signal that multiplies ∇ log π(a_t|s_t): G_t − b_t by default. A baseline
    /// that also rescales the signal (GRPO's division by the group's standard deviation)
    /// overrides it.
    func advantage(in group: EpisodeGroup, episode j: Int, step t: Int) -> Double

    // MARK: Once the batch is known

    /// A part of the baseline that is one number for the whole batch but is known only once the
    /// batch is collected (a running mean that includes the batch's own returns, a batch-wide
    /// mean); nil when there is none. Such a baseline depends on the actions it multiplies, so
    /// REINFORCE is then biased.
    func batchConstant(of batch: BatchAccumulator) -> Double?
    /// Whether ``batchConstant(of:)`` is ever non-nil (so REINFORCE records what it needs).
    var hasBatchConstant: Bool { get }
    /// A factor applied to the whole estimate in training (NVIL's variance normalisation); 1 by default.
    var scale: Double { get }
    /// Learns from a batch after its gradient was formed.
    mutating func update(after batch: BatchAccumulator, table: PolicyTable)

    // MARK: Reporting

    /// The number logged as `baseline` (nil: the field is not logged).
    var loggedValue: Double? { get }
    /// Whether the baseline is fitted from data (warm it up before measuring at a fixed policy).
    var needsWarmUp: Bool { get }
    /// The batch sums ``update(after:table:)`` and ``batchConstant(of:)`` read.
    var statistics: BatchStatistics { get }
}

extension Baseline {
    /// Nothing to prepare.
    public mutating func prepare(table: PolicyTable) {}
    /// One episode per group.
    public var groupSize: Int { 1 }
    /// Not known to be one number.
    public var batchValue: Double? { nil }
    /// G_t − b_t.
    @inlinable public func advantage(in group: EpisodeGroup, episode j: Int, step t: Int) -> Double {
        group.returnAt(j, t) - value(in: group, episode: j, step: t)
    }
    /// No batch constant.
    public func batchConstant(of batch: BatchAccumulator) -> Double? { nil }
    /// No batch constant.
    public var hasBatchConstant: Bool { false }
    /// No normalisation.
    public var scale: Double { 1 }
    /// Nothing to learn.
    public mutating func update(after batch: BatchAccumulator, table: PolicyTable) {}
    /// Nothing logged.
    public var loggedValue: Double? { nil }
    /// Fitted from data unless it says otherwise.
    public var needsWarmUp: Bool { true }
    /// Every sum.
    public var statistics: BatchStatistics { .all }
}
