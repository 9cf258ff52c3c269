/// What the rollout of one batch needs to know to turn steps into gradient terms: the
/// estimator, the frozen baseline values and the temperature. Built by the trainer before
/// each batch; constant during it.
public struct BatchSignal: Sendable {
    /// The estimator.
    public var estimator: EstimatorKind
    /// REINFORCE's baseline.
    public var baseline: BaselineKind
    /// Discount γ.
    public var gamma: Double
    /// 1/N, N = episodes in the batch.
    public var inverseEpisodes: Double
    /// b for `ema`, b̄ for `nvil`.
    public var center: Double = 0
    /// c_ψ(s) per state for `nvil` (empty otherwise).
    public var stateBaseline: [Double] = []
    /// τ for the Gumbel estimators.
    public var temperature: Double = 1
    /// The learned critic used by the Gumbel estimators when the environment has no
    /// differentiable reward.
    public var critic: Critic?

    /// Creates a signal description.
    public init(estimator: EstimatorKind, baseline: BaselineKind, gamma: Double, inverseEpisodes: Double) {
        self.estimator = estimator
        self.baseline = baseline
        self.gamma = gamma
        self.inverseEpisodes = inverseEpisodes
    }
}
