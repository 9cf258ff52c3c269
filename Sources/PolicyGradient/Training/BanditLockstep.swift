/// One seed of Sutton & Barto's gradient bandit, as a sweep can advance it in lockstep with
/// others: a ``Bandit`` with a ``TabularPolicy``, one episode per update, SGD, REINFORCE
/// without a baseline (`none`) or with the running mean R̄ (`mean`, any
/// ``RunningMeanBaseline/Convention``), no gradient-error measurement — Figure 2.5 of the book,
/// and every `pg compare` grid of that shape.
struct BanditSeed {
    var bandit: Bandit
    let seed: UInt64
    let learningRate: Schedule
    /// E[r | a] per arm (exact J = Σ π(a) q(a)).
    let rewards: [Double]
    let optimalAction: Int?
    /// The running mean R̄ (`mean`), or nil for `none`.
    var mean: RunningMeanBaseline?
    /// φ (the logits).
    var parameters: [Double]

    /// The seed of `trainer`'s run, or nil when the trainer is not of this shape (or has
    /// already taken a step).
    init?<E: Environment>(trainer: Trainer<E>) {
        let c = trainer.configuration
        guard let bandit = trainer.environment as? Bandit, trainer.isTabular, c.episodes == 1, c.optimizer == .sgd,
              !trainer.measuresGradientError, trainer.iteration == 0, let rewards = trainer.oneStepRewards,
              trainer.parameters.count == bandit.actionCount else { return nil }
        let estimator = trainer.estimator.base
        if estimator is Reinforce<NoBaseline> {
            mean = nil
        } else if let r = estimator as? Reinforce<RunningMeanBaseline> {
            mean = r.baseline
        } else {
            return nil
        }
        self.bandit = bandit
        seed = c.seed
        learningRate = c.learningRate
        self.rewards = rewards
        optimalAction = trainer.engine.optimalAction
        parameters = trainer.parameters
    }

    /// Whether `a` and `b` can share a lockstep: the same number of arms, learning rate and
    /// baseline kind.
    static func canShareLanes(_ a: BanditSeed, _ b: BanditSeed) -> Bool {
        a.parameters.count == b.parameters.count && a.learningRate == b.learningRate
            && a.mean?.convention == b.mean?.convention && (a.optimalAction == nil) == (b.optimalAction == nil)
    }
}

/// What an update of seeds in lockstep measured, one lane per seed (the curve values of
/// ``IterationRecord``, which these updates do not form).
struct BanditMeasurement<L: Lanes> {
    var meanReturn: L, exactJ: L, optimalAction: L, gradientNorm: L, entropy: L
}

/// ``Lanes/laneCount`` seeds of the gradient bandit advanced together by the one update
/// (``UpdateStages/update(iteration:)``), each lane one seed: every per-arm loop (softmax, Σ,
/// running sums, entropy, score, ‖ĝ‖, exact J, SGD) carries all the seeds at once; only the
/// draws (the stream, the inversion's count, the bandit's reward) and R̄ are per seed.
///
/// A lane's numbers are its seed's numbers bit for bit, as ``Trainer/step()`` forms them: the same
/// pure units (``PolicyTable``'s normalisation, ``ScoreFunction/coefficient(returnToGo:baseline:weight:)``,
/// ``RunningMeanBaseline``), each lane-wise operation the scalar one in the same order, so a
/// sweep's results do not depend on which seeds share a vector (`BanditLockstepTests` checks this).
/// - Complexity: O(A) per update; allocates nothing per update.
struct BanditLockstep<L: Lanes>: UpdateStages {
    /// The seeds' bandits, one per lane (lane 1's a copy of lane 0's with one lane). Held here,
    /// not behind a pointer, so that an update's loop keeps them in registers or on its stack.
    var bandits: (Bandit, Bandit)
    /// The seeds' running means R̄ (nil for `none`), as ``bandits`` holds them; they change as they run.
    var means: (RunningMeanBaseline?, RunningMeanBaseline?)
    /// The seeds' optimal actions (−1 where unknown).
    let optimalActions: (Int, Int)
    let actionCount: Int
    let schedule: Schedule
    /// Per arm, one lane per seed: logits, probabilities, cumulative, score, weights, Σ r, ĝ, φ, q.
    /// (Each a stored pointer into ``buffer``, so that an update does not recompute it.)
    let buffer: UnsafeMutablePointer<L>
    let z: UnsafeMutablePointer<L>, p: UnsafeMutablePointer<L>, cdf: UnsafeMutablePointer<L>
    let score: UnsafeMutablePointer<L>, weights: UnsafeMutablePointer<L>, returnSums: UnsafeMutablePointer<L>
    let gradient: UnsafeMutablePointer<L>, phi: UnsafeMutablePointer<L>, q: UnsafeMutablePointer<L>
    let batchConstant: Bool, hasMean: Bool, countsOptimal: Bool
    /// The seeds' parts of their streams (``RandomStream/Base/mixed(_:)``).
    let mixedSeeds: SIMD2<UInt64>
    var entropy = L(repeating: 0), total = L(repeating: 0), reward = L(repeating: 0), batchSum = L(repeating: 0)
    var squaredNorm = L(repeating: 0)
    var actions = SIMD2<Int>()

