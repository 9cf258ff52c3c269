
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
    let horizon: Int, actionCount: Int
    /// One workspace per chunk, allocated up front.
    let workspaces: [ChunkWorkspace<E>]

    /// The most chunks a batch is split into.
    public static var maximumChunks: Int { 32 }

    /// Chunks of a batch of `groups` contexts (a function of the batch alone, never of the threads).
    public static func chunkCount(groups: Int) -> Int { max(1, min(groups, maximumChunks)) }

    /// Creates an engine for batches of `groups` contexts × `samples` episodes.
    public init(environment: E, samples: Int, groups: Int, threads: Int) {
        self.environment = environment
        self.samples = samples
        self.threads = max(1, threads)
        horizon = environment.timeLimit
        actionCount = environment.actionCount
        features = environment.featureMatrix()
        workspaces = (0..<RolloutEngine.chunkCount(groups: groups)).map { _ in
            ChunkWorkspace(env: environment, samples: samples)
        }
        differentiable = environment as? any DifferentiableReward
        if let known = environment as? any KnownDynamics, environment.stateCount == 1, environment.timeLimit == 1 {
            let m = known.model
            optimalAction = (0..<m.actionCount).max { m.expectedReward(state: 0, action: $0) < m.expectedReward(state: 0, action: $1) }
        } else {
            optimalAction = nil
        }
    }

    /// Rolls out `groups` contexts × ``samples`` episodes for `iteration` and writes their
    /// reduced statistics into `total` (cleared first).
    /// - Complexity: O(steps) plus O(chunks · S · A) for the reduction; allocates nothing per step.
    public func collect(groups: Int, seed: UInt64, iteration: Int, table: PolicyTable, signal: BatchSignal,
                        into total: inout BatchAccumulator) {
        let chunks = RolloutEngine.chunkCount(groups: groups)
        precondition(chunks <= workspaces.count, "the engine was made for smaller batches")
        table.cumulative.withUnsafeBufferPointer { cdf in
            table.logProbabilities.withUnsafeBufferPointer { lp in
                features.withUnsafeBufferPointer { x in
                    signal.stateBaseline.withUnsafeBufferPointer { b in
                        withCritic(signal.critic) { critic in
                            let ctx = RolloutContext(
                                cumulative: cdf.baseAddress!, logProbabilities: lp.baseAddress!, stateBaseline: b.baseAddress,
                                features: x.baseAddress!, critic: critic, seed: seed, iteration: iteration,
                                estimator: signal.estimator, baseline: signal.baseline, gamma: signal.gamma,
                                inverseEpisodes: signal.inverseEpisodes, center: signal.center, temperature: signal.temperature)
                            run(chunks: chunks, groups: groups, ctx: ctx)
                        }
                    }
                }
            }
        }
        workspaces[0].store(into: &total)
        for c in 1..<chunks { workspaces[c].add(to: &total) }
    }

    /// Calls `body` with a pointer to the critic (valid during the call), or nil.
    func withCritic(_ critic: Critic?, _ body: (UnsafePointer<Critic>?) -> Void) {
        guard let critic else { return body(nil) }
        withUnsafePointer(to: critic) { body($0) }
    }

    /// Runs every chunk, on the calling thread or on `threads` workers taking chunks
    /// round-robin (see ``WorkerPool``).
    func run(chunks: Int, groups: Int, ctx: RolloutContext) {
        let workers = min(threads, chunks)
        // Read the workspaces through a buffer pointer: indexing the array from two threads
        // would retain and release its shared buffer, a contended reference count.
        workspaces.withUnsafeBufferPointer { spaces in
            if workers <= 1 {
                for c in 0..<chunks { runChunk(c, on: spaces[c], chunks: chunks, groups: groups, ctx: ctx) }
                return
            }
            WorkerPool.shared(width: workers).run { w in
                var c = w
                while c < chunks {
                    runChunk(c, on: spaces[c], chunks: chunks, groups: groups, ctx: ctx)
                    c += workers
                }
            }
        }
    }

    /// The groups of chunk `c`, on the chunk's own workspace. Chunk c holds groups
    /// c·G/C ..< (c+1)·G/C: balanced, never empty, and fixed by the batch size.
    func runChunk(_ c: Int, on ws: ChunkWorkspace<E>, chunks: Int, groups: Int, ctx: RolloutContext) {
        ws.clear()
        var counters = ChunkCounters()
        for g in (c * groups / chunks)..<((c + 1) * groups / chunks) {
            runGroup(g, env: &ws.env.pointee, ws: ws, counters: &counters, ctx: ctx)
        }
        ws.counters = counters
    }

    /// One context: K episodes from the same start, then their statistics and REINFORCE terms.
    @inline(__always)
    func runGroup(_ g: Int, env: inout E, ws: ChunkWorkspace<E>, counters: inout ChunkCounters, ctx: RolloutContext) {
        let h = horizon, a = actionCount, gamma = ctx.gamma
        let reinforce = ctx.estimator == .reinforce
        let startStream = RandomStream(seed: ctx.seed, iteration: ctx.iteration, episode: -1 - g)
        for j in 0..<samples {
            var resetStream = startStream
            var state = env.reset(using: &resetStream)
            var rng = RandomStream(seed: ctx.seed, iteration: ctx.iteration, episode: g * samples + j)
            let base = j * h
            var t = 0, discount = 1.0
            while true {
                let action: Int
                if reinforce {
                    let u = rng.nextUniform(), row = ctx.cumulative + state * a
                    var k = 0
                    while k < a - 1 && u >= row[k] { k += 1 }
                    action = k
                } else {
                    action = gumbelStep(state: state, discount: discount, ws: ws, counters: &counters, ctx: ctx,
                                        rng: &rng)
                }
                let step = env.step(action, using: &rng)
                ws.states[base + t] = state
                ws.actions[base + t] = action
                ws.rewards[base + t] = step.reward
                t += 1
                discount *= gamma
                state = step.state
                if step.terminated { counters.terminated += 1; break }
                if step.truncated || t >= h { counters.truncated += 1; break }
            }
            ws.lengths[j] = t
            var ret = 0.0
            for i in stride(from: base + t - 1, through: base, by: -1) {
                ret = ws.rewards[i] + gamma * ret
                ws.returns[i] = ret
            }
        }
        accumulateGroup(ws: ws, counters: &counters, ctx: ctx)
    }

    /// Adds the group's per-step statistics and REINFORCE coefficients γᵗ (G_t − b_t)/N.
    @inline(__always)
    func accumulateGroup(ws: ChunkWorkspace<E>, counters: inout ChunkCounters, ctx: RolloutContext) {
        let h = horizon, a = actionCount
        let reinforce = ctx.estimator == .reinforce
        for j in 0..<samples {
            let base = j * h, len = ws.lengths[j]
            let g0 = ws.returns[base]
            counters.episodes += 1
            counters.episodeReturnSum += g0
            counters.episodeReturnSquareSum += g0 * g0
            counters.steps += len
            if let opt = optimalAction, ws.actions[base] == opt { counters.optimalActions += 1 }
            var weight = ctx.inverseEpisodes
            for t in 0..<len {
                let s = ws.states[base + t], sa = s * a + ws.actions[base + t], gt = ws.returns[base + t]
                ws.visits[sa] += 1
                ws.returnSum[sa] += gt
                ws.returnSquareSum[s] += gt * gt
                if reinforce {
                    let c = weight * (gt - baseline(ws: ws, ctx: ctx, episode: j, step: t, state: s))
                    ws.score[sa] += c
                    ws.scoreTotal[s] += c
                }
                weight *= ctx.gamma
            }
        }
    }

    /// b_t for episode j of the group at step t.
    @inline(__always)
    func baseline(ws: ChunkWorkspace<E>, ctx: RolloutContext, episode j: Int, step t: Int, state s: Int) -> Double {
        switch ctx.baseline {
        case .none: return 0
        case .ema: return ctx.center
        case .nvil: return ctx.center + ctx.stateBaseline![s]
        case .vimco:
            var sum = 0.0
            for i in 0..<samples where i != j && t < ws.lengths[i] { sum += ws.returns[i * horizon + t] }
            return sum / Double(samples - 1)
        }
    }
}
