/// Everything that defines a training run besides the environment and the policy.
///
/// One update uses ``batch`` contexts × ``samples`` episodes each (N = batch · samples
/// episodes); the gradient is averaged over episodes, not over steps.
public struct TrainingConfiguration: Sendable, Equatable {
    /// REINFORCE, Gumbel-softmax or straight-through Gumbel-softmax.
    public var estimator: EstimatorKind = .reinforce
    /// REINFORCE's baseline.
    public var baseline: BaselineKind = .none
    /// How the `ema` baseline averages (exponential decay or plain running mean).
    public var average: AverageKind = .exponential
    /// β of the exponential averages (`ema`, and NVIL's b̄ and σ̂²).
    public var decay = 0.9
    /// Contexts (independent starts) per update.
    public var batch = 32
    /// K: episodes per context (≥ 2 for `vimco`).
    public var samples = 1
    /// Number of updates.
    public var iterations = 200
    /// Step size, constant or decayed.
    public var learningRate = Schedule(initial: 0.1)
    /// SGD or Adam.
    public var optimizer: OptimizerKind = .adam
    /// Discount γ ∈ [0, 1].
    public var gamma = 1.0
    /// The run's seed: every draw descends from (seed, iteration, episode).
    public var seed: UInt64 = 1
    /// Worker threads (0 = all cores). Results do not depend on it.
    public var threads = 0
    /// The Gumbel estimators' temperature τ, constant or annealed.
    public var temperature = Schedule(initial: 1)
    /// Step size of NVIL's c_ψ.
    public var nvilLearningRate = 0.1
    /// Hidden widths of the Gumbel estimators' critic.
    public var criticHidden = [32]
    /// Adam steps of the critic per update, and its step size.
    public var criticSteps = 20, criticLearningRate = 0.01

    /// The default configuration.
    public init() {}

    /// N = batch · samples.
    public var episodesPerUpdate: Int { batch * samples }

    /// Checks ranges; the error names the flag and the valid values.
    public func validate() throws {
        func fail(_ flag: String, _ what: String) throws -> Never { throw InputError("--\(flag): \(what)") }
        if batch < 1 { try fail("batch", "must be at least 1, got \(batch)") }
        if samples < 1 { try fail("samples", "must be at least 1, got \(samples)") }
        if baseline == .vimco && samples < 2 {
            try fail("samples", "vimco needs K >= 2 episodes per context (leave-one-out), got \(samples)")
        }
        if iterations < 0 { try fail("iterations", "must be at least 0, got \(iterations)") }
        if !(learningRate.initial > 0) || !learningRate.initial.isFinite {
            try fail("lr", "must be a positive number, got \(learningRate.initial)")
        }
        if !(learningRate.minimum > 0) { try fail("lr-min", "must be positive, got \(learningRate.minimum)") }
        if !(learningRate.rate >= 0) { try fail("lr-decay", "must be >= 0, got \(learningRate.rate)") }
        if !(gamma >= 0 && gamma <= 1) { try fail("gamma", "must be in [0, 1], got \(gamma)") }
        if !(decay >= 0 && decay < 1) { try fail("decay", "must be in [0, 1), got \(decay)") }
        if !(temperature.initial > 0) || !temperature.initial.isFinite {
            try fail("tau", "the temperature must be > 0, got \(temperature.initial)")
        }
        if !(temperature.minimum > 0) { try fail("tau-min", "must be > 0, got \(temperature.minimum)") }
        if !(temperature.rate >= 0) { try fail("anneal", "must be >= 0, got \(temperature.rate)") }
        if threads < 0 { try fail("threads", "must be >= 0 (0 = all cores), got \(threads)") }
        if !(nvilLearningRate > 0) { try fail("nvil-lr", "must be positive, got \(nvilLearningRate)") }
    }
}
