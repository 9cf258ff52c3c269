/// Collects a batch of episodes and its gradient statistics, in parallel and deterministically.
///
/// The batch's contexts (groups of K episodes from one start) are split into a fixed number of
/// chunks that depends only on the batch size; worker threads take chunks round-robin, and the
/// chunks' statistics are summed in chunk order. Every draw comes from a stream derived from
/// (seed, iteration, episode), so the result is bit-for-bit the same for any thread count.
///
/// The engine draws actions as the estimator's ``GradientEstimator/sampling`` says, steps the
/// environment, checks every state and action against the declared sizes, computes the
/// returns, and hands each group to the estimator; it knows nothing of any particular estimator.
public final class RolloutEngine<E: Environment, X: GradientEstimator> {
    /// The environment (copied into every chunk).
    public let environment: E
    /// Episodes per context K.
    public let samples: Int
    /// The environment's state features.
    public let features: StateFeatures
    /// Thread count (≥ 1).
    public var threads: Int
    /// The arm with the highest expected reward, for one-step single-state environments.
    public let optimalAction: Int?
    let horizon: Int, actionCount: Int, stateCount: Int, recordWidth: Int
    /// One workspace per chunk, allocated up front.
    let workspaces: [ChunkWorkspace<E, X>]

    /// The most chunks a batch is split into.
    public static var maximumChunks: Int { 32 }

    /// Chunks of a batch of `groups` contexts (a function of the batch alone, never of the threads).
    public static func chunkCount(groups: Int) -> Int { max(1, min(groups, maximumChunks)) }

    /// Creates an engine for batches of `groups` contexts × `estimator.samplesPerContext` episodes.
    /// - Throws: ``InputError`` if the environment's feature matrix is too large.
    /// - Parameter features: the environment's features, if already built (else built here).
    public init(environment: E, estimator: X, groups: Int, threads: Int, features: StateFeatures? = nil) throws {
        self.environment = environment
        samples = estimator.samplesPerContext
        self.threads = max(1, threads)
        horizon = environment.timeLimit
        actionCount = environment.actionCount
        stateCount = environment.stateCount
        recordWidth = estimator.recordWidth(actionCount: environment.actionCount)
        precondition(X.sampling != .gumbelMax || recordWidth >= actionCount,
                     "Gumbel-max sampling records the A perturbed logits of every step")
        self.features = try features ?? environment.stateFeatures()
        let aux = estimator.auxiliaryCount(stateCount: stateCount, actionCount: actionCount)
        workspaces = (0..<RolloutEngine.chunkCount(groups: groups)).map { _ in
            ChunkWorkspace(env: environment, estimator: estimator, samples: estimator.samplesPerContext,
                           recordWidth: estimator.recordWidth(actionCount: environment.actionCount), auxiliaryCount: aux)
        }
        if let known = environment as? any KnownDynamics, environment.stateCount == 1, environment.timeLimit == 1 {
            let m = known.model
            optimalAction = (0..<m.actionCount).max { m.expectedReward(state: 0, action: $0) < m.expectedReward(state: 0, action: $1) }
        } else {
            optimalAction = nil
        }
    }

    /// What one batch reads: the policy, the estimator and the stream's coordinates.
    struct Batch {
        let policy: PolicyView
        let features: FeatureRows
        let estimator: UnsafePointer<X>
        let seed: UInt64
        let iteration: Int
        let gamma: Double
        let weight: Double
        let groups: Int
        let chunks: Int
    }

    /// Rolls out `groups` contexts × ``samples`` episodes for `iteration` and writes their
    /// reduced statistics into `total` (cleared first).
    /// - Throws: ``InputError`` naming the environment, the state or action, and the step, if
    ///   the environment returned a state out of range (or the estimator an action out of range).
    /// - Complexity: O(steps) plus O(chunks · S · A) for the reduction; allocates nothing per step.
    public func collect(groups: Int, seed: UInt64, iteration: Int, gamma: Double, table: PolicyTable, estimator: X,
                        into total: inout BatchAccumulator) throws {
        let chunks = RolloutEngine.chunkCount(groups: groups)
        precondition(chunks <= workspaces.count, "the engine was made for smaller batches")
        let weight = 1 / Double(groups * samples)
        table.logProbabilities.withUnsafeBufferPointer { lp in
            table.probabilities.withUnsafeBufferPointer { p in
                table.cumulative.withUnsafeBufferPointer { cdf in
                    features.withRows { rows in
                        withUnsafePointer(to: estimator) { x in
                            let view = PolicyView(logProbabilities: lp.baseAddress!, probabilities: p.baseAddress!,
                                                  cumulative: cdf.baseAddress!, actionCount: actionCount)
                            run(Batch(policy: view, features: rows, estimator: x, seed: seed, iteration: iteration,
                                      gamma: gamma, weight: weight, groups: groups, chunks: chunks))
                        }
                    }
                }
            }
        }
        for c in 0..<chunks { if let f = workspaces[c].fault { throw fault(f) } }
        workspaces[0].store(into: &total)
        for c in 1..<chunks { workspaces[c].add(to: &total) }
    }

    /// The error for a state or action out of range.
    func fault(_ f: RolloutFault) -> InputError {
        let what = f.state.map { "returned state \($0), not in 0..<\(stateCount)" }
            ?? "was given action \(f.action ?? -1), not in 0..<\(actionCount), by the estimator"
        let when = f.step < 0 ? "reset of episode \(f.episode)" : "step \(f.step) of episode \(f.episode)"
        return InputError("environment \(environment.id): \(when) \(what) (pg check --env NAME tests the contract)")
    }

