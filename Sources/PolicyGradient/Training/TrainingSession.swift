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

/// Builds a trainer for `environment`, specialised for pg's built-in environment types.
/// - Throws: ``InputError`` if the configuration is out of range or incompatible.
public func makeTrainingSession(environment: any Environment, policy: any Policy,
                                configuration: TrainingConfiguration) throws -> any TrainingSession {
    switch environment {
    case let e as Bandit: return try Trainer(environment: e, policy: policy, configuration: configuration)
    case let e as Toy: return try Trainer(environment: e, policy: policy, configuration: configuration)
    case let e as Gridworld: return try Trainer(environment: e, policy: policy, configuration: configuration)
    default: return try openSession(environment, policy: policy, configuration: configuration)
    }
}

private func openSession<E: Environment>(_ e: E, policy: any Policy,
                                         configuration: TrainingConfiguration) throws -> any TrainingSession {
    try Trainer(environment: e, policy: policy, configuration: configuration)
}
