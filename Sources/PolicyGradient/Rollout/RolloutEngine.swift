/// Collects a batch of episodes and its gradient statistics, in parallel and deterministically.
///
/// The batch's groups (K episodes from one start) are split into a fixed number of chunks that
/// depends only on the batch size; worker threads take chunks round-robin, and the chunks'
/// statistics are summed in chunk order. Every draw comes from a stream derived from
/// (seed, iteration, episode) — or (seed, iteration, group, step) for a sampler's coupled draws
/// — so the result is bit-for-bit the same for any thread count.
///
/// Within a chunk the engine steps each group's K episodes together, asking the estimator's
/// ``GroupSampler`` for their actions; steps the environments; checks every state and action
/// against the declared sizes; computes the returns; runs the continuations the estimator asks
/// for (``Branching``); and hands blocks of recorded groups to the estimator. It knows nothing
/// of any particular estimator.
public final class RolloutEngine<E: Environment> {
    /// The environment (copied into every chunk).
    public let environment: E
    /// Episodes per group K.
    public let samples: Int
    /// The environment's state features.
    public let features: StateFeatures
    /// Thread count (≥ 1).
    @exclusivity(unchecked) public var threads: Int
    /// The arm with the highest expected reward, for one-step single-state environments.
    public let optimalAction: Int?
    let horizon: Int, actionCount: Int, stateCount: Int, recordWidth: Int
    let statisticsNeeded: BatchStatistics
    let samplerKind: SamplerKind
    let branching: Branching?
    let shape: WorkspaceShape
    /// Whether batches use the worker pool, learned from their timings.
    @exclusivity(unchecked) var choice = ParallelChoice()
    /// One workspace per chunk, allocated up front.
    let workspaces: [ChunkWorkspace<E>]

    /// The most chunks a batch is split into.
    public static var maximumChunks: Int { 32 }

    /// Chunks of a batch of `groups` groups (a function of the batch alone, never of the threads).
    public static func chunkCount(groups: Int) -> Int { max(1, min(groups, maximumChunks)) }

