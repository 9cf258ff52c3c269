/// Scalar statistics of one chunk, kept in a local variable during the rollout.
struct ChunkCounters {
    var episodes = 0, steps = 0, terminated = 0, truncated = 0, optimalActions = 0
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

/// Scratch owned by one chunk of a batch: the environment copy, K episode buffers, the
/// estimator's records and scratch, and the chunk's per-state statistics, all allocated once;
/// the rollout allocates nothing per step. Everything is reached through raw pointers, so the
/// rollout touches no reference count and pays for no exclusivity check.
final class ChunkWorkspace<E: Environment, X: GradientEstimator> {
    /// The chunk's own environment value, stepped in place.
    let env: UnsafeMutablePointer<E>
    /// The estimator's scratch for this chunk.
    let scratch: UnsafeMutablePointer<X.Scratch>
    @exclusivity(unchecked) var counters = ChunkCounters()
    @exclusivity(unchecked) var fault: RolloutFault?
    /// The chunk's own statistics storage.
    let own: StatisticsPointers
    /// Where the current batch's statistics go (``own``, or the batch's accumulator for chunk 0).
    @exclusivity(unchecked) var target: StatisticsPointers
    /// K × H buffers of one group of episodes, and K × H × W records.
    let states: UnsafeMutablePointer<Int>
    let actions: UnsafeMutablePointer<Int>
    let rewards: UnsafeMutablePointer<Double>
    let returns: UnsafeMutablePointer<Double>
    let records: UnsafeMutablePointer<Double>
    let lengths: UnsafeMutablePointer<Int>
    let stateActions: Int, stateCount: Int, actionCount: Int

    init(env: E, estimator: X, samples k: Int, recordWidth: Int, auxiliaryCount: Int) {
        self.env = .allocate(capacity: 1)
        self.env.initialize(to: env)
        let h = env.timeLimit, a = env.actionCount
        stateCount = env.stateCount
        actionCount = a
        stateActions = stateCount * a
        scratch = .allocate(capacity: 1)
        scratch.initialize(to: estimator.makeScratch(actionCount: a, featureCount: env.featureLength))
        own = StatisticsPointers(score: Self.lineAligned(stateActions), scoreTotal: Self.lineAligned(stateCount),
                                 visits: Self.lineAligned(stateActions), returnSum: Self.lineAligned(stateActions),
                                 returnSquareSum: Self.lineAligned(stateCount),
                                 auxiliary: UnsafeMutableBufferPointer(start: Self.lineAligned(auxiliaryCount), count: auxiliaryCount))
        target = own
        states = Self.lineAligned(k * h)
        actions = Self.lineAligned(k * h)
        rewards = Self.lineAligned(k * h)
        returns = Self.lineAligned(k * h)
        records = Self.lineAligned(k * h * recordWidth)
        lengths = Self.lineAligned(k)
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
        t.scoreTotal.update(repeating: 0, count: stateCount)
        if visits { t.visits.update(repeating: 0, count: stateActions) }
        if statistics.contains(.returnSums) { t.returnSum.update(repeating: 0, count: stateActions) }
        if statistics.contains(.returnSquares) { t.returnSquareSum.update(repeating: 0, count: stateCount) }
        t.auxiliary.update(repeating: 0)
        counters = ChunkCounters()
        fault = nil
    }

    /// The estimator's view of this chunk's cotangents.
    var cotangents: LogitCotangents {
        LogitCotangents(score: target.score, scoreTotal: target.scoreTotal, auxiliary: target.auxiliary, actionCount: actionCount)
    }

    /// Adds this chunk's statistics (those collected) into `total`.
    func add(into total: StatisticsPointers, _ statistics: BatchStatistics, visits: Bool) {
        Self.add(own.score, into: total.score, stateActions)
        Self.add(own.scoreTotal, into: total.scoreTotal, stateCount)
        if visits { Self.add(own.visits, into: total.visits, stateActions) }
        if statistics.contains(.returnSums) { Self.add(own.returnSum, into: total.returnSum, stateActions) }
        if statistics.contains(.returnSquares) { Self.add(own.returnSquareSum, into: total.returnSquareSum, stateCount) }
        Self.add(own.auxiliary.baseAddress!, into: total.auxiliary.baseAddress!, own.auxiliary.count)
    }

    @inline(__always)
    static func add(_ values: UnsafeMutablePointer<Double>, into total: UnsafeMutablePointer<Double>, _ n: Int) {
        for i in 0..<n { total[i] += values[i] }
    }

    deinit {
        env.deinitialize(count: 1)
        env.deallocate()
        scratch.deinitialize(count: 1)
        scratch.deallocate()
        for p in [own.score, own.scoreTotal, own.visits, own.returnSum, own.returnSquareSum, rewards, returns, records] {
            UnsafeMutableRawPointer(p).deallocate()
        }
        UnsafeMutableRawPointer(own.auxiliary.baseAddress!).deallocate()
        for p in [states, actions, lengths] { UnsafeMutableRawPointer(p).deallocate() }
    }
}

extension ChunkCounters {
    /// Adds another chunk's counters.
    mutating func add(_ c: ChunkCounters) {
        episodes += c.episodes; steps += c.steps; terminated += c.terminated; truncated += c.truncated
        optimalActions += c.optimalActions
        episodeReturnSum += c.episodeReturnSum; episodeReturnSquareSum += c.episodeReturnSquareSum
    }
}
