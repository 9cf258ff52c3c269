/// Scalar statistics of one chunk, kept in a local variable during the rollout.
struct ChunkCounters {
    var episodes = 0, steps = 0, terminated = 0, truncated = 0, optimalActions = 0
    var branchEpisodes = 0, branchSteps = 0
    var episodeReturnSum = 0.0, episodeReturnSquareSum = 0.0
}

/// The first state or action out of range that a chunk saw (the rollout stops the episode).
struct RolloutFault {
    var episode: Int
    var step: Int
    var state: Int?
    var action: Int?
}

/// Where a chunk's per-state statistics go: its own storage, or (the first chunk of a batch)
/// the batch's accumulator itself, so that a batch of one chunk is never copied.
struct StatisticsPointers {
    var score: UnsafeMutablePointer<Double>
    var scoreTotal: UnsafeMutablePointer<Double>
    var visits: UnsafeMutablePointer<Double>
    var returnSum: UnsafeMutablePointer<Double>
    var returnSquareSum: UnsafeMutablePointer<Double>
    var auxiliary: UnsafeMutableBufferPointer<Double>
}

extension BatchAccumulator {
    /// Calls `body` with pointers to the accumulator's arrays (valid during the call).
    mutating func withPointers<R>(_ body: (StatisticsPointers) -> R) -> R {
        score.withUnsafeMutableBufferPointer { m in
            scoreTotal.withUnsafeMutableBufferPointer { t in
                visits.withUnsafeMutableBufferPointer { v in
                    returnSum.withUnsafeMutableBufferPointer { r in
                        returnSquareSum.withUnsafeMutableBufferPointer { q in
                            auxiliary.withUnsafeMutableBufferPointer { x in
                                body(StatisticsPointers(score: m.baseAddress!, scoreTotal: t.baseAddress!, visits: v.baseAddress!,
                                                        returnSum: r.baseAddress!, returnSquareSum: q.baseAddress!, auxiliary: x))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The sizes of a chunk's buffers: K episodes per group, H steps each, W record values per
/// step, B groups per block, and the branch returns of a branching estimator.
struct WorkspaceShape {
    /// K.
    var samples: Int
    /// H, the time limit.
    var horizon: Int
    /// W, doubles the sampler records per step.
    var recordWidth: Int
    /// B, groups recorded before the estimator is called.
    var blockGroups: Int
    /// A · M branch returns per step, when branching (else 0).
    var branchWidth: Int
    /// Whether the environment is copied before every step (branching).
    var snapshots: Bool
    /// S and A.
    var stateCount: Int, actionCount: Int
    /// The estimator's auxiliary sums.
    var auxiliaryCount: Int

    /// Steps of one block.
    var blockSteps: Int { blockGroups * samples * horizon }

    /// The most steps a block may hold before the estimator is called (a group always fits).
    static let blockStepLimit = 1024

    /// B for a chunk of at most `groupsPerChunk` groups of K × H steps.
    static func blockGroups(groupsPerChunk: Int, samples k: Int, horizon h: Int) -> Int {
        max(1, min(groupsPerChunk, blockStepLimit / max(1, k * h)))
    }
}

/// Scratch owned by one chunk of a batch: K environment copies and streams, a block of groups'
/// episode buffers, the estimator's scratch, and the chunk's per-state statistics, all
/// allocated once; the rollout allocates nothing per step. Everything is reached through raw
/// pointers, so the rollout touches no reference count and pays for no exclusivity check.
final class ChunkWorkspace<E: Environment> {
    /// The chunk's own environment values (one per episode of a group), stepped in place.
    let envs: UnsafeMutablePointer<E>
    /// The episodes' streams, their current states, actions of the step and whether they run.
    let streams: UnsafeMutablePointer<RandomStream>
    let current: UnsafeMutablePointer<Int>
    let stepActions: UnsafeMutablePointer<Int>
    let live: UnsafeMutablePointer<Bool>
    /// The estimator's scratch for this chunk.
    let scratch: AnyObject
    @exclusivity(unchecked) var counters = ChunkCounters()
    @exclusivity(unchecked) var fault: RolloutFault?
    /// The chunk's own statistics storage.
    let own: StatisticsPointers
    /// Where the current batch's statistics go (``own``, or the batch's accumulator for chunk 0).
    @exclusivity(unchecked) var target: StatisticsPointers
    /// B × K × H buffers of one block of groups, B × K × H × W records, and B × K lengths.
    let states: UnsafeMutablePointer<Int>
    let actions: UnsafeMutablePointer<Int>
    let rewards: UnsafeMutablePointer<Double>
    let returns: UnsafeMutablePointer<Double>
    let records: UnsafeMutablePointer<Double>
    let lengths: UnsafeMutablePointer<Int>
    /// Environment copies before every step of a group (K × H), and B × K × H × A × M branch returns.
    let snapshots: UnsafeMutablePointer<E>?
    let branchReturns: UnsafeMutablePointer<Double>?
    let shape: WorkspaceShape
    let stateActions: Int

    init(env: E, estimator: AnyEstimator, shape: WorkspaceShape, featureCount: Int) {
        self.shape = shape
        let k = shape.samples, steps = shape.blockSteps
        envs = .allocate(capacity: k)
        envs.initialize(repeating: env, count: k)
        streams = .allocate(capacity: k)
        streams.initialize(repeating: RandomStream(seed: 0), count: k)
        current = Self.lineAligned(k)
        stepActions = Self.lineAligned(k)
        live = .allocate(capacity: k)
        live.initialize(repeating: false, count: k)
        stateActions = shape.stateCount * shape.actionCount
        scratch = estimator.makeScratch(actionCount: shape.actionCount, featureCount: featureCount)
        own = StatisticsPointers(score: Self.lineAligned(stateActions), scoreTotal: Self.lineAligned(shape.stateCount),
                                 visits: Self.lineAligned(stateActions), returnSum: Self.lineAligned(stateActions),
                                 returnSquareSum: Self.lineAligned(shape.stateCount),
                                 auxiliary: UnsafeMutableBufferPointer(start: Self.lineAligned(shape.auxiliaryCount),
                                                                       count: shape.auxiliaryCount))
        target = own
        states = Self.lineAligned(steps)
        actions = Self.lineAligned(steps)
        rewards = Self.lineAligned(steps)
        returns = Self.lineAligned(steps)
        records = Self.lineAligned(steps * shape.recordWidth)
        lengths = Self.lineAligned(shape.blockGroups * k)
        if shape.snapshots {
            snapshots = .allocate(capacity: k * shape.horizon)
            snapshots!.initialize(repeating: env, count: k * shape.horizon)
        } else {
            snapshots = nil
        }
        branchReturns = shape.branchWidth > 0 ? Self.lineAligned(steps * shape.branchWidth) : nil
    }

    /// `count` values on their own 64-byte cache lines, so that chunks written by different
    /// threads never share a line (no false sharing).
    static func lineAligned<T>(_ count: Int) -> UnsafeMutablePointer<T> {
        let bytes = (max(count, 1) * MemoryLayout<T>.stride + 63) / 64 * 64
        return UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64).bindMemory(to: T.self, capacity: count)
    }

    /// Zeroes the statistics the batch collects (those of `statistics`, the score sums always).
    func clear(_ statistics: BatchStatistics, visits: Bool) {
        let t = target
        t.score.update(repeating: 0, count: stateActions)
        t.scoreTotal.update(repeating: 0, count: shape.stateCount)
        if visits { t.visits.update(repeating: 0, count: stateActions) }
        if statistics.contains(.returnSums) { t.returnSum.update(repeating: 0, count: stateActions) }
        if statistics.contains(.returnSquares) { t.returnSquareSum.update(repeating: 0, count: shape.stateCount) }
        t.auxiliary.update(repeating: 0)
        counters = ChunkCounters()
        fault = nil
    }

    /// The estimator's view of this chunk's cotangents.
    var cotangents: LogitCotangents {
        LogitCotangents(score: target.score, scoreTotal: target.scoreTotal, auxiliary: target.auxiliary,
                        stateCount: shape.stateCount, actionCount: shape.actionCount)
    }

    /// Adds this chunk's statistics (those collected) into `total`.
    func add(into total: StatisticsPointers, _ statistics: BatchStatistics, visits: Bool) {
        Self.add(own.score, into: total.score, stateActions)
        Self.add(own.scoreTotal, into: total.scoreTotal, shape.stateCount)
        if visits { Self.add(own.visits, into: total.visits, stateActions) }
        if statistics.contains(.returnSums) { Self.add(own.returnSum, into: total.returnSum, stateActions) }
        if statistics.contains(.returnSquares) { Self.add(own.returnSquareSum, into: total.returnSquareSum, shape.stateCount) }
        Self.add(own.auxiliary.baseAddress!, into: total.auxiliary.baseAddress!, own.auxiliary.count)
    }

    @inline(__always)
    static func add(_ values: UnsafeMutablePointer<Double>, into total: UnsafeMutablePointer<Double>, _ n: Int) {
        for i in 0..<n { total[i] += values[i] }
    }

    deinit {
        envs.deinitialize(count: shape.samples)
        envs.deallocate()
        streams.deallocate()
        live.deallocate()
        if let snapshots {
            snapshots.deinitialize(count: shape.samples * shape.horizon)
            snapshots.deallocate()
        }
        for p in [own.score, own.scoreTotal, own.visits, own.returnSum, own.returnSquareSum, rewards, returns, records] {
            UnsafeMutableRawPointer(p).deallocate()
        }
        if let branchReturns { UnsafeMutableRawPointer(branchReturns).deallocate() }
        UnsafeMutableRawPointer(own.auxiliary.baseAddress!).deallocate()
        for p in [states, actions, lengths, current, stepActions] { UnsafeMutableRawPointer(p).deallocate() }
    }
}

extension ChunkCounters {
    /// Adds another chunk's counters.
    mutating func add(_ c: ChunkCounters) {
        episodes += c.episodes; steps += c.steps; terminated += c.terminated; truncated += c.truncated
        optimalActions += c.optimalActions
        branchEpisodes += c.branchEpisodes; branchSteps += c.branchSteps
        episodeReturnSum += c.episodeReturnSum; episodeReturnSquareSum += c.episodeReturnSquareSum
    }
}
