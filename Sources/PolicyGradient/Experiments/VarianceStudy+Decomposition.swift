extension VarianceStudy {
    /// The exact split of one estimate's variance into Tucker et al.'s state, action and
    /// trajectory parts (``VarianceDecomposition``), for the REINFORCE estimators whose baseline
    /// at a fixed policy is known in closed form, each at the value it converges to there:
    /// `none` (b = 0), `ema` and `mean` (running averages of every step's return-to-go: the value
    /// averaged over all steps), `nvil` (b̄ + c_ψ(s) = each
    /// state's value averaged over its visits; exact for one-hot features), `vimco` (the mean
    /// of the other K − 1 returns-to-go: its mean and its noise) and `optimal` (b*_t(s), the
    /// reference row: the least action part of any baseline constant given the step and state). nil for other estimators, for a
    /// policy that is not tabular, without known dynamics, and for `vimco` with a random start.
    /// - Returns: the components of an estimate of `configuration.episodes` episodes.
    /// - Complexity: see ``VarianceDecomposition/exact(model:table:horizon:gamma:baseline:rewardVariance:)``.
    public static func decomposition(of estimator: EstimatorSpec, environment: any Environment, policy: any Policy,
                                     features: StateFeatures, configuration: TrainingConfiguration) -> VarianceDecomposition? {
        guard policy is TabularPolicy, let model = (environment as? any KnownDynamics)?.model else { return nil }
        var table = PolicyTable(stateCount: model.stateCount, actionCount: model.actionCount)
        table.update(from: policy, features: features)
        let horizon = environment.timeLimit, gamma = configuration.gamma
        let baseline: VarianceDecomposition.BaselineValues
        switch estimator.name {
        case "none": baseline = .zero
        case "ema", "mean":
            baseline = .constant(VarianceDecomposition.stepAveragedValue(model: model, table: table, horizon: horizon, gamma: gamma))
        case "nvil":
            baseline = .perState(VarianceDecomposition.visitAveragedValues(model: model, table: table, horizon: horizon, gamma: gamma))
        case "vimco": baseline = .leaveOneOut(samples: estimator.settings.integer(LeaveOneOutBaseline.samplesSetting))
        case "optimal":
            guard horizon * model.stateCount <= OptimalBaseline.maximumValues else { return nil }
            var b = OptimalBaseline(model: model, horizon: horizon, gamma: gamma)
            b.prepare(table: table)
            baseline = .perStepAndState(b.values)
        default: return nil
        }
        let noise = (environment as? Bandit)?.arms.map(\.variance)
        return VarianceDecomposition.exact(model: model, table: table, horizon: horizon, gamma: gamma, baseline: baseline,
                                           rewardVariance: noise)?.perEstimate(episodes: configuration.episodes)
    }
}

extension ArmDistribution {
    /// The reward's variance: sd², p(1 − p), (high − low)²/12, or 0.
    public var variance: Double {
        switch self {
        case let .gaussian(_, sd): return sd * sd
        case let .bernoulli(p): return p * (1 - p)
        case let .uniform(lo, hi): return (hi - lo) * (hi - lo) / 12
        case .constant: return 0
        }
    }
}
