/// REINFORCE with a baseline (Williams, "Simple Statistical Gradient-Following Algorithms for
/// Connectionist Reinforcement Learning", 1992):
/// ĝ = (1/N) Σ_i Σ_t γᵗ ∇_φ log π(a_t|s_t) (G_t − b_t), "score × (return − baseline)".
///
/// Actions are drawn by inversion; each step adds w · A_t, w = γᵗ/N and A_t the baseline's
/// ``Baseline/advantage(in:episode:step:)`` (G_t − b_t), to the cotangents of its (s, a). A baseline with a batch constant (``Baseline/batchConstant(of:)``)
/// gets it subtracted once the batch is known, through the per-(s, a) sums of the weights γᵗ/N.
public struct Reinforce<B: Baseline>: GradientEstimator {
    /// The baseline.
    public private(set) var baseline: B
    /// The batch constant subtracted from the last batch, if any.
    public private(set) var lastBatchConstant: Double?

    /// REINFORCE with `baseline`.
    public init(baseline: B) {
        self.baseline = baseline
    }

    /// The baseline's K.
    public var groupSize: Int { baseline.groupSize }
    /// S × A weight sums when the baseline has a batch constant.
    public func auxiliaryCount(stateCount: Int, actionCount: Int) -> Int {
        baseline.hasBatchConstant ? stateCount * actionCount : 0
    }

    /// Lets the baseline see the policy's table.
    public mutating func prepare(iteration: Int, table: PolicyTable) { baseline.prepare(table: table) }

    /// Adds w A_t ∇ log π(a_t|s_t) for every step, w = γᵗ/N, A_t = G_t − b_t (or the baseline's
    /// own signal).
    @inlinable
    public func accumulate(_ group: EpisodeGroup, scratch: inout Void, into out: inout LogitCotangents) {
        if let b = baseline.batchValue {
            ScoreFunction.accumulate(EpisodeGroups(first: group, count: 1), baseline: b, weighs: baseline.hasBatchConstant,
                                     into: out)
            return
        }
        let a = out.actionCount, weighs = baseline.hasBatchConstant
        for j in 0..<group.samples {
            var weight = group.weight
            for t in 0..<group.lengthAt(j) {
                let s = group.stateAt(j, t), action = group.actionAt(j, t)
                let c = weight * baseline.advantage(in: group, episode: j, step: t)
                out.addScoreUnchecked(state: s, action: action, coefficient: c)
                if weighs { out.auxiliary[s &* a &+ action] += weight }
                weight *= group.gamma
            }
        }
    }

    /// The groups in turn, or all their steps in one loop when the baseline is one number.
    @inlinable
    public func accumulate(_ groups: EpisodeGroups, scratch: inout Void, into out: inout LogitCotangents) {
        if let b = baseline.batchValue {
            ScoreFunction.accumulate(groups, baseline: b, weighs: baseline.hasBatchConstant, into: out)
            return
        }
        for i in 0..<groups.count { accumulate(groups[i], scratch: &scratch, into: &out) }
    }

    /// Subtracts the baseline's batch constant c: M[s,a] −= c W[s,a], T[s] −= c Σ_a W[s,a],
    /// with W[s,a] = Σ γᵗ/N over the steps that took a in s.
    public mutating func finalize(_ batch: inout BatchAccumulator, table: PolicyTable, normalised: Bool) {
        lastBatchConstant = baseline.batchConstant(of: batch)
        guard let c = lastBatchConstant else { return }
        let a = table.actionCount, states = table.stateCount
        let w = batch.auxiliary
        batch.score.withUnsafeMutableBufferPointer { m in
            batch.scoreTotal.withUnsafeMutableBufferPointer { t in
                w.withUnsafeBufferPointer { w in
                    for s in 0..<states {
                        var total = 0.0
                        for k in (s &* a)..<(s &* a &+ a) {
                            m[k] -= c * w[k]
                            total += w[k]
                        }
                        t[s] -= c * total
                    }
                }
            }
        }
    }

    /// NVIL's normalisation in training; 1 when measuring ∇J's estimator.
    public func gradientScale(normalised: Bool) -> Double { normalised ? baseline.scale : 1 }

    /// Updates the baseline.
    public mutating func update(after batch: BatchAccumulator, table: PolicyTable) {
        baseline.update(after: batch, table: table)
    }

    /// `baseline` when the baseline logs a value.
    public var logFields: [String] { baseline.loggedValue == nil && !baseline.hasBatchConstant ? [] : ["baseline"] }

    /// The baseline's value for the batch (its batch constant if it used one).
    public func logValues(of batch: BatchAccumulator) -> EstimatorValues {
        guard let v = lastBatchConstant ?? baseline.loggedValue else { return EstimatorValues() }
        return EstimatorValues(v)
    }

    /// Whether the baseline is fitted from data.
    public var needsWarmUp: Bool { baseline.needsWarmUp }
    /// The baseline's sums.
    public var statistics: BatchStatistics { baseline.statistics }
}