    /// Runs every chunk, on the calling thread or on `threads` workers taking chunks
    /// round-robin (see ``WorkerPool``).
    func run(_ batch: Batch) {
        let workers = min(threads, batch.chunks)
        // Read the workspaces through a buffer pointer: indexing the array from two threads
        // would retain and release its shared buffer, a contended reference count.
        workspaces.withUnsafeBufferPointer { spaces in
            if workers <= 1 {
                for c in 0..<batch.chunks { runChunk(c, on: spaces[c], batch) }
                return
            }
            WorkerPool.shared(width: workers).run { w in
                var c = w
                while c < batch.chunks {
                    runChunk(c, on: spaces[c], batch)
                    c += workers
                }
            }
        }
    }

    /// The groups of chunk `c`, on the chunk's own workspace. Chunk c holds groups
    /// c·G/C ..< (c+1)·G/C: balanced, never empty, and fixed by the batch size.
    func runChunk(_ c: Int, on ws: ChunkWorkspace<E, X>, _ batch: Batch) {
        ws.clear()
        var counters = ChunkCounters()
        for g in (c * batch.groups / batch.chunks)..<((c + 1) * batch.groups / batch.chunks) {
            guard rollOutGroup(g, env: &ws.env.pointee, ws: ws, batch, counters: &counters) else { break }
            let group = EpisodeGroup(
                samples: samples, gamma: batch.gamma, weight: batch.weight, policy: batch.policy,
                features: batch.features, recordWidth: recordWidth, seed: batch.seed, iteration: batch.iteration,
                firstEpisode: g * samples, stride: horizon, lengths: ws.lengths, states: ws.states,
                actions: ws.actions, rewards: ws.rewards, returns: ws.returns, records: ws.records)
            batch.estimator.pointee.accumulate(group, scratch: &ws.scratch, into: ws.cotangents)
            accumulateStatistics(ws: ws, counters: &counters)
        }
        ws.counters = counters
    }

    /// One context: K episodes from the same start, with their returns.
    /// - Returns: false if the environment or the estimator left the valid range (recorded in `ws.fault`).
    @inline(__always)
    func rollOutGroup(_ g: Int, env: inout E, ws: ChunkWorkspace<E, X>, _ batch: Batch,
                      counters: inout ChunkCounters) -> Bool {
        let h = horizon, a = actionCount, states = UInt(stateCount), w = recordWidth
        let startStream = RandomStream(seed: batch.seed, iteration: batch.iteration, episode: -1 - g)
        for j in 0..<samples {
            var resetStream = startStream
            var state = env.reset(using: &resetStream)
            guard UInt(bitPattern: state) < states else {
                ws.fault = RolloutFault(episode: g * samples + j, step: -1, state: state)
                return false
            }
            var rng = RandomStream(seed: batch.seed, iteration: batch.iteration, episode: g * samples + j)
            let base = j * h
            var t = 0
            while true {
                let record = UnsafeMutableBufferPointer(start: ws.records + (base + t) * w, count: w)
                let action: Int
                switch X.sampling {
                case .inverseCDF:
                    let u = rng.nextUniform(), row = batch.policy.cumulativeBase + state * a
                    var k = 0
                    while k < a - 1 && u >= row[k] { k += 1 }
                    action = k
                case .gumbelMax:
                    action = GumbelSoftmax.sampleArgmax(logits: batch.policy.logProbabilities(state),
                                                        perturbed: UnsafeMutableBufferPointer(rebasing: record[0..<a]),
                                                        using: &rng)
                case .custom:
                    action = batch.estimator.pointee.drawAction(state: state, policy: batch.policy, record: record,
                                                               scratch: &ws.scratch, using: &rng)
                    guard UInt(bitPattern: action) < UInt(a) else {
                        ws.fault = RolloutFault(episode: g * samples + j, step: t, action: action)
                        return false
                    }
                }
                let step = env.step(action, using: &rng)
                ws.states[base + t] = state
                ws.actions[base + t] = action
                ws.rewards[base + t] = step.reward
                t += 1
                guard UInt(bitPattern: step.state) < states else {
                    ws.fault = RolloutFault(episode: g * samples + j, step: t - 1, state: step.state)
                    return false
                }
                state = step.state
                if step.terminated { counters.terminated += 1; break }
                if step.truncated || t >= h { counters.truncated += 1; break }
            }
            ws.lengths[j] = t
            DiscountedReturns.write(rewards: UnsafeBufferPointer(start: ws.rewards + base, count: t), gamma: batch.gamma,
                                    into: UnsafeMutableBufferPointer(start: ws.returns + base, count: t))
        }
        return true
    }

    /// Adds the group's per-step statistics: n[s,a], Σ G_t per (s, a), Σ G_t² per s, and the
    /// episode counters.
    @inline(__always)
    func accumulateStatistics(ws: ChunkWorkspace<E, X>, counters: inout ChunkCounters) {
        let h = horizon, a = actionCount
        for j in 0..<samples {
            let base = j * h, len = ws.lengths[j]
            let g0 = ws.returns[base]
            counters.episodes += 1
            counters.episodeReturnSum += g0
            counters.episodeReturnSquareSum += g0 * g0
            counters.steps += len
            if let opt = optimalAction, ws.actions[base] == opt { counters.optimalActions += 1 }
            for t in 0..<len {
                let s = ws.states[base + t], sa = s * a + ws.actions[base + t], gt = ws.returns[base + t]
                ws.visits[sa] += 1
                ws.returnSum[sa] += gt
                ws.returnSquareSum[s] += gt * gt
            }
        }
    }
}
