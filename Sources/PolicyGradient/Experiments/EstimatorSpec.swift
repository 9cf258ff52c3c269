/// An estimator chosen by name, with values for its settings: one entry of a run header.
public struct EstimatorSpec: Sendable, Hashable {
    /// The registry name (`nvil`, `gumbel`).
    public var name: String
    /// Values of its settings (defaults for the others).
    public var settings: SettingValues

    /// The estimator `name` with `settings`.
    public init(_ name: String, settings: SettingValues = SettingValues()) {
        self.name = name
        self.settings = settings
    }

    /// The registry's descriptor.
    /// - Throws: ``InputError`` listing the valid names.
    public func descriptor() throws -> EstimatorDescriptor { try EstimatorRegistry.descriptor(named: name) }

    /// A training session of this estimator.
    /// - Throws: ``InputError`` for an unknown name, a bad setting, or an environment it cannot run on.
    public func makeSession(environment: any Environment, policy: any Policy,
                            configuration: TrainingConfiguration) throws -> any TrainingSession {
        try descriptor().makeSession(environment: environment, policy: policy, configuration: configuration,
                                     settings: settings)
    }
}

/// One line of a comparison: a label and everything that defines its runs.
public struct SweepVariant: Sendable {
    /// The label in tables and legends (`nvil`, `gumbel tau=0.5`).
    public var label: String
    /// The estimator.
    public var estimator: EstimatorSpec
    /// The training configuration (its `seed` is replaced by each sweep seed).
    public var configuration: TrainingConfiguration
    /// The policy.
    public var policy: PolicySpec

    /// Creates a variant; the label defaults to the estimator's name.
    public init(label: String? = nil, estimator: EstimatorSpec, configuration: TrainingConfiguration,
                policy: PolicySpec = PolicySpec()) {
        self.label = label ?? estimator.name
        self.estimator = estimator
        self.configuration = configuration
        self.policy = policy
    }

    /// A training session of this variant on `environment` with `seed` (one thread: sweeps
    /// parallelise over seeds).
    /// - Throws: ``InputError`` for a bad estimator, setting or environment.
    public func makeSession(environment: any Environment, seed: UInt64, threads: Int = 1) throws -> any TrainingSession {
        var c = configuration
        c.seed = seed
        c.threads = threads
        return try estimator.makeSession(environment: environment, policy: policy.make(for: environment, seed: seed),
                                         configuration: c)
    }
}
