import Foundation
import PolicyGradient

/// The flags shared by `train`, `compare`, `variance` and `check`: the environment and its
/// settings, the policy, and the training settings. Every flag is rendered from the
/// ``Setting`` that owns its default.
struct RunOptions {
    /// The environment as named, with the values of its settings given on the command line.
    var environment: EnvironmentSpec
    /// Its descriptor.
    var descriptor: EnvironmentDescriptor
    /// Directories searched for environment files: `--envs-dir` (or `./envs`), then the shipped `envs/`.
    var directories: [String]
    /// The policy.
    var policy: PolicySpec
    /// The training settings given.
    var training: SettingValues

    /// `--env`: the environment's name (default bandit10).
    static let envFlag = Flag("env", "NAME", "environment: bandit10, bernoulli, toy, FrozenLake-v1, a file in envs/ by name, "
                                  + "or a path (default bandit10; pg envs lists them)")
    /// `--envs-dir`: the local directory of environment files.
    static let envsDirFlag = Flag("envs-dir", "DIR", "directory of environment files, searched before the shipped envs/ (default ./envs)")

    /// The environment flags: `--env`, every environment's own settings, `--envs-dir`.
    static var environmentFlags: [Flag] { [envFlag] + EnvironmentRegistry.allSettings.map(Flag.init) + [envsDirFlag] }
    /// The policy flags.
    static var policyFlags: [Flag] { PolicySpec.settings.map(Flag.init) }
    /// The training flags (all of them, or without those a command sets otherwise), and
    /// `--memory-limit`.
    static func trainingFlags(excluding: Set<String> = []) -> [Flag] {
        TrainingConfiguration.settings.filter { !excluding.contains($0.key) }.map(Flag.init) + [memoryLimitFlag]
    }

    /// Reads the shared flags.
    /// - Throws: ``InputError`` for a bad value, an unknown environment, or an environment
    ///   setting that the chosen environment does not have.
    init(_ a: Arguments, trainingSettings: [Setting] = TrainingConfiguration.settings) throws {
        let name = a.string("env") ?? "bandit10"
        if name.isEmpty { throw InputError("--env: the environment name is empty; pg envs lists them") }
        var user: String?
        if let d = a.string("envs-dir") {
            guard RunOptions.isDirectory(d) else { throw InputError("--envs-dir: no such directory '\(d)'") }
            user = d
        }
        directories = RunOptions.directories(user: user)
        do { descriptor = try EnvironmentRegistry.descriptor(name, directories: directories) } catch let e as InputError {
            throw RunOptions.notAnEnvironment(name) ?? e
        }
        let all = EnvironmentRegistry.allSettings
        _ = try a.values(of: all)  // every value parses and is in range before applicability is checked
        for s in a.given(all) where !descriptor.settings.contains(where: { $0.key == s.key }) {
            let own = descriptor.settings.map { FlagNames.flag($0.key) }
            throw InputError("--\(s.flag) does not apply to \(descriptor.name) ("
                             + (own.isEmpty ? "it has no settings of its own)" : "its settings: \(own.joined(separator: ", ")))"))
        }
        environment = EnvironmentSpec(name, settings: try a.values(of: descriptor.settings).completed(with: descriptor.settings),
                                      directory: user)
        policy = PolicySpec(try a.values(of: PolicySpec.settings))
        training = try a.values(of: trainingSettings)
    }

    /// The error for one of pg's own outputs (a log, a checkpoint, …) given as `--env`, saying
    /// what it is; nil for any other file.
    static func notAnEnvironment(_ path: String) -> InputError? {
        guard let kind = FileKind.of(path: path, limit: JSONLReader.maximumFileSize), kind != .environmentFile else { return nil }
        var e = kind.error(path: path, wanted: "an environment file")
        e.field = "env"
        return e
    }

    /// The user's directory (if any) and the shipped one, without repeats.
    static func directories(user: String?) -> [String] {
        var dirs: [String] = []
        if let user { dirs.append(user) } else if isDirectory("envs") { dirs.append("envs") }
        let shipped = EnvsDirectory.shipped
        if !dirs.contains(where: { RunOptions.samePath($0, shipped) }) { dirs.append(shipped) }
        return dirs
    }

    /// Whether two paths name the same directory.
    static func samePath(_ a: String, _ b: String) -> Bool {
        URL(fileURLWithPath: a).standardizedFileURL.resolvingSymlinksInPath().path
            == URL(fileURLWithPath: b).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Whether `path` is an existing directory.
    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// The environment, for `seed` (bandit10 draws its arms from it), checked (if `validated`)
    /// to have states, actions and a time limit.
    func makeEnvironment(seed: UInt64, validated: Bool = true) throws -> any Environment {
        var o = EnvironmentOptions()
        o.seed = seed
        o.settings = environment.settings
        o.directories = directories
        let env: any Environment
        do { env = try descriptor.make(options: o) } catch let e as InputError {
            throw descriptor.path.flatMap(RunOptions.notAnEnvironment) ?? e
        }
        if validated { try env.validateShape() }
        return env
    }

    /// The training configuration on `environment` (its default iteration count follows the
    /// time limit), with `overrides` replacing given values.
    func configuration(for environment: any Environment, overrides: SettingValues = SettingValues()) throws -> TrainingConfiguration {
        var values = training
        for (key, value) in overrides.given { if let s = TrainingConfiguration.settings.first(where: { $0.key == key }) { values.set(s, value) } }
        return try TrainingConfiguration(values, timeLimit: environment.timeLimit)
    }

    /// The seed given (or the default).
    var seed: UInt64 { training[TrainingConfiguration.seedSetting]!.seed! }

    /// The facts about the environment a run header records besides its settings.
    static func facts(_ env: any Environment, descriptor: EnvironmentDescriptor) -> [(String, JSONValue)] {
        var f: [(String, JSONValue)] = [("env_id", .string(env.id)), ("actions", .int(env.actionCount)),
                                        ("states", .int(env.stateCount)), ("time_limit", .int(env.timeLimit))]
        if let p = descriptor.path { f.append(("env_file", .string(p))) }
        return f
    }
}
