/// The score-function (REINFORCE) estimator's arithmetic, as small pure functions.
///
/// Williams, "Simple Statistical Gradient-Following Algorithms for Connectionist
/// Reinforcement Learning", Machine Learning 8, 1992:
/// ĝ = (1/N) Σ_i Σ_t γᵗ ∇_φ log π(a_t|s_t) (G_t − b_t), unbiased for ∇J whenever b_t does not
/// depend on a_t or anything after it in the same episode.
public enum ScoreFunction {
    /// The coefficient of ∇ log π(a_t|s_t) at one step: w (G_t − b_t), with w = γᵗ/N.
    /// - Parameters:
    ///   - returnToGo: G_t.
    ///   - baseline: b_t.
    ///   - weight: γᵗ/N.
    /// - Complexity: O(1).
    @inlinable
    public static func coefficient(returnToGo g: Double, baseline b: Double, weight w: Double) -> Double {
        w * (g - b)
    }

    /// The logit cotangent of a score term: c ∇_logits log π(a|·) = c (e_a − π), written into `out`.
    /// - Parameters:
    ///   - action: a.
    ///   - coefficient: c.
    ///   - probabilities: π(·|s).
    ///   - out: receives the cotangent (same length as `probabilities`).
    /// - Complexity: O(A); allocates nothing.
    @inlinable
    public static func logitCotangent(action a: Int, coefficient c: Double, probabilities p: UnsafeBufferPointer<Double>,
                                      into out: UnsafeMutableBufferPointer<Double>) {
        for k in p.indices { out[k] = c * ((k == a ? 1 : 0) - p[k]) }
    }
}

/// A baseline b_t for REINFORCE: ``value(in:episode:step:)`` while a batch's gradient is formed,
/// ``update(after:)`` only afterwards, so b never depends on the actions it multiplies (unless
/// the baseline says otherwise with ``batchConstant(of:)``).
///
/// ``Reinforce`` composes REINFORCE from a baseline: "score × (return − baseline)".
public protocol Baseline: Sendable {
    /// b_t at step t of episode j of `group`. It must not depend on a_t of episode j or on
    /// anything after it in that episode.
    func value(in group: EpisodeGroup, episode j: Int, step t: Int) -> Double
    /// Learns from a batch after its gradient was formed.
    mutating func update(after batch: BatchAccumulator)
    /// Called once before each batch (caches of per-state values).
    mutating func prepare()
    /// K, episodes per context (leave-one-out baselines need K ≥ 2).
    var samplesPerContext: Int { get }
    /// A part of the baseline that is one number for the whole batch but is known only once the
    /// batch is collected (a running mean that includes the batch's own returns); nil when there is
    /// none. Such a baseline depends on the actions it multiplies, so REINFORCE is then biased.
    func batchConstant(of batch: BatchAccumulator) -> Double?
    /// Whether ``batchConstant(of:)`` is ever non-nil (so REINFORCE records what it needs).
    var hasBatchConstant: Bool { get }
    /// A factor applied to the whole estimate in training (NVIL's variance normalisation); 1 by default.
    var scale: Double { get }
    /// The number logged as `baseline` (nil: the field is not logged).
    var loggedValue: Double? { get }
    /// Whether the baseline is fitted from data (warm it up before measuring at a fixed policy).
    var needsWarmUp: Bool { get }
    /// The batch sums ``update(after:)`` and ``batchConstant(of:)`` read.
    var statistics: BatchStatistics { get }
    /// The value ``value(in:episode:step:)`` gives every step of the next batch when that is one
    /// number (running averages, no baseline), else nil (the default). Lets REINFORCE take the
    /// engine's lean path for one-step batches (``GradientEstimator/oneStepBaseline()``).
    var batchValue: Double? { get }
}

extension Baseline {
    /// Nothing to prepare.
    public mutating func prepare() {}
    /// One episode per context.
    public var samplesPerContext: Int { 1 }
    /// No batch constant.
    public func batchConstant(of batch: BatchAccumulator) -> Double? { nil }
    /// No batch constant.
    public var hasBatchConstant: Bool { false }
    /// No normalisation.
    public var scale: Double { 1 }
    /// Nothing logged.
    public var loggedValue: Double? { nil }
    /// Fitted from data unless it says otherwise.
    public var needsWarmUp: Bool { true }
    /// Every sum.
    public var statistics: BatchStatistics { .all }
    /// Not known to be one number.
    public var batchValue: Double? { nil }
}
