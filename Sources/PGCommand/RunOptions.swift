import Foundation
import PolicyGradient

/// The flags shared by `train`, `compare` and `variance`: environment, policy, estimator.
struct RunOptions {
    var envName = "bandit10"
    var envOptions = EnvironmentOptions()
    var policyKind = PolicyKind.tabular
    var hidden = [32]
    var activation = Activation.tanh
    var configuration = TrainingConfiguration()
    /// `--iterations` if given; otherwise the default depends on the environment.
    var explicitIterations: Int?

    static let environmentFlags: [Flag] = [
        Flag("env", "NAME", "environment: bandit10, bernoulli, toy, a file in envs/ by name, or a path (default bandit10)"),
        Flag("bandit-mean", "X", "mean of bandit10's q*(a) ~ N(X, 1) (default 0; Sutton & Barto Fig. 2.5 use 4)"),
        Flag("arms", "N", "number of bandit10 arms (default 10)"),
        Flag("probs", "P,P,...", "success probabilities of the bernoulli bandit"),
        Flag("target", "T[,T...]", "toy target: one number for the binary form (default 0.45) or one per action"),
        Flag("map", "4x4|8x8", "FrozenLake-v1 map size (default 4x4)"),
        Flag("slippery", "true|false", "FrozenLake-v1 slipperiness (default true)"),
        Flag("envs-dir", "DIR", "directory of environment files (default envs)"),
    ]

    static let estimatorFlags: [Flag] = [
        Flag("estimator", "NAME", "reinforce, gumbel or st-gumbel (default reinforce)"),
        Flag("baseline", "NAME", "REINFORCE baseline: none, ema, nvil or vimco (default none)"),
        Flag("average", "KIND", "ema baseline: exponential (decay --decay) or mean (Sutton & Barto's running mean)"),
        Flag("decay", "B", "decay of the ema/nvil moving averages and of the critic's memory (default 0.9)"),
        Flag("samples", "K", "episodes per context; vimco needs K >= 2 (default 1, vimco 4)"),
        Flag("batch", "B", "contexts per update; an update uses B*K episodes (default 32)"),
        Flag("iterations", "N", "number of updates (default 200 for one-step environments, 1000 for episodic ones)"),
        Flag("lr", "A", "learning rate (default 0.1)"),
        Flag("lr-min", "A", "floor of the decayed learning rate (default lr/10)"),
        Flag("lr-decay", "R", "learning rate lr_k = max(lr-min, lr * exp(-R k)) (default 0: constant)"),
        Flag("optimizer", "NAME", "sgd or adam (default adam)"),
        Flag("gamma", "G", "discount in [0, 1] (default 1)"),
        Flag("seed", "S", "random seed (default 1)"),
        Flag("threads", "N", "worker threads, 0 = all cores (default 0); results do not depend on it"),
        Flag("tau", "T", "Gumbel-softmax temperature (default 1)"),
        Flag("tau-min", "T", "floor of the annealed temperature (default tau/10)"),
        Flag("anneal", "R", "temperature tau_k = max(tau-min, tau * exp(-R k)) (default 0: constant)"),
        Flag("nvil-lr", "A", "learning rate of NVIL's c_psi(s) (default 0.1)"),
        Flag("critic-hidden", "N[,N]", "hidden widths of the Gumbel estimators' critic (default 32)"),
        Flag("critic-activation", "NAME", "hidden activation of the critic: relu or tanh (default relu)"),
        Flag("critic-steps", "N", "critic Adam steps per update (default 10)"),
        Flag("critic-lr", "A", "critic learning rate (default 0.01)"),
        Flag("policy", "KIND", "tabular, linear or mlp (default tabular)"),
        Flag("hidden", "N[,N]", "MLP policy hidden widths, one or two layers (default 32)"),
        Flag("activation", "NAME", "MLP hidden activation: tanh or relu (default tanh)"),
    ]

