import Foundation

/// Trains a categorical policy on an environment with one gradient estimator.
///
/// One call of ``step()`` is one update and reads top to bottom:
/// rollout → estimator → gradient → optimiser → estimator's learning → log. The mathematics
/// lives in the units it calls (``RolloutEngine``, the ``GradientEstimator``, ``Optimizer``,
/// ``ExactGradient``). Generic over the environment, so that the rollout loop is specialised for
/// it; the estimator is held as an ``AnyEstimator``, whose calls reach code specialised for the
/// estimator's own type.
public struct Trainer<E: Environment> {
    /// The environment.
    public let environment: E
    /// The policy being trained (its parameters are held in ``parameters`` while training).
    public var policy: any Policy {
        get {
            var p = basePolicy
            p.parameters = parameters
            return p
        }
        set {
            precondition(newValue.parameterCount == parameters.count, "a policy of another shape")
            basePolicy = newValue
            parameters = newValue.parameters
            basePolicy.parameters = []
        }
    }
    /// The policy's parameters φ (kept apart from the policy value, so that the optimiser
    /// updates them in place without copying).
    public internal(set) var parameters: [Double]
    /// The policy with its parameters removed (they are lent to it while it evaluates).
    var basePolicy: any Policy
    /// The run's configuration.
    public let configuration: TrainingConfiguration
    /// The estimator and its state.
    public internal(set) var estimator: AnyEstimator
    /// The next update's index.
    public internal(set) var iteration = 0
    /// Episodes collected so far.
    public internal(set) var episodes = 0
    /// Known dynamics, for exact J.
    public let model: TabularModel?
    /// The environment's own exact objective, when it has one and no known dynamics.
    public let objective: (any ExactObjective)?
    /// The finite-horizon optimum, when the dynamics are known.
    public let optimalJ: Double?
    /// Also measure ‖ĝ − ∇J‖² every update (costs one exact gradient per update).
    public var measuresGradientError = false
    /// Expected reward per action of a one-step, one-state environment with known dynamics.
    let oneStepRewards: [Double]?
    let engine: RolloutEngine<E>
    /// Groups per batch: N / K.
    let groups: Int
    var optimizer: Optimizer
    var table: PolicyTable
    var gradient: [Double]
    /// The statistics of the current batch.
    var batch: BatchAccumulator
    /// The estimator's gradient scale for the current batch, read with its finalisation.
    var batchScale = 1.0
    /// The policy is a ``TabularPolicy``: its parameters are its logits.
    let isTabular: Bool
    var cotangent: [Double]
    let hasModel: Bool
    /// J by backward induction for multi-step environments with known dynamics.
    var exactValue: ExactValue?
    /// The cost of exact J in multiply-adds (``exactValue``'s or the objective's; nil for the
    /// closed forms), held apart so that an update reads it without copying ``exactValue``.
    let exactCost: Int?
    /// When the log carries exact J (nil without known dynamics or an exact objective).
    public let exactJSchedule: ExactJSchedule?
    /// Rollout work credited to exact J since it was last evaluated (multiply-adds).
    var exactCredit = 0.0

    /// Creates a trainer.
    /// - Throws: ``InputError`` if the configuration does not fit the environment or the estimator.
    /// - Parameter features: the environment's features, if already built (else built here).
    public init(environment: E, policy: any Policy, configuration c: TrainingConfiguration, estimator: AnyEstimator,
                features: StateFeatures? = nil) throws {
        try c.validate(for: environment, groupSize: estimator.groupSize)
        precondition(policy.actionCount == environment.actionCount, "policy and environment disagree on actions")
        self.environment = environment
        basePolicy = policy
        parameters = policy.parameters
        basePolicy.parameters = []
        configuration = c
        self.estimator = estimator
        groups = c.episodes / estimator.groupSize
        let threads = c.threads == 0 ? ProcessInfo.processInfo.activeProcessorCount : c.threads
        engine = try RolloutEngine(environment: environment, estimator: estimator, groups: groups, threads: threads,
                                   features: features)
        optimizer = Optimizer(kind: c.optimizer, parameterCount: policy.parameterCount)
        let s = environment.stateCount, a = environment.actionCount
        table = PolicyTable(stateCount: s, actionCount: a)
        gradient = [Double](repeating: 0, count: policy.parameterCount)
        cotangent = [Double](repeating: 0, count: s * a)
        batch = BatchAccumulator(stateCount: s, actionCount: a,
                                 auxiliaryCount: estimator.auxiliaryCount(stateCount: s, actionCount: a))
        model = (environment as? any KnownDynamics)?.model
        objective = model == nil ? environment as? any ExactObjective : nil
        hasModel = model != nil || objective != nil
        isTabular = policy is TabularPolicy
        if let m = model, m.stateCount == 1, environment.timeLimit == 1 {
            oneStepRewards = (0..<m.actionCount).map { m.expectedReward(state: 0, action: $0) }
        } else {
            oneStepRewards = nil
        }
        optimalJ = ExactGradient.optimalValue(environment: environment, gamma: c.gamma)
        if let m = model, oneStepRewards == nil {
            let v = ExactValue(model: m, horizon: environment.timeLimit, gamma: c.gamma)
            exactValue = v
            exactJSchedule = Double(v.cost) <= Self.exactShare * Self.stepCost * Double(c.episodes) ? .everyUpdate : .budgeted
        } else {
            exactJSchedule = model != nil ? .everyUpdate : objective.map {
                Double($0.exactObjectiveCost) <= Self.exactShare * Self.stepCost * Double(c.episodes) ? .everyUpdate : .budgeted
            }
        }
        exactCost = exactValue?.cost ?? objective?.exactObjectiveCost
    }

    /// The share of an update's rollout work that exact J may take (see ``ExactJSchedule/budgeted``).
    static var exactShare: Double { 0.2 }
    /// A rollout step's work in multiply-adds of ``ExactValue`` (a step costs about 20 of them).
    static var stepCost: Double { 20 }

    /// The environment's state features.
    public var features: StateFeatures { engine.features }

    /// Exact J of the current policy (nil without known dynamics or an exact objective), computed as the records'
    /// `exact_j` is, so that the two agree bit for bit.
    public func exactJ() -> Double? {
        if let objective { return ExactGradient.evaluate(policy: policy, objective: objective, features: engine.features,
                                                          gamma: configuration.gamma).value }
        guard let model else { return nil }
        var t = PolicyTable(stateCount: model.stateCount, actionCount: model.actionCount)
        t.update(from: policy, features: engine.features)
        if let rewards = oneStepRewards {
            var j = 0.0
            for k in 0..<model.actionCount { j += t.probabilities[k] * rewards[k] }
            return j
        }
        var v = exactValue!
        return t.probabilities.withUnsafeBufferPointer { v.evaluate(probabilities: $0) }
    }

    /// Exact ∇J of the current policy (nil without known dynamics or an exact objective).
    public func exactGradient() -> [Double]? {
        if let objective { return ExactGradient.evaluate(policy: policy, objective: objective, features: engine.features,
                                                          gamma: configuration.gamma).gradient }
        guard let model else { return nil }
        return ExactGradient.evaluate(policy: policy, model: model, features: engine.features,
                                      horizon: environment.timeLimit, gamma: configuration.gamma).gradient
    }
}
