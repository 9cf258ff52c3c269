import PolicyGradient

/// Sutton & Barto's Figure 2.5 (Reinforcement Learning: An Introduction, 2nd ed., 2018, §2.8):
/// the gradient bandit on the 10-armed testbed with q*(a) ~ N(4, 1), one sample per update,
/// α = 0.1 and 0.4, with and without the running-mean baseline R̄.
enum FigureTwoFive {
    /// The four settings as sweep variants (SGD, batch 1, tabular preferences from zero).
    static func variants(steps: Int) -> [SweepVariant] {
        var out: [SweepVariant] = []
        for baseline in [true, false] {
            for alpha in [0.1, 0.4] {
                var c = TrainingConfiguration()
                c.batch = 1
                c.samples = 1
                c.iterations = steps
                c.optimizer = .sgd
                c.learningRate = Schedule(initial: alpha)
                c.baseline = baseline ? .ema : .none
                c.average = .mean
                out.append(SweepVariant(label: "alpha=\(alpha) \(baseline ? "with" : "without") baseline", configuration: c))
            }
        }
        return out
    }
}
