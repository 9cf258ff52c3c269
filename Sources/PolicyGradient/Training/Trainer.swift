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
    /// Also measure ‖ĝ − ∇J‖² every update (costs one exact gradient per update).
    public var measuresGradientError = false
    /// Expected reward per action of a one-step, one-state environment with known dynamics.
    let oneStepRewards: [Double]?
    let engine: RolloutEngine<E>
    var optimizer: Optimizer
    var table: PolicyTable
    var gradient: [Double]
    /// The statistics of the current batch.
    var batch: BatchAccumulator
    /// What the rollout needs from the estimator and baselines; updated before each batch.
    var signal: BatchSignal
    let hasModel: Bool
    /// The policy is a ``TabularPolicy``: its parameters are its logits.
    let isTabular: Bool
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
        engine = RolloutEngine(environment: environment, samples: c.samples, groups: c.batch, threads: threads)
        average = MovingAverageBaseline(kind: c.average, decay: c.decay)
        nvil = NVILBaseline(featureCount: environment.featureCount, decay: c.decay, learningRate: c.nvilLearningRate)
        optimizer = Optimizer(kind: c.optimizer, parameterCount: policy.parameterCount)
        table = PolicyTable(stateCount: environment.stateCount, actionCount: environment.actionCount)
        gradient = [Double](repeating: 0, count: policy.parameterCount)
        cotangent = [Double](repeating: 0, count: environment.stateCount * environment.actionCount)
        signal = BatchSignal(estimator: c.estimator, baseline: c.baseline, gamma: c.gamma,
                             inverseEpisodes: 1 / Double(c.episodesPerUpdate))
        batch = BatchAccumulator(stateCount: environment.stateCount, actionCount: environment.actionCount)
        model = (environment as? any KnownDynamics)?.model
        hasModel = model != nil
        isTabular = policy is TabularPolicy
        if let m = model, m.stateCount == 1, environment.timeLimit == 1 {
            oneStepRewards = (0..<m.actionCount).map { m.expectedReward(state: 0, action: $0) }
        } else {
            oneStepRewards = nil
        }
        optimalJ = model.map { ExactGradient.optimalValue(model: $0, horizon: environment.timeLimit, gamma: c.gamma) }
        if c.estimator != .reinforce && !(environment is any DifferentiableReward) {
            var rng = RandomStream(seed: c.seed).split(0xC817)
            critic = Critic(featureCount: environment.featureCount, actionCount: environment.actionCount,
                            hidden: c.criticHidden, activation: c.criticActivation, fitSteps: c.criticSteps,
                            learningRate: c.criticLearningRate, memoryDecay: c.decay, using: &rng)
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

    /// Brings ``signal`` up to date with the baselines, the critic and τ before a batch
    /// (in place: allocates nothing once the buffers exist).
    mutating func prepareSignal(temperature: Double) {
        signal.temperature = temperature
        if configuration.estimator != .reinforce { signal.critic = critic }
        switch configuration.baseline {
        case .ema: signal.center = average.value
        case .nvil:
            signal.center = nvil.center.value
            nvil.stateValues(features: engine.features, into: &signal.stateBaseline)
        case .none, .vimco: break
        }
    }
}
