/// What an estimator's factory knows about the run it is built for.
public struct EstimatorContext: Sendable {
    /// The environment (for set-up only: shapes, a differentiable reward, known dynamics).
    public let environment: any Environment
    /// Its state features.
    public let features: StateFeatures
    /// Its transition table, when the dynamics are known.
    public let model: TabularModel?
    /// The run's seed (for an estimator's own initialisation, such as a critic's weights).
    public let seed: UInt64
    /// The discount γ.
    public let gamma: Double
    /// N, episodes per update.
    public let episodesPerUpdate: Int

    /// Creates a context.
    public init(environment: any Environment, features: StateFeatures, model: TabularModel?, seed: UInt64,
                gamma: Double, episodesPerUpdate: Int) {
        self.environment = environment
        self.features = features
        self.model = model
        self.seed = seed
        self.gamma = gamma
        self.episodesPerUpdate = episodesPerUpdate
    }
}
