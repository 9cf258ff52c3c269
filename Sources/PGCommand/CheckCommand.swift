import PolicyGradient

/// `pg check`: runs ``EnvironmentChecker`` on an environment, one line per check.
enum CheckCommand {
    static let ownFlags = [
        Flag("seed", "S", "seed of the sampled episodes and of the environment (default "
             + "\(TrainingConfiguration.seedSetting.defaultValue!.text))"),
        Flag(EnvironmentChecker.stepsSetting),
        RunOptions.memoryLimitFlag,
        Flag("help", nil, "show this help"),
    ]

    static var flags: [Flag] { RunOptions.environmentFlags + ownFlags }

    static func run(_ args: [String], output: Output) throws -> Int32 {
        let a = try Arguments(args, flags: flags, command: "check")
        if a.has("help") {
            output.out(PGCommand.help("pg check — check that an environment keeps the Environment contract",
                                      usage: "pg check --env NAME [--steps N] [--seed S]",
                                      sections: [("ENVIRONMENT", RunOptions.environmentFlags), ("OPTIONS", ownFlags)]))
            return 0
        }
        try a.rejectPositionals(command: "check")
        let steps = try a.int("steps") ?? EnvironmentChecker.defaultSteps
        if let problem = EnvironmentChecker.stepsSetting.problem(with: .integer(steps)) {
            throw InputError("--steps: \(problem), got \(steps)")
        }
        let options = try RunOptions(a, trainingSettings: [TrainingConfiguration.seedSetting])
        let env = try options.makeEnvironment(seed: options.seed, validated: false)
        var tallies = MemoryEstimate()
        let pairs = min(Double(steps), Double(env.stateCount) * Double(env.actionCount))
        tallies.add("the checker's tallies: \(Int(pairs)) state-action pairs", bytes: 256 * pairs, field: "steps")
        try options.checkMemory(a, environment: env, extra: tallies)
        let results = EnvironmentChecker.check(env, seed: options.seed, steps: steps)
        for r in results { output.line(r.description) }
        let failed = results.filter { !$0.passed }.count
        output.line(failed == 0 ? "\(env.id): all \(counted(results.count, "check")) passed"
                                : "\(env.id): \(failed) of \(counted(results.count, "check")) failed")
        return failed == 0 ? 0 : 1
    }
}