    /// Creates an engine for batches of `groups` groups × `estimator.groupSize` episodes.
    /// - Throws: ``InputError`` if the environment's feature matrix is too large.
    /// - Parameter features: the environment's features, if already built (else built here).
    public init(environment: E, estimator: AnyEstimator, groups: Int, threads: Int, features: StateFeatures? = nil) throws {
        self.environment = environment
        samples = estimator.groupSize
        self.threads = max(1, threads)
        horizon = environment.timeLimit
        actionCount = environment.actionCount
        stateCount = environment.stateCount
        recordWidth = estimator.recordWidth(actionCount: environment.actionCount)
        statisticsNeeded = estimator.statistics
        samplerKind = estimator.samplerKind
        branching = estimator.branching
        precondition(samplerKind != .gumbelMax || recordWidth >= actionCount,
                     "Gumbel-max sampling records the A perturbed logits of every step")
        isOneStep = horizon == 1 && stateCount == 1 && samples == 1 && samplerKind != .custom && branching == nil
        countsVisits = statisticsNeeded.contains(.visits) || stateCount > 1
        self.features = try features ?? environment.stateFeatures()
        let chunks = RolloutEngine.chunkCount(groups: groups)
        let perChunk = (max(groups, 1) + chunks - 1) / chunks
        shape = WorkspaceShape(samples: samples, horizon: horizon, recordWidth: recordWidth,
                               blockGroups: WorkspaceShape.blockGroups(groupsPerChunk: perChunk, samples: samples, horizon: horizon),
                               branchWidth: branching.map { environment.actionCount * $0.samples } ?? 0,
                               snapshots: branching != nil, stateCount: stateCount, actionCount: actionCount,
                               auxiliaryCount: estimator.auxiliaryCount(stateCount: stateCount, actionCount: actionCount))
        let featureCount = self.features.count, shape = shape
        workspaces = (0..<chunks).map { _ in
            ChunkWorkspace(env: environment, estimator: estimator, shape: shape, featureCount: featureCount)
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
        /// The estimator's box and witness (held by the caller's estimator for the batch).
        unowned(unsafe) let box: EstimatorBoxBase
        unowned(unsafe) let witness: EstimatorWitness
        let seed: UInt64
        let streams: RandomStream.Base
        let iteration: Int
        let gamma: Double
        let weight: Double
        let groups: Int
        let chunks: Int
        /// The estimator's one baseline for a batch of one-step episodes (``ConstantBaselineScore``),
        /// whose score terms the engine then adds as it steps.
        let oneStepBaseline: ConstantBaseline?
    }

    /// Whether every episode is one step from the only state, one per group, with a built-in
    /// sampler and no branches: a bandit's batch, which ``rollOutOneStepBlock(from:count:ws:_:into:_:visits:counters:scoring:)``
    /// records and counts in one pass.
    let isOneStep: Bool

    /// The statistics the estimator reads, and whether visits are counted (also for the
    /// entropy of the log whenever there is more than one state).
    var statistics: BatchStatistics { statisticsNeeded }
    let countsVisits: Bool

    /// Rolls out `groups` groups × ``samples`` episodes for `iteration` and writes their
    /// reduced statistics into `total` (the first chunk writes into it directly; the others
    /// are added in chunk order).
    /// - Throws: ``InputError`` naming the environment, the state or action, and the step, if
    ///   the environment returned a state out of range (or the sampler an action out of range).
    /// - Complexity: O(steps) plus O(chunks · S · A) for the reduction; allocates nothing.
    public func collect(groups: Int, seed: UInt64, iteration: Int, gamma: Double, table: PolicyTable, estimator: AnyEstimator,
                        into total: inout BatchAccumulator) throws {
        let chunks = RolloutEngine.chunkCount(groups: groups)
        precondition(chunks <= workspaces.count, "the engine was made for smaller batches")
        let weight = 1 / Double(groups * samples)
        total.withPointers { t in
            workspaces[0].target = t
            table.withView { view in
                features.withRows { rows in
                    run(Batch(policy: view, features: rows, box: estimator.box, witness: estimator.witness, seed: seed,
                              streams: RandomStream.Base(seed: seed, iteration: iteration), iteration: iteration,
                              gamma: gamma, weight: weight, groups: groups, chunks: chunks,
                              oneStepBaseline: isOneStep && samplerKind == .inverseCDF ? estimator.constantBaseline : nil))
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
        total.branchEpisodes = counters.branchEpisodes; total.branchSteps = counters.branchSteps
        total.episodeReturnSum = counters.episodeReturnSum; total.episodeReturnSquareSum = counters.episodeReturnSquareSum
    }

    /// The error for a state or action out of range.
    func fault(_ f: RolloutFault) -> InputError {
        let what = f.state.map { "returned state \($0), not in 0..<\(stateCount)" }
            ?? "was given action \(f.action ?? -1), not in 0..<\(actionCount), by the estimator's sampler"
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

    /// The groups of chunk `c`, on the chunk's own workspace, a block at a time. Chunk c holds
    /// groups c·G/C ..< (c+1)·G/C: balanced, never empty, and fixed by the batch size.
    func runChunk(_ c: Int, on ws: ChunkWorkspace<E>, _ batch: Batch) {
        let visits = countsVisits, needs = statisticsNeeded
        ws.clear(needs, visits: visits)
        var counters = ChunkCounters()
        var cotangents = ws.cotangents
        let target = ws.target
        // Chunk c's groups (all of them when there is one chunk, without the two divisions).
        let one = batch.chunks == 1
        let first = one ? 0 : c &* batch.groups / batch.chunks, end = one ? batch.groups : (c &+ 1) &* batch.groups / batch.chunks
        if isOneStep, let scoring = batch.oneStepBaseline {
            // Scored as it steps (a constant baseline): nothing is recorded, so no blocks.
            _ = rollOutOneStepBlock(from: first, count: end &- first, ws: ws, batch, into: target, needs, visits: visits,
                                    counters: &counters, scoring: scoring)
            ws.counters = counters
            return
        }
        var g = first
        while g < end {
            let count = min(ws.shape.blockGroups, end - g)
            var recorded = 0
            if isOneStep {
                recorded = rollOutOneStepBlock(from: g, count: count, ws: ws, batch, into: target, needs, visits: visits,
                                               counters: &counters, scoring: nil)
                if recorded > 0 {
                    batch.witness.accumulate(batch.box, ws.scratch, EpisodeGroups(first: group(g, ws: ws, batch), count: recorded),
                                             &cotangents)
                }
            } else {
                while recorded < count {
                    guard rollOutGroup(g + recorded, slot: recorded, ws: ws, batch, counters: &counters) else { break }
                    recorded += 1
                }
                if recorded > 0 {
                    batch.witness.accumulate(batch.box, ws.scratch, EpisodeGroups(first: group(g, ws: ws, batch), count: recorded),
                                             &cotangents)
                    accumulateStatistics(ws: ws, groups: recorded, into: target, needs, visits: visits, counters: &counters)
                }
            }
            if recorded < count { break }  // a fault
            g += count
        }
        ws.counters = counters
    }

    /// The view of group `g`, recorded in the first slot of the workspace's block.
    func group(_ g: Int, ws: ChunkWorkspace<E>, _ batch: Batch) -> EpisodeGroup {
        EpisodeGroup(samples: samples, gamma: batch.gamma, weight: batch.weight, policy: batch.policy,
                     features: batch.features, recordWidth: recordWidth, seed: batch.seed, iteration: batch.iteration,
                     firstEpisode: g * samples, stride: horizon, lengths: ws.lengths, states: ws.states,
                     actions: ws.actions, rewards: ws.rewards, returns: ws.returns, records: ws.records,
                     branching: branching, branchReturns: ws.branchReturns.map { UnsafePointer($0) })
    }

    /// The stream of group `g`'s coupled draws at step t.
    @inline(__always)
    static func groupStream(_ batch: Batch, group g: Int, step t: Int) -> RandomStream {
        RandomStream(base: batch.streams, episode: -1 - g).split(0x6752_0000 &+ UInt64(t))
    }
}
