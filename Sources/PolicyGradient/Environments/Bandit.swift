/// The reward distribution of one bandit arm.
public enum ArmDistribution: Sendable, Equatable {
    /// Normal with the given mean and standard deviation.
    case gaussian(mean: Double, standardDeviation: Double)
    /// 1 with probability p, else 0.
    case bernoulli(p: Double)
    /// Uniform on [low, high].
    case uniform(low: Double, high: Double)
    /// Always the same value.
    case constant(Double)

    /// The expected reward.
    public var mean: Double {
        switch self {
        case let .gaussian(m, _): return m
        case let .bernoulli(p): return p
        case let .uniform(lo, hi): return (lo + hi) / 2
        case let .constant(v): return v
        }
    }

    /// Draws a reward.
    /// - Complexity: O(1); allocates nothing.
    @inlinable
    public func sample(using rng: inout RandomStream) -> Double { sample(using: &rng, normal: ZigguratTable.shared) }

    /// ``sample(using:)`` with the normal tables passed in (the same draws).
    @inlinable @inline(__always)
    func sample(using rng: inout RandomStream, normal: ZigguratTable) -> Double {
        switch self {
        case let .gaussian(m, sd): return m + sd * rng.nextGaussian(table: normal)
        case let .bernoulli(p): return rng.nextUniform() < p ? 1 : 0
        case let .uniform(lo, hi): return lo + (hi - lo) * rng.nextUniform()
        case let .constant(v): return v
        }
    }
}

/// A multi-armed bandit: one state, `arms.count` actions, episodes of one step.
///
/// - Actions: pull arm `a` in `0..<arms.count`.
/// - States: a single state 0 (one-hot feature `[1]`).
/// - Rewards: drawn from the pulled arm's ``ArmDistribution``.
/// - Termination: every episode terminates after its single step.
///
/// ``tenArmedTestbed(seed:mean:)`` builds Sutton & Barto's 10-armed testbed
/// (Reinforcement Learning: An Introduction, 2nd ed., 2018, §2.3).
public struct Bandit: KnownDynamics {
    /// The environment id (`bandit10`, `bernoulli`, or a spec file's name).
    public var id: String
    /// The arms' reward distributions.
    public let arms: [ArmDistribution]
    /// The number of arms.
    public var actionCount: Int { arms.count }
    /// One state.
    public var stateCount: Int { 1 }
    /// One step per episode.
    public var timeLimit: Int { 1 }
    /// The arm with the highest expected reward (the first one on ties).
    public let optimalAction: Int
    /// The normal distribution's ziggurat tables, fetched once (not once per pull).
    @usableFromInline let normal = ZigguratTable.shared

    /// Creates a bandit from its arms.
    /// - Precondition: at least one arm.
    public init(id: String, arms: [ArmDistribution]) {
        precondition(!arms.isEmpty, "a bandit needs at least one arm")
        self.id = id
        self.arms = arms
        var best = 0
        for a in arms.indices where arms[a].mean > arms[best].mean { best = a }
        optimalAction = best
        model = TabularModel(start: [1], outcomes: [arms.map {
            [Outcome(probability: 1, next: 0, reward: $0.mean, terminated: true)]
        }])
    }

    /// Sutton & Barto's k-armed testbed: q*(a) ~ N(mean, 1) drawn once from `seed`,
    /// rewards ~ N(q*(a), 1). Figure 2.5 of the book uses `mean: 4`.
    public static func tenArmedTestbed(seed: UInt64, mean: Double = 0, arms: Int = 10) -> Bandit {
        var rng = RandomStream(seed: seed).split(0xBA4D17)
        let q = (0..<arms).map { _ in mean + rng.nextGaussian() }
        return Bandit(id: "bandit10", arms: q.map { .gaussian(mean: $0, standardDeviation: 1) })
    }

    /// A Bernoulli bandit with the given success probabilities.
    public static func bernoulli(_ p: [Double], id: String = "bernoulli") -> Bandit {
        Bandit(id: id, arms: p.map { .bernoulli(p: $0) })
    }

    /// Starts an episode in state 0.
    @inlinable
    public mutating func reset(using rng: inout RandomStream) -> Int { 0 }

    /// Pulls `action` and ends the episode.
    @inlinable @inline(__always)
    public mutating func step(_ action: Int, using rng: inout RandomStream) -> StepResult {
        StepResult(state: 0, reward: arms[action].sample(using: &rng, normal: normal), terminated: true)
    }

    /// One state, one step, expected rewards per arm (built once, in `init`: a trainer asks
    /// for it several times, and a sweep builds a trainer per seed).
    public let model: TabularModel
}