    /// The seeds' lockstep.
    /// - Precondition: ``Lanes/laneCount`` seeds that can share lanes.
    init(seeds: [BanditSeed]) {
        precondition(seeds.count == L.laneCount && seeds.allSatisfy { BanditSeed.canShareLanes($0, seeds[0]) },
                     "a lockstep of \(L.laneCount) seeds of one shape")
        let last = seeds[L.laneCount - 1]
        bandits = (seeds[0].bandit, last.bandit)
        means = (seeds[0].mean, last.mean)
        optimalActions = (seeds[0].optimalAction ?? -1, last.optimalAction ?? -1)
        schedule = seeds[0].learningRate
        let a = seeds[0].parameters.count
        actionCount = a
        buffer = .allocate(capacity: 9 * a)
        buffer.initialize(repeating: L(repeating: 0), count: 9 * a)
        (z, p, cdf) = (buffer, buffer + a, buffer + 2 * a)
        (score, weights, returnSums) = (buffer + 3 * a, buffer + 4 * a, buffer + 5 * a)
        (gradient, phi, q) = (buffer + 6 * a, buffer + 7 * a, buffer + 8 * a)
        for i in 0..<a {
            for l in 0..<L.laneCount {
                buffer[7 * a + i][lane: l] = seeds[l].parameters[i]
                buffer[8 * a + i][lane: l] = seeds[l].rewards[i]
            }
        }
        mixedSeeds = SIMD2(RandomStream.Base.mixed(seeds[0].seed), RandomStream.Base.mixed(seeds[L.laneCount - 1].seed))
        batchConstant = seeds[0].mean?.hasBatchConstant ?? false
        hasMean = seeds[0].mean != nil
        countsOptimal = seeds[0].optimalAction != nil
    }

    /// Frees the buffers (the lockstep is a value that one sweep owns).
    func deallocate() {
        buffer.deallocate()
    }

    /// Lane `l` of entry `i` of a per-arm buffer.
    @inline(__always) func lane(_ v: UnsafeMutablePointer<L>, _ i: Int, _ l: Int) -> UnsafeMutablePointer<Double> {
        UnsafeMutableRawPointer(v + i).assumingMemoryBound(to: Double.self) + l
    }

    // MARK: The stages

    @inline(__always) func learningRate(at k: Int) -> Double { schedule.value(at: k) }

    /// The table (Trainer.refreshTable for a tabular policy).
    @inline(__always) mutating func refreshTable() {
        z.update(from: phi, count: actionCount)
        var h = L(repeating: 0)
        let (z, p, cdf) = (self.z, self.p, self.cdf)
        withUnsafeMutablePointer(to: &h) { PolicyTable.normalise(rows: 1, columns: actionCount, logits: z, probabilities: p, cumulative: cdf, entropy: $0) }
        entropy = h
    }

