/// A type-erased trainer, for front ends that pick the environment and the estimator at run time.
///
/// ``Trainer`` is generic over the environment and the estimator so that its rollout loop is
/// specialised; ``makeTrainingSession(environment:policy:configuration:features:estimator:)``
/// builds the specialised trainer for pg's own environment types and a generic one for any
/// other type. Sessions are usually made through an ``EstimatorDescriptor``.
public protocol TrainingSession {
    /// The configuration.
    var configuration: TrainingConfiguration { get }
    /// The policy (current parameters).
    var policy: any Policy { get set }
    /// The next update's index.
    var iteration: Int { get }
    /// Performs one update.
    /// - Throws: ``InputError`` if the environment returned a state out of range.
    mutating func step() throws -> IterationRecord
    /// Exact J of the current policy, when the dynamics are known.
    func exactJ() -> Double?
    /// The finite-horizon optimum, when the dynamics are known.
    var optimalJ: Double? { get }
    /// Which updates' records carry exact J (nil when the dynamics are unknown).
    var exactJSchedule: ExactJSchedule? { get }
    /// One gradient estimate at the current policy from replicate `r` (see ``Trainer/estimate(replicate:normalised:)``).
    mutating func estimate(replicate r: Int, normalised: Bool) throws -> [Double]
    /// Fits the estimator's state at the current policy (see ``Trainer/warmUp(batches:)``).
    mutating func warmUp(batches: Int) throws
    /// Exact ∇J of the current policy, when the dynamics are known.
    func exactGradient() -> [Double]?
    /// Whether each update also measures ‖ĝ − ∇J‖².
    var measuresGradientError: Bool { get set }
    /// The names of the estimator's values in each ``IterationRecord``.
    var logFields: [String] { get }
    /// Whether the estimator has state fitted from data.
    var needsWarmUp: Bool { get }
    /// The estimator's sampler (``GroupSampler/identity``): sessions with the same sampler,
    /// seed and batch draw the same actions.
    var samplerIdentity: String { get }
    /// The estimator.
    var estimator: AnyEstimator { get }
    /// The environment's state features.
    var features: StateFeatures { get }
    /// What the last batch (an update, an estimate or a warm-up batch) cost: its episodes and
    /// steps, and the branch episodes and steps of an estimator that branches.
    var lastBatchCost: BatchCost { get }
}

/// The cost of one batch in episodes and environment steps, its branches counted apart.
public struct BatchCost: Sendable, Equatable {
    /// Episodes of the batch (N).
    public var episodes: Int
    /// Environment steps of those episodes.
    public var steps: Int
    /// Extra continuations run by a branching estimator (``Branching``).
    public var branchEpisodes: Int
    /// Their environment steps.
    public var branchSteps: Int

    /// A cost from its parts.
    public init(episodes: Int, steps: Int, branchEpisodes: Int, branchSteps: Int) {
        self.episodes = episodes
        self.steps = steps
        self.branchEpisodes = branchEpisodes
        self.branchSteps = branchSteps
    }

    /// The cost recorded in `batch`.
    init(_ batch: BatchAccumulator) {
        self.init(episodes: batch.episodes, steps: batch.steps, branchEpisodes: batch.branchEpisodes, branchSteps: batch.branchSteps)
    }
}

extension Trainer: TrainingSession {
    /// The estimator's field names.
    public var logFields: [String] { estimator.logFields }
    /// Whether the estimator has state fitted from data.
    public var needsWarmUp: Bool { estimator.needsWarmUp }
    /// The estimator's sampler.
    public var samplerIdentity: String { estimator.samplerIdentity }
    /// The last batch's episodes, steps and branches.
    public var lastBatchCost: BatchCost { BatchCost(batch) }
}

/// A ``Trainer`` behind closures that were formed where its environment and estimator types
/// are known, so that calls through the ``TrainingSession`` existential reach code specialised
/// for both (a generic box's own conformance would run unspecialised).
final class TrainerBox<E: Environment> {
    // Unchecked: a session is used from one thread at a time (its own serial loop); the dynamic
    // exclusivity check would cost more than a one-sample update's arithmetic.
    @exclusivity(unchecked) var trainer: Trainer<E>
    init(_ trainer: Trainer<E>) { self.trainer = trainer }
}

/// The type-erased session: every requirement forwards to a closure over a ``TrainerBox``.
struct ErasedSession: TrainingSession {
    let box: AnyObject
    let getConfiguration: () -> TrainingConfiguration
    let getPolicy: () -> any Policy
    let setPolicy: (any Policy) -> Void
    let getIteration: () -> Int
    let doStep: () throws -> IterationRecord
    let doExactJ: () -> Double?
    let getOptimalJ: () -> Double?
    let doEstimate: (Int, Bool) throws -> [Double]
    let doWarmUp: (Int) throws -> Void
    let doExactGradient: () -> [Double]?
    let getLastBatchCost: () -> BatchCost
    let getMeasures: () -> Bool
    let setMeasures: (Bool) -> Void
    let logFields: [String]
    let needsWarmUp: Bool
    let samplerIdentity: String
    let getEstimator: () -> AnyEstimator
    let features: StateFeatures
    let exactJSchedule: ExactJSchedule?
    /// The seed as a gradient bandit's lockstep lane, where the trainer has that shape (``BanditSeed``).
    let makeKernel: () -> BanditSeed?

