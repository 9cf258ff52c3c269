extension EstimatorRegistry {
    /// The estimators pg ships, in listing order: REINFORCE with its baselines, the control-variate
    /// estimators, the relaxations, and the exact gradient.
    public static let builtins: [EstimatorDescriptor] = reinforceFamily + controlVariates + gumbelControlVariates + relaxations + gumbelRelaxations + references

    /// The estimators that are checked against, not estimated (``controlVariates`` and
    /// ``references`` live in files of their own).
    static let references: [EstimatorDescriptor] = [exactEstimator]

    /// The control-variate estimators (MuProp, DARN, REBAR, RELAX).
    static let controlVariates: [EstimatorDescriptor] = taylorEstimators

    /// REINFORCE with each of its baselines.
    static let reinforceFamily: [EstimatorDescriptor] = [
        EstimatorDescriptor(name: "none", aliases: ["reinforce"], summary: "REINFORCE, no baseline (Williams 1992)",
                            isBaseline: true) { _, _ in Reinforce(baseline: NoBaseline()) },
        EstimatorDescriptor(name: "ema", summary: "REINFORCE, exponential moving average of returns as baseline",
                            isBaseline: true, settings: [ExponentialMovingAverage.decaySetting]) { _, v in
            Reinforce(baseline: ExponentialMovingAverage(decay: v.number(ExponentialMovingAverage.decaySetting)))
        },
        EstimatorDescriptor(name: "mean", summary: "REINFORCE, running mean of returns (Sutton & Barto's R-bar) as baseline",
                            isBaseline: true, settings: [RunningMeanBaseline.conventionSetting]) { _, v in
            Reinforce(baseline: RunningMeanBaseline(
                convention: RunningMeanBaseline.Convention(rawValue: v.text(RunningMeanBaseline.conventionSetting))!))
        },
        EstimatorDescriptor(name: "nvil", summary: "REINFORCE, NVIL: centred by an average and a learned c_psi(s), "
                                + "variance-normalised (Mnih & Gregor 2014)",
                            isBaseline: true,
                            settings: [ExponentialMovingAverage.decaySetting, NVILBaseline.learningRateSetting]) { c, v in
            Reinforce(baseline: NVILBaseline(features: c.features, decay: v.number(ExponentialMovingAverage.decaySetting),
                                             learningRate: v.number(NVILBaseline.learningRateSetting)))
        },
        EstimatorDescriptor(name: "vimco", aliases: ["rloo"],
                            summary: "REINFORCE, leave-one-out over K episodes per context: VIMCO's signal for an "
                                + "expectation (Mnih & Rezende 2016), RLOO (Kool et al. 2019)",
                            isBaseline: true, settings: [LeaveOneOutBaseline.samplesSetting]) { _, v in
            Reinforce(baseline: LeaveOneOutBaseline(samples: v.integer(LeaveOneOutBaseline.samplesSetting)))
        },
    ]

    /// The relaxations: Gumbel-softmax and its straight-through variants.
    static let relaxations: [EstimatorDescriptor] = [
        EstimatorDescriptor(name: "gumbel", summary: "Gumbel-softmax / Concrete, gradient of f at the relaxed sample "
                                + "(Jang et al. 2017; Maddison et al. 2017)",
                            settings: Temperature.settings + Critic.settings) { c, v in
            GumbelSoftmaxEstimator(mode: .relaxed, temperature: try Temperature.schedule(v),
                                   reward: RelaxedReward(context: c, settings: v))
        },
        EstimatorDescriptor(name: "st-gumbel", summary: "straight-through Gumbel-softmax: f at the hard sample, "
                                + "backward through the relaxation (Jang et al. 2017)",
                            settings: Temperature.settings + Critic.settings) { c, v in
            GumbelSoftmaxEstimator(mode: .straightThrough, temperature: try Temperature.schedule(v),
                                   reward: RelaxedReward(context: c, settings: v))
        },
        straightThroughEstimator,
    ]
}
