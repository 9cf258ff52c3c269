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
    @exclusivity(unchecked) public var threads: Int
    /// The arm with the highest expected reward, for one-step single-state environments.
    public let optimalAction: Int?
    let horizon: Int, actionCount: Int, stateCount: Int, recordWidth: Int
    let statisticsNeeded: BatchStatistics
    /// Whether batches use the worker pool, learned from their timings.
    @exclusivity(unchecked) var choice = ParallelChoice()
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
        statisticsNeeded = estimator.statistics
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
        let streams: RandomStream.Base
        let iteration: Int
        let gamma: Double
        let weight: Double
        let groups: Int
        let chunks: Int
        /// The estimator's ``GradientEstimator/oneStepBaseline()`` when the lean one-step loop applies.
        let oneStepBaseline: Double?
    }

    /// The statistics the estimator reads, and whether visits are counted (also for the
    /// entropy of the log whenever there is more than one state).
    var statistics: BatchStatistics { statisticsNeeded }
    var countsVisits: Bool { statisticsNeeded.contains(.visits) || stateCount > 1 }

    /// Rolls out `groups` contexts × ``samples`` episodes for `iteration` and writes their
    /// reduced statistics into `total` (the first chunk writes into it directly; the others
    /// are added in chunk order).
    /// - Throws: ``InputError`` naming the environment, the state or action, and the step, if
    ///   the environment returned a state out of range (or the estimator an action out of range).
    /// - Complexity: O(steps) plus O(chunks · S · A) for the reduction; allocates nothing.
    public func collect(groups: Int, seed: UInt64, iteration: Int, gamma: Double, table: PolicyTable, estimator: X,
                        into total: inout BatchAccumulator) throws {
        let chunks = RolloutEngine.chunkCount(groups: groups)
        precondition(chunks <= workspaces.count, "the engine was made for smaller batches")
        let weight = 1 / Double(groups * samples)
        total.withPointers { t in
            workspaces[0].target = t
            table.logProbabilities.withUnsafeBufferPointer { lp in
                table.probabilities.withUnsafeBufferPointer { p in
                    table.cumulative.withUnsafeBufferPointer { cdf in
                        features.withRows { rows in
                            withUnsafePointer(to: estimator) { x in
                                let view = PolicyView(logProbabilities: lp.baseAddress!, probabilities: p.baseAddress!,
                                                      cumulative: cdf.baseAddress!, actionCount: actionCount)
                                run(Batch(policy: view, features: rows, estimator: x, seed: seed,
                                          streams: RandomStream.Base(seed: seed, iteration: iteration), iteration: iteration,
                                          gamma: gamma, weight: weight, groups: groups, chunks: chunks,
                                          oneStepBaseline: isOneStep ? estimator.oneStepBaseline() : nil))
                            }
                        }
                    }
                }
            }
            for c in 1..<chunks { workspaces[c].add(into: t, statisticsNeeded, visits: countsVisits) }
            workspaces[0].target = workspaces[0].own
        }
        var counters = ChunkCounters()
        for c in 0..<chunks {
            if let f = workspaces[c].fault { throw fault(f) }
            counters.add(workspaces[c].counters)
        }
        total.episodes = counters.episodes; total.steps = counters.steps
        total.terminated = counters.terminated; total.truncated = counters.truncated
        total.optimalActions = counters.optimalActions
        total.episodeReturnSum = counters.episodeReturnSum; total.episodeReturnSquareSum = counters.episodeReturnSquareSum
    }

    /// The error for a state or action out of range.
    func fault(_ f: RolloutFault) -> InputError {
        let what = f.state.map { "returned state \($0), not in 0..<\(stateCount)" }
            ?? "was given action \(f.action ?? -1), not in 0..<\(actionCount), by the estimator"
        let when = f.step < 0 ? "reset of episode \(f.episode)" : "step \(f.step) of episode \(f.episode)"
        return InputError("environment \(environment.id): \(when) \(what) (pg check --env NAME tests the contract)")
    }

    /// Runs every chunk, on the calling thread or with the help of up to `threads − 1` workers
    /// (see ``WorkerPool``), whichever has been faster lately (``ParallelChoice``).
    func run(_ batch: Batch) {
        let workers = min(threads, batch.chunks)
        // Read the workspaces through a buffer pointer: indexing the array from two threads
        // would retain and release its shared buffer, a contended reference count.
        workspaces.withUnsafeBufferPointer { spaces in
            if workers <= 1 {
                for c in 0..<batch.chunks { runChunk(c, on: spaces[c], batch) }
                return
            }
            let parallel = choice.nextIsParallel(), t0 = ParallelChoice.now()
            if parallel {
                WorkerPool.shared(width: workers).run(tasks: batch.chunks) { c in runChunk(c, on: spaces[c], batch) }
            } else {
                for c in 0..<batch.chunks { runChunk(c, on: spaces[c], batch) }
            }
            choice.record(nanoseconds: ParallelChoice.now() - t0, parallel: parallel)
        }
    }

    /// Whether every episode is one step from the only state, with actions drawn by inversion and
    /// one episode per context (where an estimator may take the lean loop, ``runOneStepChunk(_:on:_:baseline:)``).
    var isOneStep: Bool { horizon == 1 && stateCount == 1 && samples == 1 && X.sampling == .inverseCDF }

    /// The groups of chunk `c`, on the chunk's own workspace. Chunk c holds groups
    /// c·G/C ..< (c+1)·G/C: balanced, never empty, and fixed by the batch size.
    func runChunk(_ c: Int, on ws: ChunkWorkspace<E, X>, _ batch: Batch) {
        if let b = batch.oneStepBaseline { return runOneStepChunk(c, on: ws, batch, baseline: b) }
        let visits = countsVisits, needs = statisticsNeeded
        ws.clear(needs, visits: visits)
        var counters = ChunkCounters()
        let cotangents = ws.cotangents, target = ws.target
        // A local copy, once per chunk: called through the pointer with the scratch `inout`,
        // the estimator would be copied defensively for every group (its retains included).
        let estimator = batch.estimator.pointee
        for g in (c * batch.groups / batch.chunks)..<((c + 1) * batch.groups / batch.chunks) {
            guard rollOutGroup(g, env: &ws.env.pointee, ws: ws, batch, estimator: estimator, counters: &counters) else { break }
            let group = EpisodeGroup(
                samples: samples, gamma: batch.gamma, weight: batch.weight, policy: batch.policy,
                features: batch.features, recordWidth: recordWidth, seed: batch.seed, iteration: batch.iteration,
                firstEpisode: g * samples, stride: horizon, lengths: ws.lengths, states: ws.states,
                actions: ws.actions, rewards: ws.rewards, returns: ws.returns, records: ws.records)
            estimator.accumulate(group, scratch: &ws.scratch.pointee, into: cotangents)
            accumulateStatistics(ws: ws, into: target, needs, visits: visits, counters: &counters)
        }
        ws.counters = counters
    }

    /// Chunk `c` of a batch of one-step episodes from the only state, for an estimator whose
    /// accumulation is REINFORCE's with the one baseline b (``GradientEstimator/oneStepBaseline()``):
    /// the same draws, additions and statistics as ``runChunk(_:on:_:)`` with its groups, in the
    /// same order, without forming them.
    func runOneStepChunk(_ c: Int, on ws: ChunkWorkspace<E, X>, _ batch: Batch, baseline b: Double) {
        let needs = statisticsNeeded, visits = countsVisits
        let sums = needs.contains(.returnSums), squares = needs.contains(.returnSquares)
        ws.clear(needs, visits: visits)
        var counters = ChunkCounters()
        let t = ws.target, a = actionCount, cdf = batch.policy.cumulativeBase, w = batch.weight
        let weighs = !t.auxiliary.isEmpty, opt = optimalAction ?? -1
        let env = ws.env
        var total = 0.0
        for g in (c * batch.groups / batch.chunks)..<((c + 1) * batch.groups / batch.chunks) {
            var resetStream = RandomStream(base: batch.streams, episode: -1 - g)
            let start = env.pointee.reset(using: &resetStream)
            guard start == 0 else {
                ws.fault = RolloutFault(episode: g, step: -1, state: start)
                break
            }
            var rng = RandomStream(base: batch.streams, episode: g)
            let action = Self.inverseCDF(cdf, count: a, uniform: rng.nextUniform())
            let step = env.pointee.step(action, using: &rng)
            guard step.state == 0 else {
                ws.fault = RolloutFault(episode: g, step: 0, state: step.state)
                break
            }
            if step.terminated { counters.terminated += 1 } else { counters.truncated += 1 }
            let r = step.reward
            let coefficient = ScoreFunction.coefficient(returnToGo: r, baseline: b, weight: w)
            t.score[action] += coefficient
            total += coefficient
            if weighs { t.auxiliary[action] += w }
            counters.episodes += 1
            counters.episodeReturnSum += r
            counters.episodeReturnSquareSum += r * r
            counters.steps += 1
            if action == opt { counters.optimalActions += 1 }
            if visits { t.visits[action] += 1 }
            if sums { t.returnSum[action] += r }
            if squares { t.returnSquareSum[0] += r * r }
        }
        t.scoreTotal[0] = total
        ws.counters = counters
    }

    /// One context: K episodes from the same start, with their returns.
    /// - Returns: false if the environment or the estimator left the valid range (recorded in `ws.fault`).
    @inline(__always)
    func rollOutGroup(_ g: Int, env: inout E, ws: ChunkWorkspace<E, X>, _ batch: Batch, estimator: X,
                      counters: inout ChunkCounters) -> Bool {
        let h = horizon, a = actionCount, states = UInt(stateCount), w = recordWidth
        let startStream = RandomStream(base: batch.streams, episode: -1 - g)
        for j in 0..<samples {
            var resetStream = startStream
            var state = env.reset(using: &resetStream)
            guard UInt(bitPattern: state) < states else {
                ws.fault = RolloutFault(episode: g * samples + j, step: -1, state: state)
                return false
            }
            var rng = RandomStream(base: batch.streams, episode: g * samples + j)
            let base = j * h
            var t = 0
            while true {
                let action: Int
                switch X.sampling {
                case .inverseCDF:
                    action = Self.inverseCDF(batch.policy.cumulativeBase + state * a, count: a, uniform: rng.nextUniform())
                case .gumbelMax:
                    let record = UnsafeMutableBufferPointer(start: ws.records + (base + t) * w, count: a)
                    action = GumbelSoftmax.sampleArgmax(logits: batch.policy.logProbabilities(state), perturbed: record,
                                                        using: &rng)
                case .custom:
                    let record = UnsafeMutableBufferPointer(start: ws.records + (base + t) * w, count: w)
                    action = estimator.drawAction(state: state, policy: batch.policy, record: record,
                                                  scratch: &ws.scratch.pointee, using: &rng)
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
            if t == 1 {
                ws.returns[base] = ws.rewards[base]
            } else {
                DiscountedReturns.write(rewards: UnsafeBufferPointer(start: ws.rewards + base, count: t), gamma: batch.gamma,
                                        into: UnsafeMutableBufferPointer(start: ws.returns + base, count: t))
            }
        }
        return true
    }

    /// The action of the uniform draw `u` by inversion: the number of cumulative probabilities
    /// c_0 … c_{A−2} that are ≤ u (the first k with u < c_k; branch-free, so no mispredictions),
    /// counted two at a time in vector compares (a NaN compares false either way).
    /// - Complexity: O(A); allocates nothing.
    @inline(__always)
    static func inverseCDF(_ c: UnsafePointer<Double>, count a: Int, uniform u: Double) -> Int {
        let n = a &- 1, uu = SIMD2<Double>(repeating: u)
        var counts = SIMD2<Int64>(), other = SIMD2<Int64>()
        // Four at a time in two independent compares (half the loop overhead), then two; the
        // loop runs on a pointer against its end (one add and one compare per iteration).
        var q = UnsafeRawPointer(c)
        let end4 = q + (n & ~3) &* 8
        while q < end4 {
            let v = q.loadUnaligned(as: SIMD2<Double>.self), w = q.loadUnaligned(fromByteOffset: 16, as: SIMD2<Double>.self)
            counts &-= unsafeBitCast(v .<= uu, to: SIMD2<Int64>.self)  // a true lane is −1
            other &-= unsafeBitCast(w .<= uu, to: SIMD2<Int64>.self)
            q += 32
        }
        if n & 2 != 0 {
            counts &-= unsafeBitCast(q.loadUnaligned(as: SIMD2<Double>.self) .<= uu, to: SIMD2<Int64>.self)
            q += 16
        }
        counts &+= other
        var k = Int(counts[0] &+ counts[1])
        if n & 1 != 0 { k &+= u >= q.load(as: Double.self) ? 1 : 0 }
        return k
    }

    /// Adds the group's per-step statistics (n[s,a], Σ G_t per (s, a), Σ G_t² per s, as
    /// needed) and the episode counters.
    @inline(__always)
    func accumulateStatistics(ws: ChunkWorkspace<E, X>, into t: StatisticsPointers, _ needs: BatchStatistics, visits: Bool,
                              counters: inout ChunkCounters) {
        let h = horizon, a = actionCount
        let sums = needs.contains(.returnSums), squares = needs.contains(.returnSquares)
        for j in 0..<samples {
            let base = j * h, len = ws.lengths[j]
            let g0 = ws.returns[base]
            counters.episodes += 1
            counters.episodeReturnSum += g0
            counters.episodeReturnSquareSum += g0 * g0
            counters.steps += len
            if let opt = optimalAction, ws.actions[base] == opt { counters.optimalActions += 1 }
            guard visits || sums || squares else { continue }
            for i in base..<(base + len) {
                let s = ws.states[i], sa = s * a + ws.actions[i], gt = ws.returns[i]
                if visits { t.visits[sa] += 1 }
                if sums { t.returnSum[sa] += gt }
                if squares { t.returnSquareSum[s] += gt * gt }
            }
        }
    }
}
