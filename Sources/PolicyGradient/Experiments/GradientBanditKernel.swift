/// The whole run of one seed of Sutton & Barto's gradient bandit, in one tight loop: the same
/// numbers as ``Trainer/step()`` called `iterations` times, without the machinery a general
/// update needs (the rollout engine's chunks and workspaces, the batch accumulator, the type
/// erasure of the session, a 200-byte record per update).
///
/// It applies to a trainer of a ``Bandit`` with a ``TabularPolicy``, one episode per update,
/// SGD, REINFORCE without a baseline (`none`) or with the running mean R̄ (`mean`, any
/// ``RunningMeanBaseline/Convention``), and no gradient-error measurement: Figure 2.5 of the
/// book, and every `pg compare` grid of that shape. ``SeedSweep`` takes it for such variants.
///
/// Every number is formed by the same operations, in the same order, as the general path:
/// the policy table by ``PolicyTable/normalise(rows:columns:logits:probabilities:cumulative:entropy:)``
/// itself, the draw from the stream of (seed, update, episode 0) by
/// ``InverseCDFSampler`` and ``Bandit/step(_:using:)``, the score and
/// the batch constant of R̄ as ``Reinforce`` forms them, exact J, ‖ĝ‖ and the entropy as the
/// record does, and the SGD step. The tests hold it to the general path bit for bit
/// (`GradientBanditKernelTests`).
struct GradientBanditKernel {
    var bandit: Bandit
    let actionCount: Int
    let seed: UInt64
    let learningRate: Schedule
    /// E[r | a] per arm (exact J = Σ π(a) q(a)).
    let rewards: [Double]
    let optimalAction: Int?
    /// The running mean R̄ (`mean`), or nil for `none`.
    var mean: RunningMeanBaseline?
    /// φ (the logits).
    var parameters: [Double]

    /// The kernel of `trainer`'s run, or nil when the trainer is not of the shape it runs (or has
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
        actionCount = bandit.actionCount
        seed = c.seed
        learningRate = c.learningRate
        self.rewards = rewards
        optimalAction = trainer.engine.optimalAction
        parameters = trainer.parameters
    }

    /// What a run returns: whether it completed every update, the first update whose exact J
    /// reached the threshold, and exact J after the last update.
    struct Outcome {
        var completed: Bool
        var hit: Int?
        var finalJ: Double
    }

    /// Runs `iterations` updates, holding each update's curve values in `values` (as
    /// ``CurveAccumulator/SeedValues/record(_:)`` holds a record's); polls ``Cancellation``
    /// every 64 updates, as ``SeedSweep`` does, and reports progress to `counter`.
    /// - Complexity: O(iterations · A); allocates nothing per update.
    mutating func run(iterations: Int, threshold: Double?, into values: inout CurveAccumulator.SeedValues,
                      counter: ProgressCounter) -> Outcome {
        let a = actionCount, metrics = CurveAccumulator.metrics.count
        let buffer = UnsafeMutablePointer<Double>.allocate(capacity: 8 * a)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 0, count: 8 * a)
        let logits = buffer, p = buffer + a, cdf = buffer + 2 * a, score = buffer + 3 * a
        let weights = buffer + 4 * a, returnSums = buffer + 5 * a, gradient = buffer + 6 * a
        var entropy = 0.0
        let opt = optimalAction ?? -1, counts = optimalAction != nil
        var outcome = Outcome(completed: true, hit: nil, finalJ: .nan)
        let batchConstant = mean?.hasBatchConstant ?? false
        let w = 1.0  // 1 / (groups · samples) for one episode
        let rewards = rewards
        /// Exact J of the table's policy, Σₐ π(a) q(a), summed as the record sums it.
        func exactJ() -> Double {
            var j = 0.0
            for i in 0..<a { j += p[i] * rewards[i] }
            return j
        }
        parameters.withUnsafeMutableBufferPointer { phi in
            values.withUnsafeMutableValues { v in
                for k in 0..<iterations {
                    if k & 63 == 63 {
                        counter.add(64)
                        if Cancellation.isRequested { outcome.completed = false; break }
                    }
                    // The table (Trainer.refreshTable for a tabular policy).
                    logits.update(from: phi.baseAddress!, count: a)
                    PolicyTable.normalise(rows: 1, columns: a, logits: logits, probabilities: p, cumulative: cdf,
                                          entropy: &entropy)
                    // The rollout (RolloutEngine.rollOutGroup, one episode); chunk 0 writes the batch.
                    for i in 0..<a { score[i] = 0; weights[i] = 0; returnSums[i] = 0 }
                    let b = mean?.stepValue ?? 0
                    var rng = RandomStream(base: RandomStream.Base(seed: seed, iteration: k), episode: 0)
                    let action = InverseCDFSampler.action(cdf, count: a, uniform: rng.nextUniform())
                    let r = bandit.step(action, using: &rng).reward
                    let coefficient = ScoreFunction.coefficient(returnToGo: r, baseline: b, weight: w)
                    score[action] += coefficient
                    var total = 0.0
                    total += coefficient
                    if batchConstant { weights[action] += w }
                    var returnSum = 0.0
                    returnSum += r
                    if mean != nil { returnSums[action] += r }
                    // Reinforce.finalize: the batch constant of R̄.
                    var batchSum = 0.0
                    for i in 0..<a { batchSum += returnSums[i] }
                    if let m = mean, let c = m.constant(sum: batchSum, count: 1) {
                        var t = 0.0
                        for i in 0..<a {
                            score[i] -= c * weights[i]
                            t += weights[i]
                        }
                        total -= c * t
                    }
                    // The gradient (Trainer.logitCotangents, scale 1) and the record.
                    var norm = 0.0
                    for i in 0..<a {
                        gradient[i] = 1 * (score[i] - p[i] * total)
                        norm += gradient[i] * gradient[i]
                    }
                    let j = exactJ()
                    let row = v.baseAddress! + k * metrics  // as SeedValues.record lays out a record (n = 1)
                    row[0] = returnSum / 1
                    row[1] = j
                    row[2] = counts ? Double(action == opt ? 1 : 0) / 1 : .nan
                    row[3] = norm.squareRoot()
                    row[4] = .nan
                    row[5] = entropy
                    if outcome.hit == nil, let threshold, j >= threshold { outcome.hit = k }
                    // SGD, then R̄ learns from the batch.
                    let lr = learningRate.value(at: k)
                    for i in 0..<a { phi[i] += lr * gradient[i] }
                    mean?.update(sum: batchSum, count: 1)
                }
            }
            guard outcome.completed else { return }
            logits.update(from: phi.baseAddress!, count: a)
            PolicyTable.normalise(rows: 1, columns: a, logits: logits, probabilities: p, cumulative: cdf, entropy: &entropy)
            outcome.finalJ = exactJ()
        }
        return outcome
    }
}
