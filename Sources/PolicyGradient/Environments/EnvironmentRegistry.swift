import Foundation

/// What an environment is built from: the values of its settings, the run's seed (bandit10
/// draws its q* from it) and the directories searched for environment files.
public struct EnvironmentOptions: Sendable, Equatable {
    /// The run's seed.
    public var seed: UInt64 = 1
    /// Values of the environment's own settings (``EnvironmentDescriptor/settings``).
    public var settings = SettingValues()
    /// Directories searched for environment files, in order (a name found in an earlier one
    /// hides the same name in a later one).
    public var directories = ["envs"]

    /// Default options.
    public init() {}
}

/// A named environment: its description, its own settings and how to build it.
public struct EnvironmentDescriptor: Sendable {
    /// The `--env` name, which is also the id of the runs it makes.
    public let name: String
    /// One line, shown by `pg envs` (for a file: read when asked for, or why it does not load).
    public var description: String { describe() }
    let describe: @Sendable () -> String
    /// The environment's own settings (`bandit_mean`, `map`, …), with their defaults.
    public let settings: [Setting]
    /// Where it comes from: `built-in`, `registered`, or the file's path.
    public let source: String
    /// The file it is read from, if any.
    public let path: String?
    let make: @Sendable (EnvironmentOptions) throws -> any Environment

    /// Describes an environment.
    public init(name: String, description: String, settings: [Setting] = [], source: String, path: String? = nil,
                make: @escaping @Sendable (EnvironmentOptions) throws -> any Environment) {
        self.init(name: name, describe: { description }, settings: settings, source: source, path: path, make: make)
    }

    init(name: String, describe: @escaping @Sendable () -> String, settings: [Setting], source: String, path: String?,
         make: @escaping @Sendable (EnvironmentOptions) throws -> any Environment) {
        self.name = name
        self.describe = describe
        self.settings = settings
        self.source = source
        self.path = path
        self.make = make
    }

    /// Builds the environment.
    /// - Throws: ``InputError`` for a setting it does not have, a value out of range, or a bad file.
    public func make(options: EnvironmentOptions) throws -> any Environment {
        try options.settings.validate(against: settings)
        return try make(options)
    }
}

/// Finds environments by name: those registered with ``register(name:description:settings:make:)``,
/// the built-ins (`bandit10`, `bernoulli`, `toy`, the FrozenLake aliases), the files in the
/// environment directories by name (`FrozenLake-v1-4x4`, `CliffWalking-v1`, `mybandit`), or any
/// file by path. An environment file's id is its file name without the extension.
public enum EnvironmentRegistry {
    /// The descriptor of `name`: a registered environment, a built-in, a file in one of
    /// `directories` (earlier ones first), or a file path (a name with `/` or ending `.txt`/`.json`).
    /// - Throws: ``InputError`` naming the valid environments.
    public static func descriptor(_ name: String, directories: [String]) throws -> EnvironmentDescriptor {
        if let registered = CustomEnvironmentTable.shared.get(name) { return registered }
        if let builtin = builtins.first(where: { $0.name == name }) { return builtin }
        if name.contains("/") || name.hasSuffix(".txt") || name.hasSuffix(".json") {
            guard FileManager.default.fileExists(atPath: name) else { throw InputError("--env: no such file \(name)") }
            return fileDescriptor(path: name, source: name)
        }
        for dir in directories {
            for ext in ["txt", "json"] {
                let path = (dir as NSString).appendingPathComponent("\(name).\(ext)")
                if FileManager.default.fileExists(atPath: path) { return fileDescriptor(path: path, source: dir) }
            }
        }
        let valid = list(directories: directories).map(\.name)
        throw InputError("--env: unknown environment '\(name)'; valid: \(valid.joined(separator: ", "))")
    }

    /// Builds the environment called `name`.
    /// - Throws: ``InputError`` naming the valid environments, a setting it does not have, or the file's problem.
    public static func make(_ name: String, options: EnvironmentOptions = EnvironmentOptions()) throws -> any Environment {
        try descriptor(name, directories: options.directories).make(options: options)
    }

    /// The descriptor of an environment file.
    static func fileDescriptor(path: String, source: String) -> EnvironmentDescriptor {
        EnvironmentDescriptor(name: ((path as NSString).lastPathComponent as NSString).deletingPathExtension,
                              describe: { describe(path: path) }, settings: [], source: source, path: path) { _ in
            try load(path: path)
        }
    }

    /// Loads an environment file: `.json` bandit spec or `.txt` gridworld map.
    /// - Throws: ``InputError`` with the file, line and column of the first problem.
    public static func load(path: String) throws -> any Environment {
        if path.hasSuffix(".json") { return try Bandit.load(specAt: path).bandit }
        return try Gridworld.load(path: path)
    }

    /// Every environment pg can find: registered ones, built-ins, then the files in
    /// `directories` (a name once, from the first directory that has it), with descriptions
    /// and sources.
    public static func list(directories: [String]) -> [EnvironmentDescriptor] {
        let custom = CustomEnvironmentTable.shared.all
        var out = custom + builtins.filter { b in !custom.contains { $0.name == b.name } }
        for dir in directories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            for file in files.sorted() where file.hasSuffix(".txt") || file.hasSuffix(".json") {
                let name = (file as NSString).deletingPathExtension
                guard !out.contains(where: { $0.name == name }) else { continue }
                out.append(fileDescriptor(path: (dir as NSString).appendingPathComponent(file), source: dir))
            }
        }
        return out
    }

    /// The one-line description of an environment file (or why it does not load).
    public static func describe(path: String) -> String {
        do {
            if path.hasSuffix(".json") { return try Bandit.load(specAt: path).description }
            return try Gridworld.load(path: path).description
        } catch {
            return "(does not load: \(error))"
        }
    }

    /// Every setting of the built-in and registered environments (each key once).
    public static var allSettings: [Setting] {
        var seen = Set<String>(), out: [Setting] = []
        for d in CustomEnvironmentTable.shared.all + builtins {
            for s in d.settings where seen.insert(s.key).inserted { out.append(s) }
        }
        return out
    }
}
