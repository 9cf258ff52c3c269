/// Two seeds of the gradient bandit in lockstep: each SIMD2 lane is one seed.
///
/// The scalar kernel's loops over the arms are latency-bound chains (Σ eₖ, the running
/// cumulative probabilities, the entropy, ‖ĝ‖², exact J), one seed at a time. Here every such
/// loop carries both seeds at once, one seed per lane, so each instruction does two seeds' work
/// and the chains of the two seeds overlap; only the draws (the stream, the inversion's count,
/// the bandit's reward) and R̄ are per seed.
///
/// A lane's numbers are its seed's numbers bit for bit: every lane-wise operation is the
/// scalar kernel's operation in the same order (sums in index order, the same exp and log,
/// which give the same bits at any vector width, see ``FastMath``), so a sweep's results do not
/// depend on which seeds share a step. `GradientBanditKernelTests` checks this against
/// ``Trainer/step()``.
extension GradientBanditKernel {
    /// Whether `a` and `b` can run in lockstep: the same number of arms, learning rate and
    /// baseline kind.
    static func canRunInLockstep(_ a: GradientBanditKernel, _ b: GradientBanditKernel) -> Bool {
        a.actionCount == b.actionCount && a.learningRate == b.learningRate
            && a.mean?.convention == b.mean?.convention
            && (a.optimalAction == nil) == (b.optimalAction == nil)
    }

