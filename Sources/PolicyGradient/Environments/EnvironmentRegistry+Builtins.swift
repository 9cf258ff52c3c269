import Foundation

extension EnvironmentRegistry {
    /// `bandit_mean`: the mean of bandit10's q*(a) ~ N(mean, 1) (default 0; Sutton & Barto's Figure 2.5 uses 4).
    public static let banditMeanSetting = Setting(key: "bandit_mean", number: 0,
                                                  help: "mean of bandit10's q*(a) ~ N(X, 1) (Sutton & Barto Fig. 2.5: 4)")
    /// `arms`: bandit10's number of arms (default 10).
    public static let armsSetting = Setting(key: "arms", integer: 10, help: "number of bandit10 arms") {
        (2...100_000).contains($0) ? nil : "the number of bandit10 arms must be in 2...100000"
    }
    /// `probs`: the success probabilities of the `bernoulli` bandit.
    public static let probabilitiesSetting = Setting(key: "probs", kind: .numbers, defaultValue: .numbers([0.2, 0.4, 0.5, 0.6, 0.8]),
                                                     placeholder: "P,P,...", help: "success probabilities of the bernoulli bandit") { v in
        let p = v.numberList ?? []
        return (2...100_000).contains(p.count) && p.allSatisfy({ (0...1).contains($0) })
            ? nil : "give 2...100000 probabilities in [0, 1], e.g. 0.2,0.8"
    }
    /// `target`: toy's target, one number (binary form) or one per action.
    public static let targetSetting = Setting(key: "target", kind: .numbers, defaultValue: .numbers([0.45]), placeholder: "T[,T...]",
                                              help: "toy target: one number for the binary form, or one per action (at least 2)") { v in
        (1...100_000).contains(v.numberList?.count ?? 0) ? nil : "give one target (binary form) or 2...100000 (one per action)"
    }
    /// `map`: FrozenLake-v1's map (default 4x4).
    public static let mapSetting = Setting(key: "map", choice: "4x4", among: ["4x4", "8x8"], help: "FrozenLake-v1 map size")
    /// `slippery`: FrozenLake's slipperiness (default true, as Gymnasium).
    public static let slipperySetting = Setting(key: "slippery", kind: .flag, defaultValue: .flag(true),
                                                placeholder: "true|false", help: "FrozenLake slipperiness")

    /// The built-in environments (the files in `envs/` are found by name besides these).
    public static let builtins: [EnvironmentDescriptor] = [
        EnvironmentDescriptor(name: "bandit10",
                              description: "Sutton & Barto's 10-armed testbed: q*(a) ~ N(mean, 1) per seed, reward ~ N(q*(a), 1)",
                              settings: [banditMeanSetting, armsSetting], source: "built-in") { o in
            Bandit.tenArmedTestbed(seed: o.seed, mean: o.settings.number(banditMeanSetting), arms: o.settings.integer(armsSetting))
        },
        EnvironmentDescriptor(name: "bernoulli", description: "Bernoulli bandit, success probabilities from --probs",
                              settings: [probabilitiesSetting], source: "built-in") { o in
            Bandit.bernoulli(o.settings.numbers(probabilitiesSetting))
        },
        EnvironmentDescriptor(name: "toy", description: "estimator benchmark: reward -(b - t)^2 (binary, --target 0.45) or -sum (x_k - t_k)^2",
                              settings: [targetSetting], source: "built-in") { o in
            let t = o.settings.numbers(targetSetting)
            return t.count == 1 ? Toy(binaryTarget: t[0]) : Toy(targets: t)
        },
        FactorisedCategorical.descriptor,
        FactorisedCategorical.oracleDescriptor,
        EnvironmentDescriptor(name: "FrozenLake-v1", description: "Gymnasium's FrozenLake-v1 (the map files FrozenLake-v1-4x4 ...)",
                              settings: [mapSetting, slipperySetting], source: "built-in") { o in
            try frozenLake(map: o.settings.text(mapSetting), options: o)
        },
        EnvironmentDescriptor(name: "FrozenLake8x8-v1", description: "Gymnasium's FrozenLake8x8-v1 (the map file FrozenLake-v1-8x8)",
                              settings: [slipperySetting], source: "built-in") { o in
            try frozenLake(map: "8x8", options: o)
        },
    ]

    /// The FrozenLake map file of `map` and the options' slipperiness, from the directories.
    static func frozenLake(map: String, options o: EnvironmentOptions) throws -> any Environment {
        let name = frozenLakeFile(map: map, slippery: o.settings.flag(slipperySetting))
        return try descriptor(name, directories: o.directories).make(options: EnvironmentOptions.with(seed: o.seed, directories: o.directories))
    }

    /// The name of the map file a FrozenLake built-in loads: `FrozenLake-v1-4x4`, `FrozenLake-v1-8x8-deterministic`, …
    static func frozenLakeFile(map: String, slippery: Bool) -> String {
        "FrozenLake-v1-\(map)" + (slippery ? "" : "-deterministic")
    }
}

extension EnvironmentOptions {
    /// Options with a seed and directories and no settings.
    static func with(seed: UInt64, directories: [String]) -> EnvironmentOptions {
        var o = EnvironmentOptions()
        o.seed = seed
        o.directories = directories
        return o
    }
}
