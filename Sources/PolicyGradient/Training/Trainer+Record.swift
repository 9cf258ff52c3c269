extension Trainer {
    /// What the update that collected ``batch`` measured (before the policy moved).
    @inline(__always)
    mutating func makeRecord(learningRate lr: Double) -> IterationRecord {
        var r = IterationRecord()
        let n = Double(max(batch.episodes, 1))
        r.iteration = iteration
        r.episodes = episodes + batch.episodes
        r.meanReturn = batch.episodeReturnSum / n
        r.stdReturn = (max(0, batch.episodeReturnSquareSum / n - r.meanReturn * r.meanReturn)).squareRoot()
        if hasModel {
            if exactJDue() { r.exactJ = exactValueAndGradientError(into: &r) }
            r.optimalJ = optimalJ
        }
        if engine.optimalAction != nil { r.optimalActionFraction = Double(batch.optimalActions) / n }
        r.gradientNorm = gradient.withUnsafeBufferPointer { g in
            var sum = 0.0
            for x in g { sum += x * x }
            return sum.squareRoot()
        }
        r.entropy = meanEntropy()
        r.estimatorValues = estimator.logValues(of: batch)
        r.learningRate = lr
        r.meanLength = Double(batch.steps) / n
        r.truncatedFraction = Double(batch.truncated) / n
        r.branchEpisodes = batch.branchEpisodes
        r.branchSteps = batch.branchSteps
        return r
    }

    /// The policy's entropy averaged over the batch's steps.
    func meanEntropy() -> Double {
        if environment.stateCount == 1 { return table.entropy[0] }
        var h = 0.0
        let a = environment.actionCount
        for s in 0..<environment.stateCount {
            var n = 0.0
            for j in 0..<a { n += batch.visits[s * a + j] }
            h += n * table.entropy[s]
        }
        return h / Double(max(batch.steps, 1))
    }

    /// Whether this update's record carries exact J: always for one-step environments, when
    /// measuring the gradient error, and at the first and last update; otherwise once the
    /// rollouts since the last evaluation have earned its cost (``ExactJSchedule/budgeted``).
    mutating func exactJDue() -> Bool {
        guard let cost = exactCost, !measuresGradientError else { return true }
        exactCredit += Self.exactShare * Self.stepCost * Double(batch.steps)
        let due = iteration == 0 || iteration == configuration.iterations - 1 || exactCredit >= Double(cost)
        if due { exactCredit = 0 }
        return due
    }

    /// Exact J of the table's policy; sets `gradientError` = ‖ĝ − ∇J‖² when ``measuresGradientError``.
    /// One-step, one-state environments take a closed form that allocates nothing.
    mutating func exactValueAndGradientError(into r: inout IterationRecord) -> Double {
        let a = environment.actionCount
        if let rewards = oneStepRewards {
            let j = table.probabilities.withUnsafeBufferPointer { p in
                rewards.withUnsafeBufferPointer { q in
                    var j = 0.0
                    for k in 0..<a { j += p[k] * q[k] }
                    return j
                }
            }
            if measuresGradientError, isTabular {
                var e = 0.0
                for k in 0..<a {
                    let d = gradient[k] - table.probabilities[k] * (rewards[k] - j)
                    e += d * d
                }
                r.gradientError = e
                return j
            }
            if !measuresGradientError { return j }
        }
        if measuresGradientError {
            let full = exactGradient() ?? []
            r.gradientError = zip(gradient, full).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }
        if let objective { return objective.exactObjective(probabilities: table.probabilities, gamma: configuration.gamma).value }
        return table.probabilities.withUnsafeBufferPointer { exactValue!.evaluate(probabilities: $0) }
    }
}
