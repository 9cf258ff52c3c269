/// Which per-step sums of a batch an estimator reads (``BatchAccumulator``); the rollout skips
/// the others. The number of episodes and steps and the episode returns are always counted.
public struct BatchStatistics: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// n[s,a], the visits of each state-action pair.
    public static let visits = BatchStatistics(rawValue: 1)
    /// Σ G_t per (s, a).
    public static let returnSums = BatchStatistics(rawValue: 2)
    /// Σ G_t² per state.
    public static let returnSquares = BatchStatistics(rawValue: 4)
    /// Every sum.
    public static let all: BatchStatistics = [.visits, .returnSums, .returnSquares]
}

/// A gradient estimator of ∇_φ J(φ), J(φ) = E[Σ_t γᵗ r_t], behind one small, safe protocol.
///
/// Its requirements come in four groups, each with a default, so that the smallest estimator
/// implements ``accumulate(_:scratch:into:)`` alone:
///
/// * **Sampling** — how the rollout draws a group's actions: the ``sampler`` (a
///   ``GroupSampler``; inversion by default), the group size K (``groupSize``) and any extra
///   continuations from visited states (``branching``).
/// * **Estimation** — how a recorded ``EpisodeGroup`` becomes per-state logit cotangents
///   (``accumulate(_:scratch:into:)``), with per-chunk ``Scratch``, the batch sums it reads
///   (``statistics``) and sums of its own (``auxiliaryCount(stateCount:actionCount:)``).
/// * **The batch** — ``prepare(iteration:table:)`` before it, ``finalize(_:table:normalised:)``
///   on the reduced batch, ``gradientScale(normalised:)`` when the gradient is formed, and
///   ``update(after:table:)`` to learn from it afterwards.
/// * **Reporting** — the fields it adds to each logged update (``logFields``,
///   ``logValues(of:)``) and whether it has state fitted from data (``needsWarmUp``).
///
/// One update runs, in order: ``prepare(iteration:table:)``; the rollout, calling
/// ``accumulate(_:scratch:into:)`` once per group, possibly on several threads at once; the
/// reduction of the chunks in a fixed order; ``finalize(_:table:normalised:)``; the gradient
/// ĝ = Σ_s J_sᵀ (M[s,·] − π(·|s) T[s]) and the optimiser step; then ``update(after:table:)``,
/// so that nothing learned from a batch ever enters that batch's own gradient.
///
/// ``accumulate(_:scratch:into:)`` must not mutate shared state: it reads `self` (frozen during
/// the batch) and writes only into its `scratch` and the cotangents it is given. Randomness it
/// needs beyond the rollout's comes from ``EpisodeGroup/noise(episode:step:)``, so results are
/// identical for any thread count. No requirement takes or returns a pointer: the group, the
/// cotangents and the policy are read and written through checked accessors and `Span`s.
///
/// A user's package conforms a struct to this protocol and registers it with
/// ``EstimatorRegistry/register(_:)`` (declaring whether it is unbiased); `pg train`,
/// `pg compare`, `pg variance` and the conformance tests then treat it like a built-in.
public protocol GradientEstimator: Sendable {
    // MARK: Sampling

    /// The sampler's type (``InverseCDFSampler`` unless the estimator names another).
    associatedtype Sampler: GroupSampler = InverseCDFSampler
    /// How the rollout draws the actions of a group's live episodes at each step.
    var sampler: Sampler { get }
    /// K, the episodes per group: the rollout runs K episodes from each start, in step.
    var groupSize: Int { get }
    /// Extra continuations from the visited states of each recorded episode (nil: none).
    var branching: Branching? { get }

    // MARK: Estimation

