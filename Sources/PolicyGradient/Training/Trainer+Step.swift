import Foundation

extension Trainer: UpdateStages {
    /// Performs one update and returns what it measured (``UpdateStages/update(iteration:)``).
    /// - Throws: ``InputError`` if the environment returned a state out of range.
    /// - Complexity: one batch of rollouts, S backward passes, one optimiser step.
    public mutating func step() throws -> IterationRecord {
        // The record's `elapsed` is the caller's to set (a clock read per update is a cost).
        let record = try update(iteration: iteration)
        episodes += batch.episodes
        iteration += 1
        return record
    }

    // MARK: The stages of an update

    @usableFromInline func learningRate(at k: Int) -> Double { configuration.learningRate.value(at: k) }

    @inline(__always) @usableFromInline mutating func collect(iteration k: Int) throws {
        // The estimator's box made its own once per update; the stages below mutate it in place.
        estimator.unshare()
        estimator.prepareUnshared(iteration: k, table: table)
        try engine.collect(groups: groups, seed: configuration.seed, iteration: k, gamma: configuration.gamma,
                           table: table, estimator: estimator, into: &batch)
    }

    @inline(__always) @usableFromInline mutating func finalize() {
        batchScale = estimator.finalizeUnshared(&batch, table: table, normalised: true)
    }

    @inline(__always) @usableFromInline mutating func formGradient() { formGradient(scale: batchScale) }

    @inline(__always) @usableFromInline mutating func measure(iteration k: Int, learningRate lr: Double) -> IterationRecord {
        makeRecord(learningRate: lr)
    }

    @inline(__always) @usableFromInline mutating func applyGradient(learningRate lr: Double) {
        optimizer.step(&parameters, gradient: gradient, learningRate: lr)
    }

    @inline(__always) @usableFromInline mutating func learn() { estimator.updateUnshared(after: batch, table: table) }

    /// One gradient estimate ĝ at the current policy, from the batch of replicate `r`, without
    /// updating anything. Replicates are independent; the same `r` gives the same episodes to
    /// every estimator that samples actions the same way (common random numbers: REINFORCE
    /// with any baseline shares rollouts, the Gumbel-max estimators share Gumbel noise).
    /// - Parameter normalised: apply NVIL's 1/max(1, σ̂) (the training step does); pass false to
    ///   measure the estimator of ∇J itself.
    /// - Returns: ĝ (length `policy.parameterCount`).
    /// - Throws: ``InputError`` if the environment returned a state out of range.
    public mutating func estimate(replicate r: Int, normalised: Bool = false) throws -> [Double] {
        refreshTable()
        estimator.prepare(iteration: iteration, table: table)
        try engine.collect(groups: groups, seed: configuration.seed ^ 0x5EED_0F_AA11, iteration: r,
                           gamma: configuration.gamma, table: table, estimator: estimator, into: &batch)
        estimator.finalize(&batch, table: table, normalised: normalised)
        formGradient(scale: estimator.gradientScale(normalised: normalised))
        return gradient
    }

    /// Fits the estimator's state (baselines, critic) at the current, fixed policy from
    /// `batches` batches, so that it is measured with sensible values rather than its zero start;
    /// fewer if ``Cancellation`` is requested.
    /// - Throws: ``InputError`` if the environment returned a state out of range.
    public mutating func warmUp(batches: Int) throws {
        for b in 0..<batches {
            if Cancellation.isRequested { break }  // the run is stopping: a shorter warm-up is fine
            refreshTable()
            estimator.prepare(iteration: iteration, table: table)
            try engine.collect(groups: groups, seed: configuration.seed ^ 0x3A2B_11C0, iteration: b,
                               gamma: configuration.gamma, table: table, estimator: estimator, into: &batch)
            estimator.finalize(&batch, table: table, normalised: true)
            estimator.update(after: batch, table: table)
        }
    }

    /// Writes scale · (M[s,·] − π(·|s) T[s]) for every state into `out` (S × A).
    static func logitCotangents(_ batch: BatchAccumulator, _ table: PolicyTable, scale: Double, into out: inout [Double]) {
        let a = table.actionCount, states = table.stateCount
        batch.score.withUnsafeBufferPointer { m in
            batch.scoreTotal.withUnsafeBufferPointer { t in
                table.probabilities.withUnsafeBufferPointer { p in
                    out.withUnsafeMutableBufferPointer { cot in
                        // By row pointers, so that a row is one vector loop (the same operations per entry).
                        guard var c = cot.baseAddress, var mr = m.baseAddress, var pr = p.baseAddress else { return }
                        for s in 0..<states {
                            let ts = t[s]
                            for j in 0..<a { c[j] = scale * (mr[j] - pr[j] * ts) }
                            c += a; mr += a; pr += a
                        }
                    }
                }
            }
        }
    }

    /// Evaluates the policy in every state (the parameter table itself for tabular policies).
    @usableFromInline mutating func refreshTable() {
        if isTabular {
            table.update(fromTable: parameters)
        } else {
            basePolicy.parameters = parameters
            table.updateThroughLogits(of: basePolicy, features: engine.features)
            basePolicy.parameters = []
        }
    }

    /// ĝ = Σ_s Jᵀ_s (scale · (M[s,·] − π(·|s) T[s])), into ``gradient``.
    mutating func formGradient(scale: Double) {
        // Tabular policies: the parameters are the logits, so ĝ is the cotangent itself.
        if isTabular { return Self.logitCotangents(batch, table, scale: scale, into: &gradient) }
        Self.logitCotangents(batch, table, scale: scale, into: &cotangent)
        basePolicy.parameters = parameters
        basePolicy.backpropagate(logitCotangents: cotangent, features: engine.features, into: &gradient)
        basePolicy.parameters = []
    }
}
