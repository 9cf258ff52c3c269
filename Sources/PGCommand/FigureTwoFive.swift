import PolicyGradient

/// Sutton & Barto's Figure 2.5 (Reinforcement Learning: An Introduction, 2nd ed., 2018, §2.8):
/// the gradient bandit on the 10-armed testbed with q* ~ N(4, 1), one sample per update,
/// α = 0.1 and 0.4, with and without the running-mean baseline R̄ (the book's convention,
/// `mean --convention book-code`, the default).
///
/// It is one `pg compare` grid (``arguments``); `pg bench` runs the very same sweep.
enum FigureTwoFive {
    /// The `pg compare` arguments that draw the figure.
    static let arguments = ["--env", "bandit10", "--bandit-mean", "4", "--estimators", "mean,none", "--lr", "0.1,0.4",
                            "--optimizer", "sgd", "--batch", "1", "--iterations", "1000", "--seeds", "2000",
                            "--metric", "optimal_action"]

    /// The command line, as the MeasuringEstimators article shows it.
    static var command: String { "pg compare " + arguments.joined(separator: " ") }

    /// The sweep of the figure with `seeds` runs per setting.
    static func sweep(seeds: Int) throws -> CompareCommand.Sweep {
        var args = arguments
        args[args.firstIndex(of: "--seeds")! + 1] = String(seeds)
        return try CompareCommand.Sweep(Arguments(args, flags: CompareCommand.flags, command: "compare"))
    }
}
