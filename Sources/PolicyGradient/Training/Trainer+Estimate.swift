extension Trainer {
    /// One gradient estimate ĝ at the current policy, from the batch of replicate `r`, without
    /// updating anything. Replicates are independent; the same `r` gives the same episodes to
    /// every estimator that samples actions the same way (common random numbers: REINFORCE
    /// with any baseline shares rollouts, `gumbel` and `st-gumbel` share Gumbel noise).
    /// - Parameter normalised: apply NVIL's 1/max(1, σ̂) (the training step does); pass false to
    ///   measure the estimator of ∇J itself.
    /// - Returns: ĝ (length `policy.parameterCount`).
    public mutating func estimate(replicate r: Int, normalised: Bool = false) -> [Double] {
        let c = configuration
        refreshTable()
        prepareSignal(temperature: c.temperature.value(at: iteration))
        engine.collect(groups: c.batch, seed: c.seed ^ 0x5EED_0F_AA11, iteration: r, table: table, signal: signal,
                       into: &batch)
        let nvilScale = c.estimator == .reinforce && c.baseline == .nvil && normalised ? nvil.scale : 1
        formGradient(scale: nvilScale)
        return gradient
    }

    /// Fits the baselines (and the critic) at the current, fixed policy from `batches` batches,
    /// so that `ema` and `nvil` are measured with sensible values rather than their zero start.
    public mutating func warmUp(batches: Int) {
        let c = configuration
        for b in 0..<batches {
            refreshTable()
            prepareSignal(temperature: c.temperature.value(at: iteration))
            engine.collect(groups: c.batch, seed: c.seed ^ 0x3A2B_11C0, iteration: b, table: table, signal: signal,
                           into: &batch)
            updateBaselines()
        }
        episodes = 0
    }

    /// Exact ∇J of the current policy (nil without known dynamics).
    public func exactGradient() -> [Double]? {
        guard let model else { return nil }
        return ExactGradient.evaluate(policy: policy, model: model, features: engine.features,
                                      featureCount: environment.featureCount, horizon: environment.timeLimit,
                                      gamma: configuration.gamma).gradient
    }
}