    /// Runs `iterations` updates of `first` and `second` together, each holding its curve values
    /// in its own buffer, exactly as ``run(iterations:threshold:into:counter:)`` of each would.
    /// Polls ``Cancellation`` every 64 updates (reporting 128 to `counter`); a cancelled pair
    /// reports neither seed completed.
    /// - Precondition: ``canRunInLockstep(_:_:)``.
    /// - Complexity: O(iterations · A); allocates nothing per update.
    static func runInLockstep(_ first: inout GradientBanditKernel, _ second: inout GradientBanditKernel, iterations: Int,
                              threshold: Double?, into values: inout CurveAccumulator.SeedValues,
                              _ secondValues: inout CurveAccumulator.SeedValues, counter: ProgressCounter) -> (Outcome, Outcome) {
        precondition(canRunInLockstep(first, second), "kernels of different shapes in lockstep")
        typealias V = SIMD2<Double>
        let a = first.actionCount, metrics = CurveAccumulator.metrics.count
        // Per arm, one lane per seed: logits, probabilities, cumulative, score, weights, Σ r, ĝ, φ, q.
        let buffer = UnsafeMutablePointer<V>.allocate(capacity: 9 * a)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: V(), count: 9 * a)
        let z = buffer, p = buffer + a, cdf = buffer + 2 * a, score = buffer + 3 * a, weights = buffer + 4 * a
        let returnSums = buffer + 5 * a, gradient = buffer + 6 * a, phi = buffer + 7 * a, q = buffer + 8 * a
        /// Lane `l` of arm `i` of a per-arm buffer.
        @inline(__always) func lane(_ v: UnsafeMutablePointer<V>, _ i: Int, _ l: Int) -> UnsafeMutablePointer<Double> {
            UnsafeMutableRawPointer(v + i).assumingMemoryBound(to: Double.self) + l
        }
        for i in 0..<a {
            phi[i] = V(first.parameters[i], second.parameters[i])
            q[i] = V(first.rewards[i], second.rewards[i])
        }
        var bandits = (first.bandit, second.bandit)
        var means = (first.mean, second.mean)
        let seeds = (first.seed, second.seed), learningRate = first.learningRate
        let optimal = (first.optimalAction ?? -1, second.optimalAction ?? -1), counts = first.optimalAction != nil
        let batchConstant = first.mean?.hasBatchConstant ?? false, hasMean = first.mean != nil
        let w = 1.0  // 1 / (groups · samples) for one episode
        var outcomes = (Outcome(completed: true, hit: nil, finalJ: .nan), Outcome(completed: true, hit: nil, finalJ: .nan))
        var entropy = V()
        /// PolicyTable.normalise of one row, per lane.
        @inline(__always) func normalise() {
            var m = z[0]
            for k in 1..<a { m.replace(with: z[k], where: z[k] .> m) }
            for k in 0..<a { p[k] = FastMath.exp(z[k] - m) }
            var sum = V()
            for k in 0..<a { sum += p[k] }
            let logSum = FastMath.log(sum), inv = 1 / sum
            var acc = V(), h = V()
            for k in 0..<a {
                let l = (z[k] - m) - logSum, pk = p[k] * inv
                p[k] = pk
                acc += pk
                cdf[k] = acc
                h -= pk * l
            }
            cdf[a - 1] = V(repeating: 1)
            entropy = h
        }
        /// Exact J of each lane's policy, Σₐ π(a) q(a) in index order.
        @inline(__always) func exactJ() -> V {
            var j = V()
            for i in 0..<a { j += p[i] * q[i] }
            return j
        }
        values.withUnsafeMutableValues { v0 in
            secondValues.withUnsafeMutableValues { v1 in
                let rows = (v0.baseAddress!, v1.baseAddress!)
                for k in 0..<iterations {
                    if k & 63 == 63 {
                        counter.add(128)
                        if Cancellation.isRequested {
                            outcomes.0.completed = false
                            outcomes.1.completed = false
                            break
                        }
                    }
                    z.update(from: phi, count: a)
                    normalise()
                    for i in 0..<a { score[i] = V(); weights[i] = V(); returnSums[i] = V() }
                    // The draws, per seed: the stream of (seed, update, episode 0), the inversion, the reward.
                    let base = (RandomStream.Base(seed: seeds.0, iteration: k), RandomStream.Base(seed: seeds.1, iteration: k))
                    var rngs = (RandomStream(base: base.0, episode: 0), RandomStream(base: base.1, episode: 0))
                    let u = V(rngs.0.nextUniform(), rngs.1.nextUniform())
                    var below = SIMD2<Int64>()
                    // InverseCDFSampler.action's count: how many of c_0 … c_{A−2} are ≤ u.
                    for i in 0..<(a - 1) { below &-= unsafeBitCast(cdf[i] .<= u, to: SIMD2<Int64>.self) }
                    let actions = (Int(below[0]), Int(below[1]))
                    let r = V(bandits.0.step(actions.0, using: &rngs.0).reward, bandits.1.step(actions.1, using: &rngs.1).reward)
                    let b = V(means.0?.stepValue ?? 0, means.1?.stepValue ?? 0)
                    let coefficient = V(ScoreFunction.coefficient(returnToGo: r[0], baseline: b[0], weight: w),
                                        ScoreFunction.coefficient(returnToGo: r[1], baseline: b[1], weight: w))
                    lane(score, actions.0, 0).pointee += coefficient[0]
                    lane(score, actions.1, 1).pointee += coefficient[1]
                    var total = V()
                    total += coefficient
                    if batchConstant {
                        lane(weights, actions.0, 0).pointee += w
                        lane(weights, actions.1, 1).pointee += w
                    }
                    var returnSum = V()
                    returnSum += r
                    if hasMean {
                        lane(returnSums, actions.0, 0).pointee += r[0]
                        lane(returnSums, actions.1, 1).pointee += r[1]
                    }
                    var batchSum = V()
                    for i in 0..<a { batchSum += returnSums[i] }
                    // Reinforce.finalize: the batch constant of R̄, in both lanes at once when both
                    // have one (the convention and R̄'s count are shared, so they do).
                    let constants = (means.0?.constant(sum: batchSum[0], count: 1), means.1?.constant(sum: batchSum[1], count: 1))
                    if let c0 = constants.0, let c1 = constants.1 {
                        let c = V(c0, c1)
                        var t = V()
                        for i in 0..<a {
                            score[i] -= c * weights[i]
                            t += weights[i]
                        }
                        total -= c * t
                    } else {
                        /// One lane's constant (not reached while the lanes agree).
                        @inline(__always) func subtract(_ c: Double?, lane l: Int) {
                            guard let c else { return }
                            var t = 0.0
                            for i in 0..<a {
                                lane(score, i, l).pointee -= c * lane(weights, i, l).pointee
                                t += lane(weights, i, l).pointee
                            }
                            total[l] -= c * t
                        }
                        subtract(constants.0, lane: 0)
                        subtract(constants.1, lane: 1)
                    }
                    var norm = V()
                    for i in 0..<a {
                        gradient[i] = 1 * (score[i] - p[i] * total)
                        norm += gradient[i] * gradient[i]
                    }
                    let j = exactJ(), gnorm = norm.squareRoot()
                    /// The record's curve values of lane `l` (as SeedValues.record lays out a record, n = 1).
                    @inline(__always) func write(_ row: UnsafeMutablePointer<Double>, _ l: Int, optimal: Bool) {
                        row[0] = returnSum[l] / 1
                        row[1] = j[l]
                        row[2] = counts ? Double(optimal ? 1 : 0) / 1 : .nan
                        row[3] = gnorm[l]
                        row[4] = .nan
                        row[5] = entropy[l]
                    }
                    write(rows.0 + k * metrics, 0, optimal: actions.0 == optimal.0)
                    write(rows.1 + k * metrics, 1, optimal: actions.1 == optimal.1)
                    if let threshold {
                        if outcomes.0.hit == nil, j[0] >= threshold { outcomes.0.hit = k }
                        if outcomes.1.hit == nil, j[1] >= threshold { outcomes.1.hit = k }
                    }
                    let lr = V(repeating: learningRate.value(at: k))
                    for i in 0..<a { phi[i] += lr * gradient[i] }
                    means.0?.update(sum: batchSum[0], count: 1)
                    means.1?.update(sum: batchSum[1], count: 1)
                }
            }
        }
        first.bandit = bandits.0
        second.bandit = bandits.1
        first.mean = means.0
        second.mean = means.1
        for i in 0..<a {
            first.parameters[i] = phi[i][0]
            second.parameters[i] = phi[i][1]
        }
        if outcomes.0.completed {
            z.update(from: phi, count: a)
            normalise()
            let j = exactJ()
            outcomes.0.finalJ = j[0]
            outcomes.1.finalJ = j[1]
        }
        return outcomes
    }
}