    init<E: Environment>(_ trainer: Trainer<E>) {
        let b = TrainerBox(trainer)
        box = b
        getConfiguration = { b.trainer.configuration }
        getPolicy = { b.trainer.policy }
        setPolicy = { b.trainer.policy = $0 }
        getIteration = { b.trainer.iteration }
        doStep = { try b.trainer.step() }
        doExactJ = { b.trainer.exactJ() }
        getOptimalJ = { b.trainer.optimalJ }
        doEstimate = { try b.trainer.estimate(replicate: $0, normalised: $1) }
        doWarmUp = { try b.trainer.warmUp(batches: $0) }
        doExactGradient = { b.trainer.exactGradient() }
        getLastBatchCost = { b.trainer.lastBatchCost }
        getMeasures = { b.trainer.measuresGradientError }
        setMeasures = { b.trainer.measuresGradientError = $0 }
        logFields = trainer.estimator.logFields
        needsWarmUp = trainer.estimator.needsWarmUp
        samplerIdentity = trainer.estimator.samplerIdentity
        getEstimator = { b.trainer.estimator }
        features = trainer.features
        exactJSchedule = trainer.exactJSchedule
        makeKernel = { BanditSeed(trainer: b.trainer) }
    }

    var configuration: TrainingConfiguration { getConfiguration() }
    var policy: any Policy {
        get { getPolicy() }
        set { setPolicy(newValue) }
    }
    var iteration: Int { getIteration() }
    var estimator: AnyEstimator { getEstimator() }
    var optimalJ: Double? { getOptimalJ() }
    var measuresGradientError: Bool {
        get { getMeasures() }
        set { setMeasures(newValue) }
    }
    mutating func step() throws -> IterationRecord { try doStep() }
    func exactJ() -> Double? { doExactJ() }
    mutating func estimate(replicate r: Int, normalised: Bool) throws -> [Double] { try doEstimate(r, normalised) }
    mutating func warmUp(batches: Int) throws { try doWarmUp(batches) }
    func exactGradient() -> [Double]? { doExactGradient() }
    var lastBatchCost: BatchCost { getLastBatchCost() }
}

/// Builds a trainer of `estimator` on `environment`, specialised for pg's built-in environment types.
/// - Throws: ``InputError`` if the configuration does not fit the environment or the estimator.
public func makeTrainingSession(environment: any Environment, policy: any Policy, configuration c: TrainingConfiguration,
                                features: StateFeatures? = nil, estimator: AnyEstimator) throws -> any TrainingSession {
    switch environment {
    case let e as Bandit:
        return ErasedSession(try Trainer(environment: e, policy: policy, configuration: c, estimator: estimator, features: features))
    case let e as Toy:
        return ErasedSession(try Trainer(environment: e, policy: policy, configuration: c, estimator: estimator, features: features))
    case let e as Gridworld:
        return ErasedSession(try Trainer(environment: e, policy: policy, configuration: c, estimator: estimator, features: features))
    case let e as TabularEnvironment:
        return ErasedSession(try Trainer(environment: e, policy: policy, configuration: c, estimator: estimator, features: features))
    case let e as FactorisedCategorical:
        return ErasedSession(try Trainer(environment: e, policy: policy, configuration: c, estimator: estimator, features: features))
    default:
        return try openSession(environment, policy: policy, configuration: c, features: features, estimator: estimator)
    }
}

private func openSession<E: Environment>(_ e: E, policy: any Policy, configuration: TrainingConfiguration,
                                         features: StateFeatures?, estimator: AnyEstimator) throws -> any TrainingSession {
    ErasedSession(try Trainer(environment: e, policy: policy, configuration: configuration, estimator: estimator,
                              features: features))
}

extension EstimatorDescriptor {
    /// A training session of this estimator with the settings `values` (defaults for the rest).
    /// - Throws: ``InputError`` for a setting it does not have, a value out of range, or an
    ///   environment it cannot run on.
    public func makeSession(environment: any Environment, policy: any Policy, configuration: TrainingConfiguration,
                            settings values: SettingValues = SettingValues()) throws -> any TrainingSession {
        let context = try EstimatorContext(environment: environment, configuration: configuration)
        return try makeTrainingSession(environment: environment, policy: policy, configuration: configuration,
                                       features: context.features, estimator: makeEstimator(context: context, settings: values))
    }
}

extension EstimatorContext {
    /// The context of a run of `configuration` on `environment`.
    /// - Throws: ``InputError`` if the environment's feature matrix is too large.
    public init(environment: any Environment, configuration: TrainingConfiguration) throws {
        self.init(environment: environment, features: try environment.stateFeatures(),
                  model: (environment as? any KnownDynamics)?.model, seed: configuration.seed, gamma: configuration.gamma,
                  episodesPerUpdate: configuration.episodes)
    }
}
