/// One recorded group of K episodes that started from the same state draw, as an estimator's
/// ``GradientEstimator/accumulate(_:scratch:into:)`` reads it. Valid only during that call.
///
/// Episode j (0 ≤ j < K) has ``length(_:)`` steps; step t of it has a state, an action, the
/// reward r_t, the discounted return-to-go G_t = Σ_{t'≥t} γ^{t'−t} r_{t'} and the estimator's
/// own per-step record. The batch's N episodes each weigh ``weight`` = 1/N.
public struct EpisodeGroup {
    /// K.
    public let samples: Int
    /// Discount γ.
    public let gamma: Double
    /// 1/N, N the batch's episodes.
    public let weight: Double
    /// The policy of the batch.
    public let policy: PolicyView
    /// The environment's state features.
    public let features: FeatureRows
    /// Doubles recorded per step.
    public let recordWidth: Int
    /// The batch's seed and iteration, and the index of the group's first episode in the batch.
    public let seed: UInt64, iteration: Int, firstEpisode: Int
    @usableFromInline let stride: Int
    @usableFromInline let lengthBase: UnsafePointer<Int>
    @usableFromInline let stateBase: UnsafePointer<Int>
    @usableFromInline let actionBase: UnsafePointer<Int>
    @usableFromInline let rewardBase: UnsafePointer<Double>
    @usableFromInline let returnBase: UnsafePointer<Double>
    @usableFromInline let recordBase: UnsafePointer<Double>

    init(samples: Int, gamma: Double, weight: Double, policy: PolicyView, features: FeatureRows, recordWidth: Int,
         seed: UInt64, iteration: Int, firstEpisode: Int, stride: Int, lengths: UnsafePointer<Int>,
         states: UnsafePointer<Int>, actions: UnsafePointer<Int>, rewards: UnsafePointer<Double>,
         returns: UnsafePointer<Double>, records: UnsafePointer<Double>) {
        self.samples = samples
        self.gamma = gamma
        self.weight = weight
        self.policy = policy
        self.features = features
        self.recordWidth = recordWidth
        self.seed = seed
        self.iteration = iteration
        self.firstEpisode = firstEpisode
        self.stride = stride
        lengthBase = lengths
        stateBase = states
        actionBase = actions
        rewardBase = rewards
        returnBase = returns
        recordBase = records
    }

    /// The number of steps of episode j.
    @inlinable public func length(_ j: Int) -> Int { lengthBase[j] }
    /// s_t of episode j.
    @inlinable public func state(_ j: Int, _ t: Int) -> Int { stateBase[j * stride + t] }
    /// a_t of episode j.
    @inlinable public func action(_ j: Int, _ t: Int) -> Int { actionBase[j * stride + t] }
    /// r_t of episode j.
    @inlinable public func reward(_ j: Int, _ t: Int) -> Double { rewardBase[j * stride + t] }
    /// G_t of episode j.
    @inlinable public func returnToGo(_ j: Int, _ t: Int) -> Double { returnBase[j * stride + t] }
    /// G_t of every step of episode j.
    @inlinable public func returns(_ j: Int) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(start: returnBase + j * stride, count: lengthBase[j])
    }
    /// The estimator's record of step t of episode j (``recordWidth`` values).
    @inlinable public func record(_ j: Int, _ t: Int) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(start: recordBase + (j * stride + t) * recordWidth, count: recordWidth)
    }

    /// A stream for the estimator's own draws at step t of episode j (conditional noise, extra
    /// samples), independent of the rollout's and the same for any thread count.
    /// - Complexity: O(1); allocates nothing.
    @inlinable public func noise(episode j: Int, step t: Int) -> RandomStream {
        RandomStream(seed: seed, iteration: iteration, episode: firstEpisode + j).split(0xE571_0000 &+ UInt64(t))
    }
}
