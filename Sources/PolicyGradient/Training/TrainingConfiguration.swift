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
    /// Hidden activation of the critic. ReLU by default: with tanh, the critic's gradient at a
    /// one-hot action (what `st-gumbel` uses) carried almost no information on FrozenLake.
    public var criticActivation = Activation.relu
    /// Adam steps of the critic per update, and its step size.
    public var criticSteps = 10, criticLearningRate = 0.01

    /// The default configuration.
    public init() {}

    /// N = batch · samples.
    public var episodesPerUpdate: Int { batch * samples }

    /// Checks ranges; the error names the flag and the valid values.
    public func validate() throws {
        func fail(_ flag: String, _ what: String) throws -> Never { throw InputError("--\(flag): \(what)") }
        if batch < 1 { try fail("batch", "must be at least 1, got \(batch)") }
        if samples < 1 { try fail("samples", "must be at least 1, got \(samples)") }
        if samples > 1_000_000 { try fail("samples", "must be at most 1000000, got \(samples)") }
        if batch.multipliedReportingOverflow(by: samples).overflow || batch * samples > 100_000_000 {
            try fail("batch", "an update uses batch x samples episodes, at most 100000000; got \(batch) x \(samples)")
        }
        if baseline == .vimco && samples < 2 {
            try fail("samples", "vimco needs K >= 2 episodes per context (leave-one-out), got \(samples)")
        }
        if iterations < 0 { try fail("iterations", "must be at least 0, got \(iterations)") }
        if !(learningRate.initial > 0) || !learningRate.initial.isFinite {
            try fail("lr", "must be a positive number, got \(learningRate.initial)")
        }
        if !(learningRate.minimum > 0) { try fail("lr-min", "must be positive, got \(learningRate.minimum)") }
        if learningRate.minimum > learningRate.initial {
            try fail("lr-min", "must be at most --lr (\(learningRate.initial)), got \(learningRate.minimum)")
        }
        if !(learningRate.rate >= 0) { try fail("lr-decay", "must be >= 0, got \(learningRate.rate)") }
        if !(gamma >= 0 && gamma <= 1) { try fail("gamma", "must be in [0, 1], got \(gamma)") }
        if !(decay >= 0 && decay < 1) { try fail("decay", "must be in [0, 1), got \(decay)") }
        if !(temperature.initial > 0) || !temperature.initial.isFinite {
            try fail("tau", "the temperature must be > 0, got \(temperature.initial)")
        }
        if !(temperature.minimum > 0) { try fail("tau-min", "must be > 0, got \(temperature.minimum)") }
        if temperature.minimum > temperature.initial {
            try fail("tau-min", "must be at most --tau (\(temperature.initial)), got \(temperature.minimum)")
        }
        if !(temperature.rate >= 0) { try fail("anneal", "must be >= 0, got \(temperature.rate)") }
        if threads < 0 { try fail("threads", "must be >= 0 (0 = all cores), got \(threads)") }
        if !(nvilLearningRate > 0) { try fail("nvil-lr", "must be positive, got \(nvilLearningRate)") }
        if !(1...2).contains(criticHidden.count) || !criticHidden.allSatisfy({ (1...100_000).contains($0) }) {
            try fail("critic-hidden", "give one or two layer widths in 1...100000, e.g. 32 or 64,64; got "
                         + criticHidden.map(String.init).joined(separator: ","))
        }
        if criticSteps < 0 { try fail("critic-steps", "must be >= 0, got \(criticSteps)") }
        if !(criticLearningRate > 0) { try fail("critic-lr", "must be positive, got \(criticLearningRate)") }
    }

    /// ``validate()``, that `environment` has at least one state, action and feature and a
    /// positive time limit, and that K episodes of its time limit fit the rollout buffers
    /// (K × time limit ≤ 10,000,000 steps per worker).
    public func validate(for environment: any Environment) throws {
        try validate()
        let e = environment
        for (what, n) in [("actionCount", e.actionCount), ("stateCount", e.stateCount),
                          ("featureCount", e.featureCount), ("timeLimit", e.timeLimit)] where n < 1 {
            throw InputError("--env: environment \(e.id) has \(what) \(n); it must be at least 1 (pg check --env NAME lists the problems)")
        }
        let (steps, overflow) = samples.multipliedReportingOverflow(by: environment.timeLimit)
        if overflow || steps > 10_000_000 {
            throw InputError("--samples: K x time limit must be at most 10000000 steps; got \(samples) x \(environment.timeLimit)")
        }
    }
}
