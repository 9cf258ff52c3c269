import PolicyGradient

/// Sutton & Barto's Figure 2.5 (Reinforcement Learning: An Introduction, 2nd ed., 2018, §2.8):
/// the gradient bandit on the 10-armed testbed with q*(a) ~ N(4, 1), one sample per update,
/// α = 0.1 and 0.4, with and without the running-mean baseline R̄.
///
/// It is one `pg compare` grid (``command``); `pg bench` runs the same variants.
enum FigureTwoFive {
    /// The `pg compare` command that draws the figure.
    static let command = "pg compare --env bandit10 --bandit-mean 4 --estimators ema-mean,none --lr 0.1,0.4 "
        + "--optimizer sgd --batch 1 --iterations 1000 --seeds 2000 --metric optimal_action"

    /// The four settings as sweep variants (SGD, batch 1, tabular preferences from zero),
    /// labelled as `pg compare` labels them (`ema-mean lr=0.1`, …).
    static func variants(steps: Int) -> [SweepVariant] {
        var c = TrainingConfiguration()
        c.iterations = steps
        c.optimizer = .sgd
        // Valid by construction: batch 1 with no vimco, positive step sizes.
        return try! EstimatorList.variants(names: ["ema-mean", "none"], base: c, episodes: 1, samples: 1,
                                           temperatures: nil, learningRates: [0.1, 0.4])
    }
}
