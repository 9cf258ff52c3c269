/// A type-erased trainer, for front ends that pick the environment at run time.
///
/// ``Trainer`` is generic over the environment so that its rollout loop is specialised;
/// ``makeTrainingSession(environment:policy:configuration:)`` builds the specialised trainer
/// for pg's own environment types and a generic one for any other type.
public protocol TrainingSession {
    /// The configuration.
    var configuration: TrainingConfiguration { get }
    /// The policy (current parameters).
    var policy: any Policy { get set }
    /// The next update's index.
    var iteration: Int { get }
    /// Performs one update.
    mutating func step() -> IterationRecord
    /// Exact J of the current policy, when the dynamics are known.
    func exactJ() -> Double?
    /// The finite-horizon optimum, when the dynamics are known.
    var optimalJ: Double? { get }
    /// One gradient estimate at the current policy from replicate `r` (see ``Trainer/estimate(replicate:normalised:)``).
    mutating func estimate(replicate r: Int, normalised: Bool) -> [Double]
    /// Fits baselines and critic at the current policy (see ``Trainer/warmUp(batches:)``).
    mutating func warmUp(batches: Int)
    /// Exact ∇J of the current policy, when the dynamics are known.
    func exactGradient() -> [Double]?
    /// Whether each update also measures ‖ĝ − ∇J‖².
    var measuresGradientError: Bool { get set }
}

extension Trainer: TrainingSession {}

/// A concrete (non-generic) box around a ``Trainer`` of one environment type. Calls through
/// the ``TrainingSession`` existential then reach code specialised for that type, which a
/// generic type's own conformance cannot give.
protocol SpecialisedSession: TrainingSession {
    associatedtype Env: Environment
    var trainer: Trainer<Env> { get set }
}

extension SpecialisedSession {
    var configuration: TrainingConfiguration { trainer.configuration }
    var policy: any Policy {
        get { trainer.policy }
        set { trainer.policy = newValue }
    }
    var iteration: Int { trainer.iteration }
    var optimalJ: Double? { trainer.optimalJ }
    var measuresGradientError: Bool {
        get { trainer.measuresGradientError }
        set { trainer.measuresGradientError = newValue }
    }
    mutating func step() -> IterationRecord { trainer.step() }
    func exactJ() -> Double? { trainer.exactJ() }
    mutating func estimate(replicate r: Int, normalised: Bool) -> [Double] {
        trainer.estimate(replicate: r, normalised: normalised)
    }
    mutating func warmUp(batches: Int) { trainer.warmUp(batches: batches) }
    func exactGradient() -> [Double]? { trainer.exactGradient() }
}

struct BanditSession: SpecialisedSession { var trainer: Trainer<Bandit> }
struct ToySession: SpecialisedSession { var trainer: Trainer<Toy> }
struct GridworldSession: SpecialisedSession { var trainer: Trainer<Gridworld> }

/// Builds a trainer for `environment`, specialised for pg's built-in environment types.
/// - Throws: ``InputError`` if the configuration is out of range or incompatible.
public func makeTrainingSession(environment: any Environment, policy: any Policy,
                                configuration c: TrainingConfiguration) throws -> any TrainingSession {
    switch environment {
    case let e as Bandit: return BanditSession(trainer: try Trainer(environment: e, policy: policy, configuration: c))
    case let e as Toy: return ToySession(trainer: try Trainer(environment: e, policy: policy, configuration: c))
    case let e as Gridworld: return GridworldSession(trainer: try Trainer(environment: e, policy: policy, configuration: c))
    default: return try openSession(environment, policy: policy, configuration: c)
    }
}

private func openSession<E: Environment>(_ e: E, policy: any Policy,
                                         configuration: TrainingConfiguration) throws -> any TrainingSession {
    try Trainer(environment: e, policy: policy, configuration: configuration)
}
