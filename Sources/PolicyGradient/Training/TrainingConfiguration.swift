/// Everything that defines a training run besides the environment, the policy and the
/// estimator: the batch, the schedule, the optimiser, the discount, the seed and the threads.
///
/// One update uses ``episodes`` episodes (N); an estimator with K episodes per context runs
/// N/K contexts of K. The gradient is averaged over episodes, not over steps. Each field's
/// default is stated once, in its ``Setting``.
public struct TrainingConfiguration: Sendable, Equatable {
    /// N, episodes per update.
    public var episodes: Int
    /// Number of updates.
    public var iterations: Int
    /// Step size, constant or decayed.
    public var learningRate: Schedule
    /// SGD or Adam.
    public var optimizer: OptimizerKind
    /// Discount γ ∈ [0, 1].
    public var gamma: Double
    /// The run's seed: every draw descends from (seed, iteration, episode).
    public var seed: UInt64
    /// Worker threads (0 = all cores). Results do not depend on it.
    public var threads: Int

    // MARK: Settings

    /// `batch`: N, episodes per update (default 32).
    public static let batchSetting = Setting(key: "batch", integer: 32, placeholder: "N",
                                             help: "episodes per update, for every estimator (vimco: N/K contexts of K)") {
        (1...100_000_000).contains($0) ? nil : "must be in 1...100000000"
    }
    /// `iterations`: updates (default 200 for one-step environments, 1000 for episodic ones).
    public static let iterationsSetting = Setting(key: "iterations", integer: nil,
                                                  defaultText: "\(defaultOneStepIterations) for one-step environments, \(defaultEpisodicIterations) otherwise",
                                                  help: "number of updates") {
        (0...1_000_000_000_000).contains($0) ? nil : "must be in 0...1000000000000"
    }
    /// `lr`: the step size α (default 0.1).
    public static let learningRateSetting = Setting(key: "lr", number: 0.1, placeholder: "A", help: "learning rate") {
        $0 > 0 ? nil : "must be a positive number"
    }
    /// `lr_min`: the floor of a decayed step size (default: lr over ``Schedule/defaultFloorDivisor`` when decaying).
    public static let learningRateMinimumSetting = Setting(key: "lr_min", number: nil, defaultText: Schedule.defaultFloorText(of: "lr", when: "decaying"),
                                                           placeholder: "A", help: "floor of the decayed learning rate") {
        $0 > 0 ? nil : "must be positive"
    }
    /// `lr_decay`: r of lr_k = max(lr_min, lr · exp(−r k)) (default 0: constant).
    public static let learningRateDecaySetting = Setting(key: "lr_decay", number: 0, placeholder: "R",
                                                         help: "learning rate lr_k = max(lr-min, lr * exp(-R k))") {
        $0 >= 0 ? nil : "must be >= 0"
    }
    /// `optimizer`: sgd or adam (default adam).
    public static let optimizerSetting = Setting(key: "optimizer", choice: OptimizerKind.adam.rawValue,
                                                 among: OptimizerKind.allCases.map(\.rawValue), help: "optimiser")
    /// `gamma`: the discount (default 1).
    public static let gammaSetting = Setting(key: "gamma", number: 1, placeholder: "G", help: "discount in [0, 1]") {
        $0 >= 0 && $0 <= 1 ? nil : "must be in [0, 1]"
    }
    /// `seed`: the run's seed (default 1).
    public static let seedSetting = Setting(key: "seed", kind: .seed, defaultValue: .seed(1), placeholder: "S",
                                            help: "random seed")
    /// `threads`: worker threads, 0 for all cores (default 0).
    public static let threadsSetting = Setting(key: "threads", integer: 0,
                                               help: "worker threads, 0 = all cores; results do not depend on it") {
        (0...1024).contains($0) ? nil : "must be in 0...1024 (0 = all cores)"
    }
    /// Every training setting, in help order.
    public static let settings = [batchSetting, iterationsSetting, learningRateSetting, learningRateMinimumSetting,
                                  learningRateDecaySetting, optimizerSetting, gammaSetting, seedSetting, threadsSetting]

