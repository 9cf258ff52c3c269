/// One recorded group of K episodes that started from the same state draw and were stepped
/// together by the estimator's ``GroupSampler``, as ``GradientEstimator/accumulate(_:scratch:into:)``
/// reads it. Valid only during that call.
///
/// Episode j (0 ≤ j < K) has ``length(_:)`` steps; step t of it has a state, an action, the
/// reward r_t, the discounted return-to-go G_t = Σ_{t'≥t} γ^{t'−t} r_{t'} and the sampler's
/// record. The batch's N episodes each weigh ``weight`` = 1/N. Every accessor checks its
/// indices; nothing here hands out a pointer.
public struct EpisodeGroup {
    /// K, the episodes of the group.
    public let samples: Int
    /// Discount γ.
    public let gamma: Double
    /// 1/N, N the batch's episodes.
    public let weight: Double
    /// The policy of the batch.
    public let policy: PolicyView
    /// The environment's state features.
    public let features: FeatureRows
    /// Doubles the sampler recorded per step.
    public let recordWidth: Int
    /// The batch's seed and iteration, and the index of the group's first episode in the batch.
    public let seed: UInt64, iteration: Int, firstEpisode: Int
    /// The continuations run for this group (nil when the estimator asks for none).
    public let branching: Branching?
    @usableFromInline let stride: Int
    @usableFromInline let lengthBase: UnsafePointer<Int>
    @usableFromInline let stateBase: UnsafePointer<Int>
    @usableFromInline let actionBase: UnsafePointer<Int>
    @usableFromInline let rewardBase: UnsafePointer<Double>
    @usableFromInline let returnBase: UnsafePointer<Double>
    @usableFromInline let recordBase: UnsafePointer<Double>
    /// Branch returns, [episode][step][action][sample], H · A · M per episode.
    @usableFromInline let branchBase: UnsafePointer<Double>?

    @usableFromInline init(samples: Int, gamma: Double, weight: Double, policy: PolicyView, features: FeatureRows, recordWidth: Int,
         seed: UInt64, iteration: Int, firstEpisode: Int, stride: Int, lengths: UnsafePointer<Int>,
         states: UnsafePointer<Int>, actions: UnsafePointer<Int>, rewards: UnsafePointer<Double>,
         returns: UnsafePointer<Double>, records: UnsafePointer<Double>, branching: Branching? = nil,
         branchReturns: UnsafePointer<Double>? = nil) {
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
        self.branching = branching
        branchBase = branchReturns
    }

    @inlinable func check(_ j: Int, _ t: Int) {
        precondition(UInt(bitPattern: j) < UInt(samples) && UInt(bitPattern: t) < UInt(lengthBase[j]),
                     "step \(t) of episode \(j) is not in the group")
    }

    /// The number of steps of episode j.
    @inlinable public func length(_ j: Int) -> Int {
        precondition(UInt(bitPattern: j) < UInt(samples), "episode \(j) of a group of \(samples)")
        return lengthBase[j]
    }
    /// s_t of episode j.
    @inlinable public func state(_ j: Int, _ t: Int) -> Int { check(j, t); return stateBase[j &* stride &+ t] }
    /// a_t of episode j.
    @inlinable public func action(_ j: Int, _ t: Int) -> Int { check(j, t); return actionBase[j &* stride &+ t] }
    /// r_t of episode j.
    @inlinable public func reward(_ j: Int, _ t: Int) -> Double { check(j, t); return rewardBase[j &* stride &+ t] }
    /// G_t of episode j.
    @inlinable public func returnToGo(_ j: Int, _ t: Int) -> Double { check(j, t); return returnBase[j &* stride &+ t] }
    /// Value k of the sampler's record of step t of episode j.
    @inlinable public func record(_ j: Int, _ t: Int, _ k: Int) -> Double {
        check(j, t)
        precondition(UInt(bitPattern: k) < UInt(recordWidth), "record index \(k) of \(recordWidth)")
        return recordBase[(j &* stride &+ t) &* recordWidth &+ k]
    }
    /// Calls `body` with G_0 … G_{T−1} of episode j.
    @inlinable public func withReturns<R>(_ j: Int, _ body: (Span<Double>) throws -> R) rethrows -> R {
        try body(returns(j).span)
    }
    /// Calls `body` with the sampler's record of step t of episode j (``recordWidth`` values).
    @inlinable public func withRecord<R>(_ j: Int, _ t: Int, _ body: (Span<Double>) throws -> R) rethrows -> R {
        check(j, t)
        return try body(recordRow(j, t).span)
    }

