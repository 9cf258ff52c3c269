extension EstimatorRegistry {
    /// The control variates built on the Gumbel-max trick's conditional noise: REBAR and RELAX
    /// (listed among ``controlVariates``).
    static let gumbelControlVariates: [EstimatorDescriptor] = [
        EstimatorDescriptor(name: "rebar", summary: "REBAR: REINFORCE with the concrete relaxation at conditional Gumbel noise "
                                + "as control variate, eta set online to minimise the variance; unbiased (Tucker et al. 2017)",
                            settings: Temperature.settings + Rebar.settings + Critic.settings) { c, v in
            Rebar(temperature: try Temperature.schedule(v), reward: RelaxedReward(context: c, settings: v),
                  eta: v.optionalNumber(Rebar.etaSetting), momentDecay: v.number(Rebar.etaDecaySetting),
                  stateCount: c.environment.stateCount, horizon: c.environment.timeLimit)
        },
        EstimatorDescriptor(name: "relax", summary: "RELAX: REBAR's control variate replaced by a learned c_psi(s, x) trained "
                                + "on the estimator's variance; unbiased (Grathwohl et al. 2018)",
                            settings: Temperature.settings + Surrogate.settings) { c, v in
            try makeRelax(context: c, settings: v)
        },
    ]

    /// The relaxations built on conditional Gumbel noise: Gumbel-Rao (listed among ``relaxations``).
    static let gumbelRelaxations: [EstimatorDescriptor] = [
        EstimatorDescriptor(name: "gumbel-rao", summary: "Gumbel-Rao: st-gumbel's backward averaged over rao_samples Gumbel "
                                + "perturbations given the action; st-gumbel's bias, less variance (Paulus et al. 2021)",
                            settings: Temperature.settings + [GumbelRaoEstimator.samplesSetting] + Critic.settings) { c, v in
            GumbelRaoEstimator(raoSamples: v.integer(GumbelRaoEstimator.samplesSetting), temperature: try Temperature.schedule(v),
                               reward: RelaxedReward(context: c, settings: v))
        },
    ]

    /// The most weights RELAX's surrogate may have: every chunk of a batch keeps a gradient of
    /// that length (one-hot features make the first layer S wide).
    static let surrogateWeightLimit = 1_000_000

    /// RELAX for `context` with the settings `values`, its surrogate's weights drawn from the run's seed.
    /// - Throws: ``InputError`` (field `surrogate_hidden`) if the surrogate would be too large.
    static func makeRelax(context c: EstimatorContext, settings v: SettingValues) throws -> Relax {
        let a = c.environment.actionCount
        let weights = Surrogate.parameterCount(featureCount: c.features.count, actionCount: a, settings: v)
        if weights > surrogateWeightLimit {
            throw InputError(field: Surrogate.hiddenSetting.key,
                             "gives relax's surrogate \(weights) weights on \(c.environment.id), more than \(surrogateWeightLimit) "
                                + "(each chunk of a batch keeps their gradient); give smaller widths")
        }
        var rng = RandomStream(seed: c.seed).split(0x5E1A)
        return Relax(temperature: try Temperature.schedule(v),
                     surrogate: Surrogate(featureCount: c.features.count, actionCount: a, settings: v, using: &rng),
                     stateCount: c.environment.stateCount, horizon: c.environment.timeLimit)
    }
}
