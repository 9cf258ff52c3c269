import Foundation

/// Options that built-in and file environments take from the command line.
public struct EnvironmentOptions: Sendable {
    /// Seeds environments drawn at random (bandit10's q*).
    public var seed: UInt64 = 1
    /// Mean of bandit10's q*(a) ~ N(mean, 1) (Sutton & Barto's Figure 2.5 uses 4).
    public var banditMean = 0.0
    /// Number of arms of bandit10.
    public var arms = 10
    /// Success probabilities of the `bernoulli` bandit.
    public var probabilities = [0.2, 0.4, 0.5, 0.6, 0.8]
    /// Target(s) of `toy`: one number (binary form) or one per action.
    public var targets = [0.45]
    /// FrozenLake map size (`4x4` or `8x8`).
    public var map: String?
    /// FrozenLake slipperiness (default true, as Gymnasium).
    public var slippery: Bool?
    /// Directory of environment files (default `envs/`).
    public var directory = "envs"

    /// Default options.
    public init() {}
}

/// Finds environments by name: those registered with ``register(name:description:make:)``,
/// built-ins (`bandit10`, `bernoulli`, `toy`), files in `envs/` by name (`FrozenLake-v1`,
/// `CliffWalking-v1`, `mybandit`), or any file by path.
public enum EnvironmentRegistry {
    /// Built-in environments and their one-line descriptions.
    public static let builtins: [(name: String, description: String)] = [
        ("bandit10", "Sutton & Barto's 10-armed testbed: q*(a) ~ N(mean, 1) per seed, reward ~ N(q*(a), 1)"),
        ("bernoulli", "Bernoulli bandit, success probabilities from --probs (default 0.2,0.4,0.5,0.6,0.8)"),
        ("toy", "estimator benchmark: reward -(b - t)^2 (binary, --target 0.45) or -sum (x_k - t_k)^2"),
    ]

    /// Builds the environment called `name`.
    /// - Throws: ``InputError`` naming the valid environments, or the file's problem.
    public static func make(_ name: String, options: EnvironmentOptions = EnvironmentOptions()) throws -> any Environment {
        if let registered = try makeRegistered(name, options: options) { return registered }
        switch name {
        case "bandit10":
            if options.arms < 2 { throw InputError("--arms: bandit10 needs at least 2 arms, got \(options.arms)") }
            return Bandit.tenArmedTestbed(seed: options.seed, mean: options.banditMean, arms: options.arms)
        case "bernoulli":
            if options.probabilities.count < 2 || !options.probabilities.allSatisfy({ (0...1).contains($0) }) {
                throw InputError("--probs: give at least two probabilities in [0, 1], e.g. 0.2,0.8")
            }
            return Bandit.bernoulli(options.probabilities)
        case "toy":
            let t = options.targets
            if t.count == 1 { return Toy(binaryTarget: t[0]) }
            return Toy(targets: t)
        default:
            return try load(path: try resolve(name, options: options))
        }
    }

    /// The file behind `name`: a path as given, or `envs/NAME.txt` / `envs/NAME.json`, with
    /// the FrozenLake aliases (`FrozenLake-v1` + `--map 8x8` / `--slippery false`, `FrozenLake8x8-v1`).
    public static func resolve(_ name: String, options: EnvironmentOptions) throws -> String {
        let fm = FileManager.default
        if name.contains("/") || name.hasSuffix(".txt") || name.hasSuffix(".json") {
            guard fm.fileExists(atPath: name) else { throw InputError("--env: no such file \(name)") }
            return name
        }
        var base = name
        if name == "FrozenLake-v1" || name == "FrozenLake8x8-v1" {
            let map = options.map ?? (name == "FrozenLake8x8-v1" ? "8x8" : "4x4")
            guard ["4x4", "8x8"].contains(map) else { throw InputError("--map: valid maps are 4x4 and 8x8, got \(map)") }
            base = "FrozenLake-v1-\(map)" + (options.slippery == false ? "-deterministic" : "")
        } else if options.map != nil {
            throw InputError("--map applies to FrozenLake-v1 only")
        }
        for ext in ["txt", "json"] {
            let path = (options.directory as NSString).appendingPathComponent("\(base).\(ext)")
            if fm.fileExists(atPath: path) { return path }
        }
        var valid = list(directory: options.directory).map(\.name)
        if valid.contains("FrozenLake-v1-4x4") { valid += ["FrozenLake-v1 (with --map, --slippery)", "FrozenLake8x8-v1"] }
        throw InputError("--env: unknown environment '\(name)'; valid: \(valid.joined(separator: ", "))")
    }

    /// Loads an environment file: `.json` tabular MDP (it has `P`) or bandit spec, or `.txt` gridworld map.
    public static func load(path: String) throws -> any Environment {
        if path.hasSuffix(".json") { return try loadJSON(path: path).environment }
        return try loadMap(path: path)
    }

    /// Every environment pg can find: registered ones, built-ins, then the files in `directory`,
    /// with descriptions.
    public static func list(directory: String) -> [(name: String, description: String)] {
        let custom = registered
        var out = custom + builtins.filter { b in !custom.contains { $0.name == b.name } }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for file in files.sorted() where file.hasSuffix(".txt") || file.hasSuffix(".json") {
            let path = (directory as NSString).appendingPathComponent(file)
            let name = (file as NSString).deletingPathExtension
            out.append((name, describe(path: path)))
        }
        return out
    }

    /// The one-line description of an environment file (or why it does not load).
    public static func describe(path: String) -> String {
        do {
            if path.hasSuffix(".json") { return try loadJSON(path: path).description }
            return try mapDescription(path: path)
        } catch {
            return "(does not load: \(error))"
        }
    }
}