    /// The default number of updates on an environment with this time limit.
    public static func defaultIterations(timeLimit: Int) -> Int { timeLimit == 1 ? defaultOneStepIterations : defaultEpisodicIterations }
    /// Updates by default on a one-step environment (a bandit, a toy).
    public static let defaultOneStepIterations = 200
    /// Updates by default on an episodic environment.
    public static let defaultEpisodicIterations = 1000

    /// The configuration of `values`, defaults for the rest (``iterations`` from `timeLimit`).
    /// - Throws: ``InputError`` (with the field) for a combination the settings' own checks do not catch.
    public init(_ values: SettingValues = SettingValues(), timeLimit: Int = 1) throws {
        try values.validate(against: Self.settings)
        episodes = values.integer(Self.batchSetting)
        iterations = values[Self.iterationsSetting]?.integer ?? Self.defaultIterations(timeLimit: timeLimit)
        let lr = values.number(Self.learningRateSetting)
        learningRate = Schedule(initial: lr, minimum: values.optionalNumber(Self.learningRateMinimumSetting),
                                rate: values.number(Self.learningRateDecaySetting))
        optimizer = OptimizerKind(rawValue: values.text(Self.optimizerSetting))!
        gamma = values.number(Self.gammaSetting)
        seed = values.seed(Self.seedSetting)
        threads = values.integer(Self.threadsSetting)
        try validate()
    }

    /// The default configuration (200 updates).
    public init() {
        // The defaults are valid by construction.
        self = try! TrainingConfiguration(SettingValues())
    }

    /// The settings as values (every field, so that a run header records all of them).
    public var values: SettingValues {
        var v = SettingValues()
        v.set(Self.batchSetting, .integer(episodes))
        v.set(Self.iterationsSetting, .integer(iterations))
        v.set(Self.learningRateSetting, .number(learningRate.initial))
        v.set(Self.learningRateMinimumSetting, .number(learningRate.minimum))
        v.set(Self.learningRateDecaySetting, .number(learningRate.rate))
        v.set(Self.optimizerSetting, .text(optimizer.rawValue))
        v.set(Self.gammaSetting, .number(gamma))
        v.set(Self.seedSetting, .seed(seed))
        v.set(Self.threadsSetting, .integer(threads))
        return v
    }

    /// Checks what the settings' own ranges do not: the learning-rate floor against the rate.
    /// - Throws: ``InputError`` naming the field.
    public func validate() throws {
        for (s, v) in [(Self.batchSetting, SettingValue.integer(episodes)), (Self.iterationsSetting, .integer(iterations)),
                       (Self.learningRateSetting, .number(learningRate.initial)), (Self.gammaSetting, .number(gamma)),
                       (Self.learningRateMinimumSetting, .number(learningRate.minimum)),
                       (Self.learningRateDecaySetting, .number(learningRate.rate)), (Self.threadsSetting, .integer(threads))] {
            if let p = s.problem(with: v) { throw InputError(field: s.key, p + ", got \(v.text)") }
        }
        if learningRate.minimum > learningRate.initial {
            throw InputError(field: Self.learningRateMinimumSetting.key,
                             "must be at most lr (\(SettingValue.format(learningRate.initial))), got \(SettingValue.format(learningRate.minimum))",
                             mentions: [Self.learningRateSetting.key])
        }
    }

    /// Checks that `environment` has at least one state, action and a positive time limit, that
    /// K episodes of its time limit fit the rollout buffers (K × time limit ≤ 10,000,000 steps
    /// per worker), and that N is a multiple of K.
    /// - Throws: ``InputError`` naming the field or the environment.
    public func validate(for environment: any Environment, groupSize k: Int) throws {
        try validate()
        let e = environment
        try e.validateShape()
        let (steps, overflow) = k.multipliedReportingOverflow(by: environment.timeLimit)
        if overflow || steps > 10_000_000 {
            throw InputError("environment \(e.id): K x time limit must be at most 10000000 steps; got \(k) x \(e.timeLimit)")
        }
        if episodes % k != 0 {
            throw InputError(field: Self.batchSetting.key,
                             "must be a multiple of the estimator's group size K = \(k) (episodes per group), got \(episodes)")
        }
    }
}
