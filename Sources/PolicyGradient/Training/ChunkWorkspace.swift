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
    var env: E
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
        self.env = env
        let h = env.timeLimit, a = env.actionCount
        stateCount = env.stateCount
        stateActions = stateCount * a
        score = .allocate(capacity: stateActions)
        visits = .allocate(capacity: stateActions)
        returnSum = .allocate(capacity: stateActions)
        scoreTotal = .allocate(capacity: stateCount)
        returnSquareSum = .allocate(capacity: stateCount)
        states = .allocate(capacity: k * h)
        actions = .allocate(capacity: k * h)
        rewards = .allocate(capacity: k * h)
        returns = .allocate(capacity: k * h)
        lengths = .allocate(capacity: k)
        perturbed = .allocate(capacity: a)
        relaxed = .allocate(capacity: a)
        signal = .allocate(capacity: a)
        criticInput = .allocate(capacity: env.featureCount + a)
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
    func add(to total: inout BatchAccumulator) {
        for i in 0..<stateActions {
            total.score[i] += score[i]; total.visits[i] += visits[i]; total.returnSum[i] += returnSum[i]
        }
        for s in 0..<stateCount {
            total.scoreTotal[s] += scoreTotal[s]; total.returnSquareSum[s] += returnSquareSum[s]
        }
        let c = counters
        total.episodes += c.episodes; total.steps += c.steps
        total.terminated += c.terminated; total.truncated += c.truncated
        total.optimalActions += c.optimalActions
        total.episodeReturnSum += c.episodeReturnSum; total.episodeReturnSquareSum += c.episodeReturnSquareSum
        total.surrogateSum += c.surrogateSum
    }

    deinit {
        for p in [score, scoreTotal, visits, returnSum, returnSquareSum, rewards, returns] { p.deallocate() }
        states.deallocate(); actions.deallocate(); lengths.deallocate()
        perturbed.deallocate(); relaxed.deallocate(); signal.deallocate(); criticInput.deallocate()
    }
}