    /// The return of continuation m of episode j from step t with first action a: the
    /// discounted sum of the continuation's rewards from step t on (the counterpart of G_t
    /// for the action a), when the estimator asked for ``branching``.
    /// - Precondition: the group was branched, and step t of episode j branches.
    @inlinable public func branchReturn(_ j: Int, step t: Int, action a: Int, sample m: Int = 0) -> Double {
        guard let branching, let base = branchBase else { preconditionFailure("this estimator asked for no branches") }
        check(j, t)
        let a_ = policy.actionCount, ms = branching.samples
        precondition(t < branching.branchedSteps(length: lengthBase[j]), "step \(t) does not branch (\(branching.steps) steps do)")
        precondition(UInt(bitPattern: a) < UInt(a_) && UInt(bitPattern: m) < UInt(ms), "action or sample out of range")
        return base[((j &* stride &+ t) &* a_ &+ a) &* ms &+ m]
    }

    /// A stream for the estimator's own draws at step t of episode j (conditional noise, extra
    /// samples), independent of the rollout's and the same for any thread count.
    /// - Complexity: O(1); allocates nothing.
    @inlinable public func noise(episode j: Int, step t: Int) -> RandomStream {
        RandomStream(seed: seed, iteration: iteration, episode: firstEpisode + j).split(0xE571_0000 &+ UInt64(t))
    }

    /// The group `i` places after this one in the same buffers (the rollout's blocks).
    @inline(__always) @usableFromInline func shifted(byGroups i: Int) -> EpisodeGroup {
        let episodes = i &* samples, steps = episodes &* stride
        let branchWidth = branching.map { policy.actionCount &* $0.samples } ?? 0
        return EpisodeGroup(samples: samples, gamma: gamma, weight: weight, policy: policy, features: features,
                            recordWidth: recordWidth, seed: seed, iteration: iteration, firstEpisode: firstEpisode &+ episodes,
                            stride: stride, lengths: lengthBase + episodes, states: stateBase + steps, actions: actionBase + steps,
                            rewards: rewardBase + steps, returns: returnBase + steps, records: recordBase + steps &* recordWidth,
                            branching: branching, branchReturns: branchBase.map { $0 + steps &* branchWidth })
    }

    // MARK: Unchecked access for the library's own loops

    /// s_t of episode j, unchecked.
    @inlinable func stateAt(_ j: Int, _ t: Int) -> Int { stateBase[j &* stride &+ t] }
    /// a_t of episode j, unchecked.
    @inlinable func actionAt(_ j: Int, _ t: Int) -> Int { actionBase[j &* stride &+ t] }
    /// G_t of episode j, unchecked.
    @inlinable func returnAt(_ j: Int, _ t: Int) -> Double { returnBase[j &* stride &+ t] }
    /// The number of steps of episode j, unchecked.
    @inlinable func lengthAt(_ j: Int) -> Int { lengthBase[j] }
    /// G_t of every step of episode j.
    @inlinable func returns(_ j: Int) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(start: returnBase + j &* stride, count: lengthBase[j])
    }
    /// The record of step t of episode j (``recordWidth`` values).
    @inlinable func recordRow(_ j: Int, _ t: Int) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(start: recordBase + (j &* stride &+ t) &* recordWidth, count: recordWidth)
    }
}
