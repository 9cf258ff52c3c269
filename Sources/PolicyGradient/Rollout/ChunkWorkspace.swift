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

/// Scratch owned by one chunk of a batch: the environment copy, K episode buffers, the
/// estimator's records and scratch, and the chunk's per-state statistics, all allocated once;
/// the rollout allocates nothing per step.
final class ChunkWorkspace<E: Environment, X: GradientEstimator> {
    /// The chunk's own environment value, stepped in place (never copied per batch, so no
    /// reference count it shares with other chunks is touched while rolling out).
    let env: UnsafeMutablePointer<E>
    var counters = ChunkCounters()
    var fault: RolloutFault?
    var scratch: X.Scratch
    /// Per-state statistics (see ``BatchAccumulator`` for their meaning): S × A or S entries.
    let score: UnsafeMutablePointer<Double>
    let scoreTotal: UnsafeMutablePointer<Double>
    let visits: UnsafeMutablePointer<Double>
    let returnSum: UnsafeMutablePointer<Double>
    let returnSquareSum: UnsafeMutablePointer<Double>
    let auxiliary: UnsafeMutableBufferPointer<Double>
    /// K × H buffers of one group of episodes, and K × H × W records.
    let states: UnsafeMutablePointer<Int>
    let actions: UnsafeMutablePointer<Int>
    let rewards: UnsafeMutablePointer<Double>
    let returns: UnsafeMutablePointer<Double>
    let records: UnsafeMutablePointer<Double>
    let lengths: UnsafeMutablePointer<Int>
    let stateActions: Int, stateCount: Int

    init(env: E, estimator: X, samples k: Int, recordWidth: Int, auxiliaryCount: Int) {
        self.env = .allocate(capacity: 1)
        self.env.initialize(to: env)
        let h = env.timeLimit, a = env.actionCount
        stateCount = env.stateCount
        stateActions = stateCount * a
        scratch = estimator.makeScratch(actionCount: a, featureCount: env.featureLength)
        score = Self.lineAligned(stateActions)
        visits = Self.lineAligned(stateActions)
        returnSum = Self.lineAligned(stateActions)
        scoreTotal = Self.lineAligned(stateCount)
        returnSquareSum = Self.lineAligned(stateCount)
        auxiliary = UnsafeMutableBufferPointer(start: Self.lineAligned(auxiliaryCount), count: auxiliaryCount)
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

    /// Zeroes the statistics.
    func clear() {
        score.update(repeating: 0, count: stateActions)
        visits.update(repeating: 0, count: stateActions)
        returnSum.update(repeating: 0, count: stateActions)
        scoreTotal.update(repeating: 0, count: stateCount)
        returnSquareSum.update(repeating: 0, count: stateCount)
        auxiliary.update(repeating: 0)
        counters = ChunkCounters()
        fault = nil
    }

    /// The estimator's view of this chunk's cotangents.
    var cotangents: LogitCotangents {
        LogitCotangents(score: score, scoreTotal: scoreTotal, auxiliary: auxiliary, actionCount: stateActions / stateCount)
    }

    /// Adds this chunk's statistics to `total`.
    func add(to total: inout BatchAccumulator) { merge(into: &total, replacing: false) }

    /// Overwrites `total` with this chunk's statistics (the first chunk of a reduction).
    func store(into total: inout BatchAccumulator) { merge(into: &total, replacing: true) }

    @inline(__always)
    private func merge(into total: inout BatchAccumulator, replacing: Bool) {
        Self.merge(score, into: &total.score, replacing: replacing)
        Self.merge(visits, into: &total.visits, replacing: replacing)
        Self.merge(returnSum, into: &total.returnSum, replacing: replacing)
        Self.merge(scoreTotal, into: &total.scoreTotal, replacing: replacing)
        Self.merge(returnSquareSum, into: &total.returnSquareSum, replacing: replacing)
        Self.merge(auxiliary.baseAddress!, into: &total.auxiliary, replacing: replacing)
        let c = counters
        if replacing {
            total.episodes = 0; total.steps = 0; total.terminated = 0; total.truncated = 0; total.optimalActions = 0
            total.episodeReturnSum = 0; total.episodeReturnSquareSum = 0
        }
        total.episodes += c.episodes; total.steps += c.steps
        total.terminated += c.terminated; total.truncated += c.truncated
        total.optimalActions += c.optimalActions
        total.episodeReturnSum += c.episodeReturnSum; total.episodeReturnSquareSum += c.episodeReturnSquareSum
    }

    /// `total[i] += values[i]` (or `=` when `replacing`) for every i.
    @inline(__always)
    static func merge(_ values: UnsafeMutablePointer<Double>, into total: inout [Double], replacing: Bool) {
        total.withUnsafeMutableBufferPointer { t in
            if replacing {
                for i in t.indices { t[i] = values[i] }
            } else {
                for i in t.indices { t[i] += values[i] }
            }
        }
    }

    deinit {
        env.deinitialize(count: 1)
        env.deallocate()
        for p in [score, scoreTotal, visits, returnSum, returnSquareSum, rewards, returns, records] {
            UnsafeMutableRawPointer(p).deallocate()
        }
        UnsafeMutableRawPointer(auxiliary.baseAddress!).deallocate()
        for p in [states, actions, lengths] { UnsafeMutableRawPointer(p).deallocate() }
    }
}
