/// Decides the actions of a group's live episodes at one time step, all together.
///
/// The rollout runs the K episodes of a group (one context: K episodes from the same start) in
/// step with each other: at step t it hands the sampler every live episode's state, and the
/// sampler sets each one's action, drawing what randomness it needs from each episode's own
/// stream or from the group's stream of this step (``GroupStep/groupStream``). Independent
/// draws (``InverseCDFSampler``, ``GumbelMaxSampler``) use the episodes' streams; coupled draws
/// use the group's: K distinct actions by Gumbel-top-k (``GumbelTopKSampler``), antithetic
/// pairs, stick-breaking couplings. Streams are derived from (seed, iteration, group, step),
/// so the draws are the same for any thread count.
///
/// A sampler may record numbers per step of each episode (``recordWidth(actionCount:)``, a
/// property of its type, so that memory is known before anything is built; the
/// perturbed logits of Gumbel-max, the uniform of an antithetic pair), which the estimator reads
/// back with ``EpisodeGroup/record(_:_:_:)``.
///
/// Sampling is separate from estimation (as in Storchastic): an estimator names its sampler,
/// and estimators whose samplers have the same ``identity`` draw the very same actions from the
/// same streams, which `pg variance` uses for common random numbers.
public protocol GroupSampler: Sendable {
    /// A name for the draws this sampler makes, equal for two samplers exactly when they draw
    /// the same actions from the same streams (for example `inverse-cdf`, `gumbel-top-k`).
    var identity: String { get }
    /// Doubles recorded per step of each episode (0 by default).
    static func recordWidth(actionCount: Int) -> Int
    /// Why this sampler cannot draw groups of `groupSize` episodes over `actionCount` actions
    /// (nil when it can; for example K distinct actions need K ≤ A).
    func problem(groupSize: Int, actionCount: Int) -> String?
    /// Sets the action of every live episode of `step` (``GroupStep/setAction(_:for:)``).
    /// - Complexity: should be O(K · A) and allocate nothing.
    func draw(_ step: inout GroupStep)
    /// How the rollout runs this sampler: built-in kinds are inlined into the rollout loop, the
    /// rest call ``draw(_:)`` (the default, ``SamplerKind/custom``).
    var kind: SamplerKind { get }
}

extension GroupSampler {
    /// Nothing recorded.
    public static func recordWidth(actionCount: Int) -> Int { 0 }
    /// Any group size.
    public func problem(groupSize: Int, actionCount: Int) -> String? { nil }
    /// Called through ``draw(_:)``.
    public var kind: SamplerKind { .custom }
}

/// How the rollout runs a sampler: the two independent samplers every classic estimator uses
/// are inlined into its loop (the same functions their ``GroupSampler/draw(_:)`` calls); any
/// other sampler is called once per group and step.
public enum SamplerKind: Sendable, Equatable {
    /// ``InverseCDFSampler``.
    case inverseCDF
    /// ``GumbelMaxSampler``.
    case gumbelMax
    /// Any other sampler, through ``GroupSampler/draw(_:)``.
    case custom
}

/// One time step of one group, as a ``GroupSampler`` sees it: the live episodes' states, the
/// policy, the streams, and where the actions and records go. Valid only during
/// ``GroupSampler/draw(_:)``.
public struct GroupStep {
    /// t, the step index within the episodes (0 at the start).
    public let step: Int
    /// K, the episodes of the group (live or ended).
    public let episodes: Int
    /// The policy of the batch.
    public let policy: PolicyView
    /// Doubles recorded per step of an episode.
    public let recordWidth: Int
    /// This step's stream of the group, for coupled draws: derived from (seed, iteration,
    /// group, step), independent of every episode's stream.
    public var groupStream: RandomStream
    @usableFromInline let states: UnsafePointer<Int>
    @usableFromInline let live: UnsafePointer<Bool>
    @usableFromInline let actions: UnsafeMutablePointer<Int>
    @usableFromInline let records: UnsafeMutablePointer<Double>
    @usableFromInline let recordStride: Int
    @usableFromInline let streams: UnsafeMutablePointer<RandomStream>

    init(step: Int, episodes: Int, policy: PolicyView, recordWidth: Int, groupStream: RandomStream, states: UnsafePointer<Int>,
         live: UnsafePointer<Bool>, actions: UnsafeMutablePointer<Int>, records: UnsafeMutablePointer<Double>, recordStride: Int,
         streams: UnsafeMutablePointer<RandomStream>) {
        self.step = step
        self.episodes = episodes
        self.policy = policy
        self.recordWidth = recordWidth
        self.groupStream = groupStream
        self.states = states
        self.live = live
        self.actions = actions
        self.records = records
        self.recordStride = recordStride
        self.streams = streams
    }

    @inlinable func check(_ j: Int) {
        precondition(UInt(bitPattern: j) < UInt(episodes), "episode \(j) of a group of \(episodes)")
    }

    /// Whether episode j is still running at this step (ended episodes get no action).
    @inlinable public func isLive(_ j: Int) -> Bool { check(j); return live[j] }

    /// s_t of episode j (meaningful while it is live).
    @inlinable public func state(_ j: Int) -> Int { check(j); return states[j] }

    /// The number of live episodes.
    public var liveCount: Int { (0..<episodes).reduce(0) { $0 + (live[$1] ? 1 : 0) } }

    /// Sets a_t of episode j.
    /// - Precondition: `a` in `0..<A`.
    @inlinable public mutating func setAction(_ a: Int, for j: Int) {
        check(j)
        precondition(UInt(bitPattern: a) < UInt(policy.actionCount), "action \(a) is not in 0..<\(policy.actionCount)")
        actions[j] = a
    }

    /// The action set for episode j at this step (−1 before it is set).
    @inlinable public func action(_ j: Int) -> Int { check(j); return actions[j] }

    /// Sets value k of episode j's record at this step.
    /// - Precondition: `k` in `0..<recordWidth`.
    @inlinable public mutating func setRecord(_ value: Double, for j: Int, at k: Int) {
        check(j)
        precondition(UInt(bitPattern: k) < UInt(recordWidth), "record index \(k) of \(recordWidth)")
        records[j &* recordStride &+ k] = value
    }

    /// Calls `body` with episode j's record at this step (``recordWidth`` values).
    @inlinable public mutating func withRecord<R>(for j: Int, _ body: (inout MutableSpan<Double>) throws -> R) rethrows -> R {
        check(j)
        var span = UnsafeMutableBufferPointer(start: records + j &* recordStride, count: recordWidth).mutableSpan
        return try body(&span)
    }

    /// Calls `body` with episode j's own stream (the one the environment then steps with, so
    /// a draw here shifts what follows in that episode, as inversion's uniform always has).
    @inlinable public mutating func withStream<R>(of j: Int, _ body: (inout RandomStream) throws -> R) rethrows -> R {
        check(j)
        return try body(&streams[j])
    }

    /// The record pointer of episode j at this step, for the library's samplers.
    @inlinable func recordPointer(_ j: Int) -> UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(start: records + j &* recordStride, count: recordWidth)
    }
}
