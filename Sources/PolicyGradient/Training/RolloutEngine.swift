import Dispatch

/// Collects a batch of episodes and its gradient statistics, in parallel and deterministically.
///
/// The batch's groups (contexts) are split into a fixed number of chunks that depends only on
/// the batch size; worker threads take chunks round-robin, and the chunks' statistics are
/// summed in chunk order. Every draw comes from a stream derived from (seed, iteration,
/// episode), so the result is bit-for-bit the same for any thread count.
public final class RolloutEngine<E: Environment> {
    /// The environment (copied into every chunk).
    public let environment: E
    /// Episodes per context.
    public let samples: Int
    /// Feature matrix S × F.
    public let features: [Double]
    /// Thread count (≥ 1).
    public var threads: Int
    /// The arm with the highest expected reward, for one-step single-state environments.
    public let optimalAction: Int?
    let differentiable: (any DifferentiableReward)?
    var workspaces: [ChunkWorkspace<E>] = []
    /// The reduced statistics of the last batch.
    public private(set) var total: BatchAccumulator

    /// The most chunks a batch is split into.
    public static var maximumChunks: Int { 32 }

    /// Creates an engine.
    public init(environment: E, samples: Int, threads: Int) {
        self.environment = environment
        self.samples = samples
        self.threads = max(1, threads)
        features = environment.featureMatrix()
        differentiable = environment as? any DifferentiableReward
        total = BatchAccumulator(stateCount: environment.stateCount, actionCount: environment.actionCount)
        if let known = environment as? any KnownDynamics, environment.stateCount == 1, environment.timeLimit == 1 {
            let m = known.model
            optimalAction = (0..<m.actionCount).max { m.expectedReward(state: 0, action: $0) < m.expectedReward(state: 0, action: $1) }
        } else {
            optimalAction = nil
        }
    }

    /// Rolls out `groups` contexts × ``samples`` episodes for `iteration` and reduces their statistics into ``total``.
    /// - Complexity: O(steps) plus O(chunks · S · A) for the reduction; allocates nothing per step.
    public func collect(groups: Int, seed: UInt64, iteration: Int, table: PolicyTable, signal: BatchSignal) {
        let chunks = min(groups, RolloutEngine.maximumChunks)
        while workspaces.count < chunks { workspaces.append(ChunkWorkspace(env: environment, samples: samples)) }
        // Chunk c holds groups c·G/C ..< (c+1)·G/C: balanced, never empty, and fixed by the batch size.
        let body = { (c: Int) in
            let ws = self.workspaces[c]
            ws.accumulator.clear()
            var env = ws.env
            for g in (c * groups / chunks)..<((c + 1) * groups / chunks) {
                self.runGroup(g, env: &env, ws: ws, seed: seed, iteration: iteration, table: table, signal: signal)
            }
            ws.env = env
        }
        let workers = min(threads, chunks)
        if workers <= 1 {
            for c in 0..<chunks { body(c) }
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var c = w
                while c < chunks { body(c); c += workers }
            }
        }
        total.clear()
        for c in 0..<chunks { total.add(workspaces[c].accumulator) }
    }

    /// One context: K episodes from the same start, then their REINFORCE terms.
    @inline(__always)
    func runGroup(_ g: Int, env: inout E, ws: ChunkWorkspace<E>, seed: UInt64, iteration: Int,
                  table: PolicyTable, signal: BatchSignal) {
        let h = environment.timeLimit
        let startStream = RandomStream(seed: seed, iteration: iteration, episode: -1 - g)
        for j in 0..<samples {
            var resetStream = startStream
            var state = env.reset(using: &resetStream)
            var rng = RandomStream(seed: seed, iteration: iteration, episode: g * samples + j)
            let base = j * h
            var t = 0, discount = 1.0
            var ended = false
            while !ended {
                let a = signal.estimator == .reinforce
                    ? table.sample(state: state, uniform: rng.nextUniform())
                    : gumbelStep(state: state, discount: discount, ws: ws, table: table, signal: signal, rng: &rng)
                let step = env.step(a, using: &rng)
                ws.states[base + t] = state
                ws.actions[base + t] = a
                ws.rewards[base + t] = step.reward
                t += 1
                discount *= signal.gamma
                if step.terminated {
                    ws.accumulator.terminated += 1; ended = true
                } else if step.truncated || t >= h {
                    ws.accumulator.truncated += 1; ended = true
                }
                state = step.state
            }
            ws.lengths[j] = t
            var g = 0.0
            for i in stride(from: base + t - 1, through: base, by: -1) {
                g = ws.rewards[i] + signal.gamma * g
                ws.returns[i] = g
            }
        }
        accumulateGroup(ws: ws, table: table, signal: signal)
    }

    /// Adds the group's per-step statistics and REINFORCE coefficients γᵗ (G_t − b_t)/N.
    @inline(__always)
    func accumulateGroup(ws: ChunkWorkspace<E>, table: PolicyTable, signal: BatchSignal) {
        let h = environment.timeLimit, a = environment.actionCount, k = samples
        let reinforce = signal.estimator == .reinforce
        for j in 0..<k {
            let base = j * h, len = ws.lengths[j]
            let g0 = ws.returns[base]
            ws.accumulator.episodes += 1
            ws.accumulator.episodeReturnSum += g0
            ws.accumulator.episodeReturnSquareSum += g0 * g0
            ws.accumulator.steps += len
            if let opt = optimalAction, ws.actions[base] == opt { ws.accumulator.optimalActions += 1 }
            var discount = signal.inverseEpisodes
            for t in 0..<len {
                let s = ws.states[base + t], sa = s * a + ws.actions[base + t], gt = ws.returns[base + t]
                ws.accumulator.visits[sa] += 1
                ws.accumulator.returnSum[sa] += gt
                ws.accumulator.returnSquareSum[s] += gt * gt
                if reinforce {
                    let c = discount * (gt - baseline(signal, group: ws, episode: j, step: t, state: s))
                    ws.accumulator.score[sa] += c
                    ws.accumulator.scoreTotal[s] += c
                }
                discount *= signal.gamma
            }
        }
    }

    /// b_t for episode j of the group at step t.
    @inline(__always)
    func baseline(_ signal: BatchSignal, group ws: ChunkWorkspace<E>, episode j: Int, step t: Int, state s: Int) -> Double {
        switch signal.baseline {
        case .none: return 0
        case .ema: return signal.center
        case .nvil: return signal.center + signal.stateBaseline[s]
        case .vimco:
            let h = environment.timeLimit
            var sum = 0.0
            for i in 0..<samples where i != j && t < ws.lengths[i] { sum += ws.returns[i * h + t] }
            return sum / Double(samples - 1)
        }
    }
}
