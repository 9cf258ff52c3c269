import Foundation

/// Trains a categorical policy on an environment with one gradient estimator.
///
/// One call of ``step()`` is one update, and reads top to bottom:
/// rollout → returns → baseline → gradient → update → log. The mathematics lives in the units
/// it calls (``RolloutEngine``, ``MovingAverageBaseline``, ``NVILBaseline``, ``Critic``,
/// ``Optimizer``, ``ExactGradient``).
public struct Trainer<E: Environment> {
    /// The environment.
    public let environment: E
    /// The policy being trained.
    public var policy: any Policy
    /// The run's configuration.
    public let configuration: TrainingConfiguration
    /// The next update's index.
    public internal(set) var iteration = 0
    /// Episodes collected so far.
    public internal(set) var episodes = 0
    /// The `ema` baseline.
    public internal(set) var average: MovingAverageBaseline
    /// The `nvil` baseline.
    public internal(set) var nvil: NVILBaseline
    /// The Gumbel estimators' critic (only when the environment has no differentiable reward).
    public internal(set) var critic: Critic?
    /// Known dynamics, for exact J.
    public let model: TabularModel?
    /// The finite-horizon optimum, when the dynamics are known.
    public let optimalJ: Double?
    let engine: RolloutEngine<E>
    var optimizer: Optimizer
    var table: PolicyTable
    var gradient: [Double]
    var cotangent: [Double]
    let start = Date()

    /// Creates a trainer.
    /// - Throws: ``InputError`` if the configuration is out of range.
    public init(environment: E, policy: any Policy, configuration c: TrainingConfiguration) throws {
        try c.validate(for: environment)
        precondition(policy.actionCount == environment.actionCount, "policy and environment disagree on actions")
        self.environment = environment
        self.policy = policy
        configuration = c
        let threads = c.threads == 0 ? ProcessInfo.processInfo.activeProcessorCount : c.threads
        engine = RolloutEngine(environment: environment, samples: c.samples, threads: threads)
        average = MovingAverageBaseline(kind: c.average, decay: c.decay)
        nvil = NVILBaseline(featureCount: environment.featureCount, decay: c.decay, learningRate: c.nvilLearningRate)
        optimizer = Optimizer(kind: c.optimizer, parameterCount: policy.parameterCount)
        table = PolicyTable(stateCount: environment.stateCount, actionCount: environment.actionCount)
        gradient = [Double](repeating: 0, count: policy.parameterCount)
        cotangent = [Double](repeating: 0, count: environment.stateCount * environment.actionCount)
        model = (environment as? any KnownDynamics)?.model
        optimalJ = model.map { ExactGradient.optimalValue(model: $0, horizon: environment.timeLimit, gamma: c.gamma) }
        if c.estimator != .reinforce && !(environment is any DifferentiableReward) {
            var rng = RandomStream(seed: c.seed).split(0xC817)
            critic = Critic(featureCount: environment.featureCount, actionCount: environment.actionCount,
                            hidden: c.criticHidden, fitSteps: c.criticSteps, learningRate: c.criticLearningRate, using: &rng)
        }
    }

    /// Exact J of the current policy (nil without known dynamics).
    public func exactJ() -> Double? {
        guard let model else { return nil }
        var t = PolicyTable(stateCount: model.stateCount, actionCount: model.actionCount)
        t.update(from: policy, features: engine.features, featureCount: environment.featureCount)
        return ExactGradient.logitCotangent(table: t, model: model, horizon: environment.timeLimit,
                                            gamma: configuration.gamma).value
    }

    /// The estimator's signal description for the current state of the baselines.
    func batchSignal(temperature: Double) -> BatchSignal {
        let c = configuration
        var s = BatchSignal(estimator: c.estimator, baseline: c.baseline, gamma: c.gamma,
                            inverseEpisodes: 1 / Double(c.episodesPerUpdate))
        s.temperature = temperature
        s.critic = critic
        switch c.baseline {
        case .ema: s.center = average.value
        case .nvil:
            s.center = nvil.center.value
            s.stateBaseline = nvil.stateValues(features: engine.features, stateCount: environment.stateCount)
        case .none, .vimco: break
        }
        return s
    }
}
