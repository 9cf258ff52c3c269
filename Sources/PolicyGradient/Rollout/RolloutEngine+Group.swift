extension RolloutEngine {
    /// One group: K episodes from the same start, stepped together, with their returns and
    /// any continuations, recorded in block slot `slot`.
    /// - Returns: false if the environment or the sampler left the valid range (recorded in `ws.fault`).
    @inline(__always)
    func rollOutGroup(_ g: Int, slot: Int, ws: ChunkWorkspace<E>, _ batch: Batch, counters: inout ChunkCounters) -> Bool {
        if samples == 1 && samplerKind != .custom && branching == nil {
            return rollOutEpisode(g, slot: slot, ws: ws, batch, counters: &counters)
        }
        let h = horizon, k = samples, states = UInt(stateCount)
        let base = slot &* k &* h  // the slot's first step in the block buffers
        let lengths = ws.lengths + slot &* k
        let startStream = RandomStream(base: batch.streams, episode: -1 - g)
        for j in 0..<k {
            var resetStream = startStream
            let state = ws.envs[j].reset(using: &resetStream)
            guard UInt(bitPattern: state) < states else {
                ws.fault = RolloutFault(episode: g * k + j, step: -1, state: state)
                return false
            }
            ws.current[j] = state
            ws.live[j] = true
            ws.streams[j] = RandomStream(base: batch.streams, episode: g &* k &+ j)
        }
        var running = k, t = 0
        while running > 0 {
            guard drawActions(g, step: t, base: base, ws: ws, batch) else { return false }
            for j in 0..<k where ws.live[j] {
                let i = base &+ j &* h &+ t, action = ws.stepActions[j]
                if let snapshots = ws.snapshots { snapshots[j &* h &+ t] = ws.envs[j] }
                let step = ws.envs[j].step(action, using: &ws.streams[j])
                ws.states[i] = ws.current[j]
                ws.actions[i] = action
                ws.rewards[i] = step.reward
                guard UInt(bitPattern: step.state) < states else {
                    ws.fault = RolloutFault(episode: g * k + j, step: t, state: step.state)
                    return false
                }
                ws.current[j] = step.state
                let ended = step.terminated || step.truncated || t &+ 1 >= h
                if ended {
                    if step.terminated { counters.terminated += 1 } else { counters.truncated += 1 }
                    ws.live[j] = false
                    lengths[j] = t &+ 1
                    running -= 1
                }
            }
            t += 1
        }
        for j in 0..<k {
            let first = base &+ j &* h, len = lengths[j]
            if len == 1 {
                ws.returns[first] = ws.rewards[first]
            } else {
                DiscountedReturns.write(rewards: UnsafeBufferPointer(start: ws.rewards + first, count: len), gamma: batch.gamma,
                                        into: UnsafeMutableBufferPointer(start: ws.returns + first, count: len))
            }
        }
        if let branching { return runBranches(branching, group: g, base: base, ws: ws, batch, counters: &counters) }
        return true
    }

    /// A group of one episode with a built-in sampler and no branches (the common case): the
    /// same draws and records as the general loop, with the episode's state and stream held in
    /// locals.
    @inline(__always)
    func rollOutEpisode(_ g: Int, slot: Int, ws: ChunkWorkspace<E>, _ batch: Batch, counters: inout ChunkCounters) -> Bool {
        let h = horizon, a = actionCount, states = UInt(stateCount), w = recordWidth, gumbel = samplerKind == .gumbelMax
        let base = slot &* h
        var resetStream = RandomStream(base: batch.streams, episode: -1 - g)
        var state = ws.envs[0].reset(using: &resetStream)
        guard UInt(bitPattern: state) < states else {
            ws.fault = RolloutFault(episode: g, step: -1, state: state)
            return false
        }
        var rng = RandomStream(base: batch.streams, episode: g)
        var t = 0
        while true {
            let action: Int
            if gumbel {
                let record = UnsafeMutableBufferPointer(start: ws.records + (base &+ t) &* w, count: a)
                action = GumbelSoftmax.sampleArgmax(logits: batch.policy.logProbabilities(state), perturbed: record, using: &rng)
            } else {
                action = InverseCDFSampler.action(batch.policy.cumulativeBase + state &* a, count: a, uniform: rng.nextUniform())
            }
            let step = ws.envs[0].step(action, using: &rng)
            ws.states[base &+ t] = state
            ws.actions[base &+ t] = action
            ws.rewards[base &+ t] = step.reward
            t += 1
            guard UInt(bitPattern: step.state) < states else {
                ws.fault = RolloutFault(episode: g, step: t - 1, state: step.state)
                return false
            }
            state = step.state
            if step.terminated { counters.terminated += 1; break }
            if step.truncated || t >= h { counters.truncated += 1; break }
        }
        ws.lengths[slot] = t
        if t == 1 {
            ws.returns[base] = ws.rewards[base]
        } else {
            DiscountedReturns.write(rewards: UnsafeBufferPointer(start: ws.rewards + base, count: t), gamma: batch.gamma,
                                    into: UnsafeMutableBufferPointer(start: ws.returns + base, count: t))
        }
        return true
    }

    /// `count` groups of one one-step episode each from the only state (``isOneStep``), from
    /// group `g` on, into block slots 0..<count: the same draws, records and statistics as
    /// ``rollOutEpisode(_:slot:ws:_:counters:)`` followed by
    /// ``accumulateStatistics(ws:groups:into:_:visits:counters:)``, in one pass. With `scoring`
    /// (the estimator's ``ConstantBaselineScore``), it also adds each step's score term
    /// w (G − b) to `target` as ``ScoreFunction/accumulate(_:baseline:weighs:into:)`` would, in
    /// the same order, and records nothing for the estimator.
    /// - Returns: the groups recorded (fewer than `count` after a fault).
    @inline(__always)
    func rollOutOneStepBlock(from g: Int, count: Int, ws: ChunkWorkspace<E>, _ batch: Batch, into target: StatisticsPointers,
                             _ needs: BatchStatistics, visits: Bool, counters: inout ChunkCounters,
                             scoring: ConstantBaseline?) -> Int {
        // One loop per case, each with its flags constant, so that none tests them per episode.
        if samplerKind == .gumbelMax {
            precondition(scoring == nil, "Gumbel-max draws are recorded for the estimator")
            return rollOutOneStepLoop(from: g, count: count, ws: ws, batch, into: target, needs, visits: visits,
                                      counters: &counters, gumbel: true, scoring: nil)
        }
        if let scoring {
            // The two flags a scored bandit batch tests most, made constants of their loops.
            let sums = needs.contains(.returnSums)
            switch (sums, scoring.weighs) {
            case (true, false):
                return rollOutOneStepLoop(from: g, count: count, ws: ws, batch, into: target, needs, visits: visits,
                                          counters: &counters, gumbel: false, scoring: scoring, sums: true, weighs: false)
            case (true, true):
                return rollOutOneStepLoop(from: g, count: count, ws: ws, batch, into: target, needs, visits: visits,
                                          counters: &counters, gumbel: false, scoring: scoring, sums: true, weighs: true)
            case (false, false):
                return rollOutOneStepLoop(from: g, count: count, ws: ws, batch, into: target, needs, visits: visits,
                                          counters: &counters, gumbel: false, scoring: scoring, sums: false, weighs: false)
            default:
                return rollOutOneStepLoop(from: g, count: count, ws: ws, batch, into: target, needs, visits: visits,
                                          counters: &counters, gumbel: false, scoring: scoring, sums: sums, weighs: scoring.weighs)
            }
        }
        return rollOutOneStepLoop(from: g, count: count, ws: ws, batch, into: target, needs, visits: visits,
                                  counters: &counters, gumbel: false, scoring: nil)
    }

    /// The loop of ``rollOutOneStepBlock(from:count:ws:_:into:_:visits:counters:scoring:)`` for
    /// one sampler and one way of scoring, both constant where it is inlined.
    @inline(__always)
    func rollOutOneStepLoop(from g: Int, count: Int, ws: ChunkWorkspace<E>, _ batch: Batch, into target: StatisticsPointers,
                            _ needs: BatchStatistics, visits: Bool, counters: inout ChunkCounters,
                            gumbel: Bool, scoring: ConstantBaseline?, sums: Bool? = nil, weighs: Bool? = nil) -> Int {
        let a = actionCount, w = recordWidth
        let sums = sums ?? needs.contains(.returnSums), squares = needs.contains(.returnSquares), opt = optimalAction ?? -1
        let cdf = batch.policy.cumulativeBase, env = ws.envs, streams = batch.streams
        let states = ws.states, actions = ws.actions, rewards = ws.rewards, returns = ws.returns, lengths = ws.lengths
        let records = ws.records
        let w0 = batch.weight, b = scoring?.value ?? 0, weighs = weighs ?? scoring?.weighs ?? false
        // The counters and the score total in locals (registers), written back once; every
        // recorded episode is one step, so episodes and steps are the episodes recorded.
        var terminated = 0, optimal = 0, returnSum = counters.episodeReturnSum, squareSum = counters.episodeReturnSquareSum
        var total = target.scoreTotal[0]
        var i = 0
        defer {
            counters.episodes &+= i
            counters.steps &+= i
            counters.terminated &+= terminated
            counters.truncated &+= i &- terminated
            counters.optimalActions &+= optimal
            counters.episodeReturnSum = returnSum
            counters.episodeReturnSquareSum = squareSum
            if scoring != nil { target.scoreTotal[0] = total }
        }
        while i < count {
            var resetStream = RandomStream(base: streams, episode: -1 - (g &+ i))
            let start = env.pointee.reset(using: &resetStream)
            guard start == 0 else {
                ws.fault = RolloutFault(episode: g &+ i, step: -1, state: start)
                return i
            }
            var rng = RandomStream(base: streams, episode: g &+ i)
            let action: Int
            if gumbel {
                action = GumbelSoftmax.sampleArgmax(logits: batch.policy.logProbabilities(0),
                                                    perturbed: UnsafeMutableBufferPointer(start: records + i &* w, count: a),
                                                    using: &rng)
            } else {
                action = InverseCDFSampler.action(cdf, count: a, uniform: rng.nextUniform())
            }
            let step = env.pointee.step(action, using: &rng)
            guard step.state == 0 else {
                ws.fault = RolloutFault(episode: g &+ i, step: 0, state: step.state)
                return i
            }
            if step.terminated { terminated &+= 1 }
            let r = step.reward
            if scoring != nil {
                let coefficient = ScoreFunction.coefficient(returnToGo: r, baseline: b, weight: w0)
                target.score[action] += coefficient
                total += coefficient
                if weighs { target.auxiliary[action] += w0 }
            } else {
                states[i] = 0
                actions[i] = action
                rewards[i] = r
                returns[i] = r
                lengths[i] = 1
            }
            returnSum += r
            squareSum += r * r
            if action == opt { optimal &+= 1 }
            if visits { target.visits[action] += 1 }
            if sums { target.returnSum[action] += r }
            if squares { target.returnSquareSum[0] += r * r }
            i &+= 1
        }
        return count
    }

    /// Sets the action of every live episode of the group at step t, by the sampler.
    @inline(__always)
    func drawActions(_ g: Int, step t: Int, base: Int, ws: ChunkWorkspace<E>, _ batch: Batch) -> Bool {
        let k = samples, a = actionCount, h = horizon, w = recordWidth
        switch samplerKind {
        case .inverseCDF:
            for j in 0..<k where ws.live[j] {
                ws.stepActions[j] = InverseCDFSampler.action(batch.policy.cumulativeBase + ws.current[j] &* a, count: a,
                                                             uniform: ws.streams[j].nextUniform())
            }
        case .gumbelMax:
            for j in 0..<k where ws.live[j] {
                let record = UnsafeMutableBufferPointer(start: ws.records + (base &+ j &* h &+ t) &* w, count: a)
                ws.stepActions[j] = GumbelSoftmax.sampleArgmax(logits: batch.policy.logProbabilities(ws.current[j]),
                                                               perturbed: record, using: &ws.streams[j])
            }
        case .custom:
            for j in 0..<k { ws.stepActions[j] = -1 }
            var step = GroupStep(step: t, episodes: k, policy: batch.policy, recordWidth: w,
                                 groupStream: Self.groupStream(batch, group: g, step: t), states: ws.current, live: ws.live,
                                 actions: ws.stepActions, records: ws.records + (base &+ t) &* w, recordStride: h &* w,
                                 streams: ws.streams)
            batch.witness.draw(&step)
            for j in 0..<k where ws.live[j] && UInt(bitPattern: ws.stepActions[j]) >= UInt(a) {
                ws.fault = RolloutFault(episode: g * k + j, step: t, action: ws.stepActions[j])
                return false
            }
        }
        return true
    }

    /// The continuations of every recorded episode of the group (``Branching``): from the
    /// environment as it was before step t, first action a, then the policy's actions or the
    /// recorded ones, each on its own stream; their returns go to the block's branch buffer.
    func runBranches(_ branching: Branching, group g: Int, base: Int, ws: ChunkWorkspace<E>, _ batch: Batch,
                     counters: inout ChunkCounters) -> Bool {
        let k = samples, h = horizon, a = actionCount, m = branching.samples, states = UInt(stateCount)
        let lengths = ws.lengths + base / h
        guard let snapshots = ws.snapshots, let out = ws.branchReturns else { return true }
        for j in 0..<k {
            let len = lengths[j], episode = g &* k &+ j
            for t in 0..<branching.branchedSteps(length: len) {
                for first in 0..<a {
                    for sample in 0..<m {
                        var env = snapshots[j &* h &+ t]
                        var rng = RandomStream(base: batch.streams, episode: episode)
                            .split(0xB4A7_0000_0000 &+ UInt64((t &* a &+ first) &* m &+ sample))
                        var action = first, tt = t, total = 0.0, discount = 1.0
                        while true {
                            let step = env.step(action, using: &rng)
                            total += discount * step.reward
                            discount *= batch.gamma
                            tt += 1
                            counters.branchSteps += 1
                            guard UInt(bitPattern: step.state) < states else {
                                ws.fault = RolloutFault(episode: episode, step: tt - 1, state: step.state)
                                return false
                            }
                            if step.terminated || step.truncated || tt >= h { break }
                            if branching.continuation == .recordedActions, tt < len {
                                action = ws.actions[base &+ j &* h &+ tt]
                            } else {
                                action = InverseCDFSampler.action(batch.policy.cumulativeBase + step.state &* a, count: a,
                                                                  uniform: rng.nextUniform())
                            }
                        }
                        counters.branchEpisodes += 1
                        out[((base &+ j &* h &+ t) &* a &+ first) &* m &+ sample] = total
                    }
                }
            }
        }
        return true
    }

    /// Adds the per-step statistics of the block's first `groups` groups (n[s,a], Σ G_t per
    /// (s, a), Σ G_t² per s, as needed) and the episode counters.
    @inline(__always)
    func accumulateStatistics(ws: ChunkWorkspace<E>, groups: Int, into t: StatisticsPointers, _ needs: BatchStatistics,
                              visits: Bool, counters: inout ChunkCounters) {
        let h = horizon, a = actionCount
        let sums = needs.contains(.returnSums), squares = needs.contains(.returnSquares)
        for e in 0..<(groups &* samples) {
            let base = e &* h, len = ws.lengths[e]
            let g0 = ws.returns[base]
            counters.episodes += 1
            counters.episodeReturnSum += g0
            counters.episodeReturnSquareSum += g0 * g0
            counters.steps += len
            if let opt = optimalAction, ws.actions[base] == opt { counters.optimalActions += 1 }
            guard visits || sums || squares else { continue }
            for i in base..<(base &+ len) {
                let s = ws.states[i], sa = s &* a &+ ws.actions[i], gt = ws.returns[i]
                if visits { t.visits[sa] += 1 }
                if sums { t.returnSum[sa] += gt }
                if squares { t.returnSquareSum[s] += gt * gt }
            }
        }
    }
}
