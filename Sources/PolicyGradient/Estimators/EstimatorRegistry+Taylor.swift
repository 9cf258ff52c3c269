extension EstimatorRegistry {
    /// The first-order Taylor control variates: MuProp (corrected, unbiased) and DARN (biased).
    static let taylorEstimators: [EstimatorDescriptor] = [
        EstimatorDescriptor(name: "muprop", summary: "score function with the first-order Taylor control variate of f at "
                                + "the mean-field point pi, its mean added back: unbiased (Gu et al. 2016)",
                            settings: Critic.settings) { c, v in
            MuProp(reward: RelaxedReward(context: c, settings: v))
        },
        EstimatorDescriptor(name: "darn", summary: "score function with the Taylor baseline of f at the simplex centre, "
                                + "no correction: biased (Gregor et al. 2014)",
                            settings: Critic.settings) { c, v in
            DARN(point: .centre, reward: RelaxedReward(context: c, settings: v))
        },
    ]
}
