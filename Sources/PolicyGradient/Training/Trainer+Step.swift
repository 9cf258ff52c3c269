import Foundation

extension Trainer {
    /// Performs one update and returns what it measured.
    /// - Complexity: one batch of rollouts, S backward passes, one optimiser step.
    public mutating func step() -> IterationRecord {
        let c = configuration, k = iteration
        let tau = c.temperature.value(at: k), lr = c.learningRate.value(at: k)
        // MARK: Rollout (with the policy evaluated once per state)
        refreshTable()
        prepareSignal(temperature: tau)
        engine.collect(groups: c.batch, seed: c.seed, iteration: k, table: table, signal: signal, into: &batch)
        // MARK: Gradient: per-state logit cotangents, back-propagated once per visited state
        let scale = c.estimator == .reinforce && c.baseline == .nvil ? nvil.scale : 1
        formGradient(scale: scale)
        // MARK: Record (before the update: J of the policy that collected the batch)
        var record = makeRecord(lr: lr, tau: tau)
        // MARK: Update the policy, then the baselines and the critic
        optimizer.step(&policy.parameters, gradient: gradient, learningRate: lr)
        updateBaselines()
        iteration += 1
        record.elapsed = Date().timeIntervalSince(start)
        return record
    }

    /// Evaluates the policy in every state (the parameter table itself for tabular policies).
    mutating func refreshTable() {
        if isTabular {
            table.update(fromTable: policy.parameters)
        } else {
            table.updateThroughLogits(of: policy, features: engine.features, featureCount: environment.featureCount)
        }
    }

    /// ĝ = Σ_s Jᵀ_s (scale · (M[s,·] − π(·|s) T[s])), into ``gradient``.
    mutating func formGradient(scale: Double) {
        let a = environment.actionCount, f = environment.featureCount, states = environment.stateCount
        // Logit cotangents per state: scale · (M[s,·] − π(·|s) T[s]).
        batch.score.withUnsafeBufferPointer { m in
            batch.scoreTotal.withUnsafeBufferPointer { t in
                table.probabilities.withUnsafeBufferPointer { p in
                    cotangent.withUnsafeMutableBufferPointer { cot in
                        for s in 0..<states {
                            for j in 0..<a { cot[s * a + j] = scale * (m[s * a + j] - p[s * a + j] * t[s]) }
                        }
                    }
                }
            }
        }
        // Tabular policies: the parameters are the logits, so ĝ is the cotangent itself.
        if isTabular {
            gradient.withUnsafeMutableBufferPointer { g in
                cotangent.withUnsafeBufferPointer { cot in _ = g.update(fromContentsOf: cot) }
            }
            return
        }
        let p = policy, features = engine.features, cotangents = cotangent
        gradient.withUnsafeMutableBufferPointer { g in
            g.update(repeating: 0)
            features.withUnsafeBufferPointer { x in
                cotangents.withUnsafeBufferPointer { cot in
                    for s in 0..<states where (0..<a).contains(where: { cot[s * a + $0] != 0 }) {
                        p.backpropagate(state: s, features: UnsafeBufferPointer(rebasing: x[(s * f)..<((s + 1) * f)]),
                                        logitCotangent: UnsafeBufferPointer(rebasing: cot[(s * a)..<((s + 1) * a)]), into: g)
                    }
                }
            }
        }
    }

    /// Folds the batch into the baselines and refits the critic (after the gradient is formed).
    mutating func updateBaselines() {
        let a = environment.actionCount
        episodes += batch.episodes
        switch configuration.baseline {
        case .ema:
            average.update(sum: batch.returnSum.reduce(0, +), count: Double(batch.steps))
        case .nvil:
            nvil.update(visits: batch.stateVisits(actionCount: a), returnSum: batch.stateReturnSums(actionCount: a),
                        returnSquareSum: batch.returnSquareSum, features: engine.features)
        case .none, .vimco: break
        }
        let features = engine.features
        critic?.fit(visits: batch.visits, returnSum: batch.returnSum, features: features, actionCount: a)
    }

    /// Exact J of the table's policy; sets `gradientError` = ‖ĝ − ∇J‖² when ``measuresGradientError``.
    /// One-step, one-state environments take a closed form that allocates nothing.
    func exactValueAndGradientError(into r: inout IterationRecord) -> Double {
        let a = environment.actionCount
        if let rewards = oneStepRewards {
            var j = 0.0
            for k in 0..<a { j += table.probabilities[k] * rewards[k] }
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
        let exact = ExactGradient.logitCotangent(table: table, model: model!, horizon: environment.timeLimit,
                                                 gamma: configuration.gamma)
        if measuresGradientError {
            let full = exactGradient() ?? []
            r.gradientError = zip(gradient, full).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }
        return exact.value
    }

    func makeRecord(lr: Double, tau: Double) -> IterationRecord {
        var r = IterationRecord()
        let n = Double(max(batch.episodes, 1))
        r.iteration = iteration
        r.episodes = episodes + batch.episodes
        r.meanReturn = batch.episodeReturnSum / n
        r.stdReturn = (max(0, batch.episodeReturnSquareSum / n - r.meanReturn * r.meanReturn)).squareRoot()
        if hasModel {
            r.exactJ = exactValueAndGradientError(into: &r)
            r.optimalJ = optimalJ
        }
        if engine.optimalAction != nil { r.optimalActionFraction = Double(batch.optimalActions) / n }
        r.gradientNorm = gradient.reduce(0) { $0 + $1 * $1 }.squareRoot()
        switch configuration.baseline {
        case .ema, .nvil: if configuration.estimator == .reinforce { r.baselineValue = signal.center }
        case .none, .vimco: break
        }
        var h = 0.0
        let a = environment.actionCount
        for s in 0..<environment.stateCount {
            var n = 0.0
            for j in 0..<a { n += batch.visits[s * a + j] }
            h += n * table.entropy[s]
        }
        r.entropy = h / Double(max(batch.steps, 1))
        if configuration.estimator != .reinforce {
            r.temperature = tau
            r.surrogate = batch.surrogateSum
        }
        r.learningRate = lr
        r.meanLength = Double(batch.steps) / n
        r.truncatedFraction = Double(batch.truncated) / n
        return r
    }
}
