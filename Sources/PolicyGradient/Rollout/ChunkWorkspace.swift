/// Scalar statistics of one chunk, kept in a local variable during the rollout.
struct ChunkCounters {
    var episodes = 0, steps = 0, terminated = 0, truncated = 0, optimalActions = 0
    var episodeReturnSum = 0.0, episodeReturnSquareSum = 0.0, surrogateSum = 0.0
}

/// Raw, read-only views of what a batch's rollout reads (the policy table, the baselines'
/// per-state values, the features). A trivially copyable struct: worker threads that share
/// it touch no reference counts.
struct RolloutContext {
    let cumulative: UnsafePointer<Double>
    let logProbabilities: UnsafePointer<Double>
    let stateBaseline: UnsafePointer<Double>?
    let features: UnsafePointer<Double>
    let critic: UnsafePointer<Critic>?
    let seed: UInt64
    let iteration: Int
    let estimator: EstimatorKind
    let baseline: BaselineKind
    let gamma: Double
    let inverseEpisodes: Double
    let center: Double
    let temperature: Double
}

/// Scratch owned by one chunk of a batch: the environment copy, K episode buffers and the
/// chunk's per-state statistics, all allocated once; the rollout allocates nothing per step.
final class ChunkWorkspace<E: Environment> {
    /// The chunk's own environment value, stepped in place (never copied per batch, so no
    /// reference count it shares with other chunks is touched while rolling out).
    let env: UnsafeMutablePointer<E>
    var counters = ChunkCounters()
    /// Per-state statistics (see ``BatchAccumulator`` for their meaning): S × A or S entries.
    let score: UnsafeMutablePointer<Double>
    let scoreTotal: UnsafeMutablePointer<Double>
    let visits: UnsafeMutablePointer<Double>
    let returnSum: UnsafeMutablePointer<Double>
    let returnSquareSum: UnsafeMutablePointer<Double>
    /// K × H buffers of one group of episodes.
    let states: UnsafeMutablePointer<Int>
    let actions: UnsafeMutablePointer<Int>
    let rewards: UnsafeMutablePointer<Double>
    let returns: UnsafeMutablePointer<Double>
    let lengths: UnsafeMutablePointer<Int>
    /// Per-step Gumbel scratch: perturbed logits, y, ∇f, and critic input (F + A).
    let perturbed: UnsafeMutableBufferPointer<Double>
    let relaxed: UnsafeMutableBufferPointer<Double>
    let signal: UnsafeMutableBufferPointer<Double>
    let criticInput: UnsafeMutableBufferPointer<Double>
    let stateActions: Int, stateCount: Int

    init(env: E, samples k: Int) {
        self.env = .allocate(capacity: 1)
        self.env.initialize(to: env)
        let h = env.timeLimit, a = env.actionCount
        stateCount = env.stateCount
        stateActions = stateCount * a
        score = ChunkWorkspace.lineAligned(stateActions)
        visits = ChunkWorkspace.lineAligned(stateActions)
        returnSum = ChunkWorkspace.lineAligned(stateActions)
        scoreTotal = ChunkWorkspace.lineAligned(stateCount)
        returnSquareSum = ChunkWorkspace.lineAligned(stateCount)
        states = ChunkWorkspace.lineAligned(k * h)
        actions = ChunkWorkspace.lineAligned(k * h)
        rewards = ChunkWorkspace.lineAligned(k * h)
        returns = ChunkWorkspace.lineAligned(k * h)
        lengths = ChunkWorkspace.lineAligned(k)
        perturbed = UnsafeMutableBufferPointer(start: ChunkWorkspace.lineAligned(a), count: a)
        relaxed = UnsafeMutableBufferPointer(start: ChunkWorkspace.lineAligned(a), count: a)
        signal = UnsafeMutableBufferPointer(start: ChunkWorkspace.lineAligned(a), count: a)
        criticInput = UnsafeMutableBufferPointer(start: ChunkWorkspace.lineAligned(env.featureCount + a),
                                                 count: env.featureCount + a)
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
        counters = ChunkCounters()
    }

    /// Adds this chunk's statistics to `total`.
    func add(to total: inout BatchAccumulator) { merge(into: &total, replacing: false) }

    /// Overwrites `total` with this chunk's statistics (the first chunk of a reduction).
    func store(into total: inout BatchAccumulator) { merge(into: &total, replacing: true) }

    @inline(__always)
    private func merge(into total: inout BatchAccumulator, replacing: Bool) {
        ChunkWorkspace.merge(score, into: &total.score, replacing: replacing)
        ChunkWorkspace.merge(visits, into: &total.visits, replacing: replacing)
        ChunkWorkspace.merge(returnSum, into: &total.returnSum, replacing: replacing)
        ChunkWorkspace.merge(scoreTotal, into: &total.scoreTotal, replacing: replacing)
        ChunkWorkspace.merge(returnSquareSum, into: &total.returnSquareSum, replacing: replacing)
        let c = counters
        if replacing {
            total.episodes = 0; total.steps = 0; total.terminated = 0; total.truncated = 0; total.optimalActions = 0
            total.episodeReturnSum = 0; total.episodeReturnSquareSum = 0; total.surrogateSum = 0
        }
        total.episodes += c.episodes; total.steps += c.steps
        total.terminated += c.terminated; total.truncated += c.truncated
        total.optimalActions += c.optimalActions
        total.episodeReturnSum += c.episodeReturnSum; total.episodeReturnSquareSum += c.episodeReturnSquareSum
        total.surrogateSum += c.surrogateSum
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
        for p in [score, scoreTotal, visits, returnSum, returnSquareSum, rewards, returns] { UnsafeMutableRawPointer(p).deallocate() }
        for p in [states, actions, lengths] { UnsafeMutableRawPointer(p).deallocate() }
        for p in [perturbed, relaxed, signal, criticInput] { UnsafeMutableRawPointer(p.baseAddress!).deallocate() }
    }
}