    /// The draws of every lane: the stream of (seed, update, episode 0), the inversion, the
    /// reward; the score, the weights and Σ r as the engine's one-step pass and ``Reinforce`` form them.
    @inline(__always) mutating func collect(iteration k: Int) throws {
        let a = actionCount, w = 1.0, two = L.laneCount > 1  // w = 1 / (groups · samples) for one episode
        for i in 0..<a { score[i] = L(repeating: 0); weights[i] = L(repeating: 0); returnSums[i] = L(repeating: 0) }
        var rng0 = RandomStream(base: RandomStream.Base(mixedSeed: mixedSeeds[0], iteration: k), episode: 0)
        var rng1 = two ? RandomStream(base: RandomStream.Base(mixedSeed: mixedSeeds[1], iteration: k), episode: 0) : rng0
        let u = L(lanes: rng0.nextUniform(), two ? rng1.nextUniform() : 0)
        // InverseCDFSampler's count: how many of c_0 … c_{A−2} are ≤ u, every lane at once.
        var counts = SIMD2<Int64>()
        for i in 0..<(a - 1) { L.count(cdf[i], atMost: u, into: &counts) }
        actions = SIMD2(Int(counts[0]), Int(counts[1]))
        let r0 = bandits.0.step(actions[0], using: &rng0).reward
        let r1 = two ? bandits.1.step(actions[1], using: &rng1).reward : 0
        reward = L(lanes: 0 + r0, 0 + r1)
        let c0 = ScoreFunction.coefficient(returnToGo: r0, baseline: means.0?.stepValue ?? 0, weight: w)
        let c1 = two ? ScoreFunction.coefficient(returnToGo: r1, baseline: means.1?.stepValue ?? 0, weight: w) : 0
        total = L(lanes: 0 + c0, 0 + c1)
        lane(score, actions[0], 0).pointee += c0
        if two { lane(score, actions[1], 1).pointee += c1 }
        if batchConstant {
            lane(weights, actions[0], 0).pointee += w
            if two { lane(weights, actions[1], 1).pointee += w }
        }
        if hasMean {
            lane(returnSums, actions[0], 0).pointee += r0
            if two { lane(returnSums, actions[1], 1).pointee += r1 }
        }
        batchSum = L(repeating: 0)
        for i in 0..<a { batchSum = batchSum + returnSums[i] }
    }

    /// ``Reinforce``'s finalisation: R̄'s batch constant c subtracted, M −= c W, T −= c Σ W.
    @inline(__always) mutating func finalize() {
        guard hasMean, let c0 = means.0!.constant(sum: batchSum[lane: 0], count: 1) else { return }
        // The convention and R̄'s count are shared by the lanes, so every lane has a constant.
        let c1 = L.laneCount > 1 ? means.1!.constant(sum: batchSum[lane: 1], count: 1)! : 0
        let constants = L(lanes: c0, c1)
        var t = L(repeating: 0)
        for i in 0..<actionCount {
            score[i] = score[i] - constants * weights[i]
            t = t + weights[i]
        }
        total = total - constants * t
    }

    /// ĝ = M − π T (Trainer.logitCotangents, scale 1), and ‖ĝ‖² as the record sums it.
    @inline(__always) mutating func formGradient() {
        let one = L(repeating: 1)
        var norm = L(repeating: 0)
        for i in 0..<actionCount {
            let g = one * (score[i] - p[i] * total)
            gradient[i] = g
            norm = norm + g * g
        }
        squaredNorm = norm
    }

    /// The record's curve values (as ``IterationRecord`` holds them, n = 1).
    @inline(__always) mutating func measure(iteration k: Int, learningRate lr: Double) -> BanditMeasurement<L> {
        var j = L(repeating: 0), optimal = L(repeating: .nan)
        for i in 0..<actionCount { j = j + p[i] * q[i] }
        if countsOptimal {
            optimal = L(lanes: Double(actions[0] == optimalActions.0 ? 1 : 0) / 1,
                        L.laneCount > 1 ? Double(actions[1] == optimalActions.1 ? 1 : 0) / 1 : 0)
        }
        return BanditMeasurement(meanReturn: reward / L(repeating: 1), exactJ: j, optimalAction: optimal,
                                 gradientNorm: squaredNorm.squareRoot(), entropy: entropy)
    }

    /// SGD: φ += lr ĝ.
    @inline(__always) mutating func applyGradient(learningRate lr: Double) {
        let step = L(repeating: lr)
        for i in 0..<actionCount { phi[i] = phi[i] + step * gradient[i] }
    }

    /// R̄ learns from the batch.
    @inline(__always) mutating func learn() {
        guard hasMean else { return }
        means.0!.update(sum: batchSum[lane: 0], count: 1)
        if L.laneCount > 1 { means.1!.update(sum: batchSum[lane: 1], count: 1) }
    }

    /// Exact J of every lane's current policy.
    mutating func finalExactJ() -> L {
        refreshTable()
        var j = L(repeating: 0)
        for i in 0..<actionCount { j = j + p[i] * q[i] }
        return j
    }
}