    /// Reads the shared flags.
    init(_ a: Arguments) throws {
        if let e = a.string("env") { envName = e }
        envOptions.seed = try a.seed("seed") ?? 1
        envOptions.banditMean = try a.double("bandit-mean") ?? 0
        envOptions.arms = try a.int("arms") ?? 10
        if let p = try a.doubles("probs") { envOptions.probabilities = p }
        if let t = try a.doubles("target") { envOptions.targets = t }
        envOptions.map = a.string("map")
        envOptions.slippery = try a.bool("slippery")
        if let d = a.string("envs-dir") {
            guard RunOptions.isDirectory(d) else { throw InputError("--envs-dir: no such directory '\(d)'") }
            envOptions.directory = d
        } else {
            envOptions.directory = EnvsDirectory.path
        }
        if !(2...100_000).contains(envOptions.arms) {
            throw InputError("--arms: the number of bandit10 arms must be in 2...100000, got \(envOptions.arms)")
        }
        policyKind = try a.choice("policy", PolicyKind.self) ?? .tabular
        if let h = try a.ints("hidden") {
            guard (1...2).contains(h.count), h.allSatisfy({ $0 <= 100_000 }) else {
                throw InputError("--hidden: give one or two layer widths in 1...100000, e.g. 32 or 64,64; got \(a.string("hidden")!)")
            }
            hidden = h
        }
        activation = try a.choice("activation", Activation.self) ?? .tanh
        try readConfiguration(a)
    }

    private mutating func readConfiguration(_ a: Arguments) throws {
        var c = TrainingConfiguration()
        c.estimator = try a.choice("estimator", EstimatorKind.self) ?? .reinforce
        c.baseline = try a.choice("baseline", BaselineKind.self) ?? .none
        c.average = try a.choice("average", AverageKind.self) ?? .exponential
        c.decay = try a.double("decay") ?? 0.9
        c.samples = try a.int("samples") ?? (c.baseline == .vimco ? 4 : 1)
        c.batch = try a.int("batch") ?? max(1, 32 / max(1, c.samples))
        explicitIterations = try a.int("iterations")
        c.iterations = explicitIterations ?? 200
        let lr = try a.double("lr") ?? 0.1
        c.learningRate = Schedule(initial: lr, minimum: try a.double("lr-min"), rate: try a.double("lr-decay") ?? 0)
        c.optimizer = try a.choice("optimizer", OptimizerKind.self) ?? .adam
        c.gamma = try a.double("gamma") ?? 1
        c.seed = envOptions.seed
        c.threads = try a.int("threads") ?? 0
        let tau = try a.double("tau") ?? 1
        c.temperature = Schedule(initial: tau, minimum: try a.double("tau-min"), rate: try a.double("anneal") ?? 0)
        c.nvilLearningRate = try a.double("nvil-lr") ?? 0.1
        if let h = try a.ints("critic-hidden") { c.criticHidden = h }
        c.criticActivation = try a.choice("critic-activation", Activation.self) ?? .relu
        c.criticSteps = try a.int("critic-steps") ?? 10
        c.criticLearningRate = try a.double("critic-lr") ?? 0.01
        try c.validate()
        configuration = c
    }

    /// Whether `path` is an existing directory.
    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// The environment for `seed`, checked (if `validated`) to have states, actions and a time
    /// limit that the configuration can train on. Also fixes the default iteration count:
    /// 200 for one-step environments, 1000 for episodic ones.
    mutating func environment(seed: UInt64? = nil, validated: Bool = true) throws -> any Environment {
        var o = envOptions
        if let seed { o.seed = seed }
        let env = try EnvironmentRegistry.make(envName, options: o)
        if explicitIterations == nil { configuration.iterations = env.timeLimit == 1 ? 200 : 1000 }
        if validated { try configuration.validate(for: env) }
        return env
    }

    /// A fresh policy for `environment`.
    func policy(for environment: any Environment, seed: UInt64? = nil) -> any Policy {
        policyKind.make(for: environment, hidden: hidden, activation: activation, seed: seed ?? configuration.seed)
    }

    /// A short label of the estimator: `nvil`, `gumbel`, `st-gumbel`, `ema-mean`, …
    var label: String {
        let c = configuration
        if c.estimator != .reinforce { return c.estimator.rawValue }
        return c.baseline == .ema && c.average == .mean ? "ema-mean" : c.baseline.rawValue
    }
}