    /// Per-chunk scratch (made once per chunk of a batch, reused for every group).
    associatedtype Scratch = Void
    /// A chunk's scratch.
    func makeScratch(actionCount: Int, featureCount: Int) -> Scratch
    /// Adds the logit cotangents (and auxiliary sums) of one recorded group of episodes.
    /// - Complexity: should be O(steps · A) and allocate nothing.
    func accumulate(_ group: EpisodeGroup, scratch: inout Scratch, into out: inout LogitCotangents)
    /// Adds several consecutive groups (by default, each in turn with
    /// ``accumulate(_:scratch:into:)-(EpisodeGroup,_,_)``); an estimator may take them together
    /// to hoist per-batch work out of its loop.
    func accumulate(_ groups: EpisodeGroups, scratch: inout Scratch, into out: inout LogitCotangents)
    /// The batch sums ``finalize(_:table:normalised:)`` and ``update(after:table:)`` read.
    var statistics: BatchStatistics { get }
    /// Length of the estimator's own per-batch sums (``LogitCotangents/addAuxiliary(_:_:)``),
    /// reduced across chunks in a fixed order and handed to ``finalize(_:table:normalised:)``.
    func auxiliaryCount(stateCount: Int, actionCount: Int) -> Int

    // MARK: The batch

    /// Called once before the batch of update `iteration`, with the policy's table.
    mutating func prepare(iteration: Int, table: PolicyTable)
    /// Adjusts the reduced batch before the gradient is formed (a baseline fixed only once the
    /// batch is known, a learned coefficient, a normalisation when `normalised`).
    mutating func finalize(_ batch: inout BatchAccumulator, table: PolicyTable, normalised: Bool)
    /// A factor applied to the batch's logit cotangents when the gradient is formed (NVIL's
    /// normalisation in training, `normalised` true; 1 when measuring the estimator of ∇J).
    func gradientScale(normalised: Bool) -> Double
    /// Learns from the batch after its gradient was formed (baselines, critics, coefficients).
    mutating func update(after batch: BatchAccumulator, table: PolicyTable)

    // MARK: Reporting

    /// Names of the values ``logValues(of:)`` reports, the fields this estimator adds to every
    /// `{"type":"iteration"}` line (at most ``EstimatorValues/capacity``).
    var logFields: [String] { get }
    /// The values of ``logFields`` for a batch (after ``finalize(_:table:normalised:)``).
    func logValues(of batch: BatchAccumulator) -> EstimatorValues
    /// Whether the estimator has state fitted from data, so that a measurement at a fixed
    /// policy should warm it up first (`pg variance --warm-up`).
    var needsWarmUp: Bool { get }
}

extension GradientEstimator where Sampler == InverseCDFSampler {
    /// Inversion.
    public var sampler: InverseCDFSampler { InverseCDFSampler() }
}

extension GradientEstimator where Scratch == Void {
    /// No scratch.
    public func makeScratch(actionCount: Int, featureCount: Int) {}
}

extension GradientEstimator {
    /// Each group in turn.
    @inlinable
    public func accumulate(_ groups: EpisodeGroups, scratch: inout Scratch, into out: inout LogitCotangents) {
        for i in 0..<groups.count { accumulate(groups.first.shifted(byGroups: i), scratch: &scratch, into: &out) }
    }
    /// One episode per group.
    public var groupSize: Int { 1 }
    /// No continuations.
    public var branching: Branching? { nil }
    /// Every sum.
    public var statistics: BatchStatistics { .all }
    /// No auxiliary sums.
    public func auxiliaryCount(stateCount: Int, actionCount: Int) -> Int { 0 }
    /// Nothing to prepare.
    public mutating func prepare(iteration: Int, table: PolicyTable) {}
    /// Nothing to adjust.
    public mutating func finalize(_ batch: inout BatchAccumulator, table: PolicyTable, normalised: Bool) {}
    /// No scaling.
    public func gradientScale(normalised: Bool) -> Double { 1 }
    /// Nothing to learn.
    public mutating func update(after batch: BatchAccumulator, table: PolicyTable) {}
    /// No fields.
    public var logFields: [String] { [] }
    /// No values.
    public func logValues(of batch: BatchAccumulator) -> EstimatorValues { EstimatorValues() }
    /// No fitted state.
    public var needsWarmUp: Bool { false }
}
