/// How the rollout draws each action.
public enum ActionSampling: String, Sendable, CaseIterable {
    /// Inversion: one uniform u per step, a = min{k : Σ_{j≤k} π(j|s) > u}.
    case inverseCDF = "inverse-cdf"
    /// The Gumbel-max trick: a = argmax_k(log π(k|s) + g_k), g ~ Gumbel(0, 1)ᴬ drawn from the
    /// step's stream; the perturbed logits z = log π + g are recorded (``GradientEstimator/recordWidth(actionCount:)``
    /// must be at least A).
    case gumbelMax = "gumbel-max"
    /// The estimator's own ``GradientEstimator/drawAction(state:policy:record:scratch:using:)``
    /// (coupled or conditional noise, several draws per step, a relaxed sample recorded, …).
    case custom
}

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

/// A gradient estimator of ∇_φ J(φ), J(φ) = E[Σ_t γᵗ r_t], behind one small protocol: it decides
/// how actions are drawn, what each step records, how a recorded group of episodes becomes
/// per-state logit cotangents, what state it keeps between batches, and what it logs. The
/// rollout engine knows nothing of any particular estimator.
///
/// One update runs, in order: ``prepare(iteration:table:)`` (once, before the batch); the
/// rollout, calling ``accumulate(_:scratch:into:)`` once per group of ``samplesPerContext``
/// episodes from the same start, possibly on several threads at once; the reduction of the
/// chunks in a fixed order; ``finalize(_:table:normalised:)`` on the reduced batch; the
/// gradient ĝ = Σ_s J_sᵀ (M[s,·] − π(·|s) T[s]) formed from it and the optimiser step; then
/// ``update(after:table:)``, so that nothing learned from a batch ever enters that batch's
/// own gradient.
///
/// ``accumulate(_:scratch:into:)`` must not mutate shared state: it reads `self` (frozen
/// during the batch) and writes only into its `scratch` and the cotangents it is given.
/// Randomness it needs beyond the rollout's comes from ``EpisodeGroup/noise(episode:step:)``,
/// so results are identical for any thread count.
///
/// A user's package conforms a struct to this protocol and registers it with
/// ``EstimatorRegistry/register(_:)``; `pg train`, `pg compare` and `pg variance` then
/// measure it against the exact gradient like a built-in.
public protocol GradientEstimator: Sendable {
    /// Per-chunk scratch (allocated once per chunk, reused for every group).
    associatedtype Scratch = Void

    /// How actions are drawn.
    static var sampling: ActionSampling { get }
    /// K, the episodes per context: the rollout runs K episodes from each start.
    var samplesPerContext: Int { get }
    /// Doubles recorded per step besides the state, action and reward (at least A for
    /// ``ActionSampling/gumbelMax``).
    func recordWidth(actionCount: Int) -> Int
    /// Length of the estimator's own per-batch sums (``LogitCotangents/auxiliary``), reduced
    /// across chunks in a fixed order and handed to ``finalize(_:table:normalised:)``.
    func auxiliaryCount(stateCount: Int, actionCount: Int) -> Int
    /// The batch sums ``finalize(_:table:normalised:)`` and ``update(after:table:)`` read.
    var statistics: BatchStatistics { get }
    /// A chunk's scratch.
    func makeScratch(actionCount: Int, featureCount: Int) -> Scratch
    /// Called once before the batch of update `iteration`, with the policy's table.
    mutating func prepare(iteration: Int, table: PolicyTable)
    /// Draws the action in `state` (only for ``ActionSampling/custom``); may write
    /// ``recordWidth(actionCount:)`` values into `record`.
    /// - Returns: an action in `0..<A`.
    func drawAction(state: Int, policy: PolicyView, record: UnsafeMutableBufferPointer<Double>,
                    scratch: inout Scratch, using rng: inout RandomStream) -> Int
    /// Adds the logit cotangents (and auxiliary sums) of one recorded group of episodes.
    /// - Complexity: should be O(steps · A) and allocate nothing.
    func accumulate(_ group: EpisodeGroup, scratch: inout Scratch, into out: LogitCotangents)
    /// Adjusts the reduced batch before the gradient is formed (a baseline fixed only once the
    /// batch is known, a learned coefficient, a normalisation when `normalised`).
    mutating func finalize(_ batch: inout BatchAccumulator, table: PolicyTable, normalised: Bool)
    /// A factor applied to the batch's logit cotangents when the gradient is formed (NVIL's
    /// normalisation in training, `normalised` true; 1 when measuring the estimator of ∇J).
    func gradientScale(normalised: Bool) -> Double
    /// Learns from the batch after its gradient was formed (baselines, critics, coefficients).
    mutating func update(after batch: BatchAccumulator, table: PolicyTable)
    /// Names of the values ``logValues(of:)`` reports, the fields this estimator adds to every
    /// `{"type":"iteration"}` line (at most ``EstimatorValues/capacity``).
    var logFields: [String] { get }
    /// The values of ``logFields`` for a batch (after ``finalize(_:table:normalised:)``).
    func logValues(of batch: BatchAccumulator) -> EstimatorValues
    /// Whether the estimator has state fitted from data, so that a measurement at a fixed
    /// policy should warm it up first (`pg variance --warm-up`).
    var needsWarmUp: Bool { get }
    /// For batches whose episodes are each one step from the environment's only state: the
    /// number b such that ``accumulate(_:scratch:into:)`` adds exactly w (G − b) to the score of
    /// the episode's action (``ScoreFunction/coefficient(returnToGo:baseline:weight:)``), and w to
    /// its auxiliary sum when there are any, for every episode of the next batch — REINFORCE
    /// with a baseline that is one number for the whole batch. The engine then rolls such
    /// batches out in a lean loop without forming groups (same numbers, bit for bit). nil (the
    /// default): the general path.
    func oneStepBaseline() -> Double?
}

extension GradientEstimator {
    /// One episode per context.
    public var samplesPerContext: Int { 1 }
    /// A per-step record of the perturbed logits for Gumbel-max sampling, nothing otherwise.
    public func recordWidth(actionCount: Int) -> Int { Self.sampling == .gumbelMax ? actionCount : 0 }
    /// Every sum.
    public var statistics: BatchStatistics { .all }
    /// No auxiliary sums.
    public func auxiliaryCount(stateCount: Int, actionCount: Int) -> Int { 0 }
    /// Nothing to prepare.
    public mutating func prepare(iteration: Int, table: PolicyTable) {}
    /// Only ``ActionSampling/custom`` estimators draw actions themselves.
    public func drawAction(state: Int, policy: PolicyView, record: UnsafeMutableBufferPointer<Double>,
                           scratch: inout Scratch, using rng: inout RandomStream) -> Int {
        preconditionFailure("\(Self.self) declares \(Self.sampling) sampling and must implement drawAction")
    }
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
    /// No lean path.
    public func oneStepBaseline() -> Double? { nil }
}

extension GradientEstimator where Scratch == Void {
    /// No scratch.
    public func makeScratch(actionCount: Int, featureCount: Int) {}
}
