/// An environment chosen by name, with the values of its settings.
public struct EnvironmentSpec: Sendable, Hashable {
    /// The `--env` name as given (`bandit10`, `FrozenLake-v1`, a path).
    public var name: String
    /// Values of the environment's own settings.
    public var settings: SettingValues
    /// The environment directory given by the user (`--envs-dir`), if any.
    public var directory: String?

    /// The environment `name` with `settings`.
    public init(_ name: String, settings: SettingValues = SettingValues(), directory: String? = nil) {
        self.name = name
        self.settings = settings
        self.directory = directory
    }
}

/// An estimator of a run with its label.
public struct LabelledEstimator: Sendable, Hashable {
    /// The label in tables and legends.
    public var label: String
    /// The estimator.
    public var estimator: EstimatorSpec

    /// Creates an entry.
    public init(label: String, estimator: EstimatorSpec) {
        self.label = label
        self.estimator = estimator
    }
}

/// The typed first line of every log, `{"type":"config", …}`: everything that defines a run of
/// `pg train`, `pg compare` or `pg variance`, written and read back losslessly (seeds as
/// unsigned 64-bit integers), so that a run can be rebuilt from its own log.
///
/// Fields, in order: `type`, `version`, `command`, `env` (the name given), `env_settings`
/// (object), `envs_dir` (when given), then ``facts`` (derived, not read back: the environment's
/// id, sizes, the file it was read from and its content hash), `policy` and the MLP shape, the
/// training settings (`batch`, `iterations`, `lr`, `lr_min`, `lr_decay`, `optimizer`, `gamma`,
/// `seed`, `threads`), `estimators` (an array of `{"label", "estimator", "settings"}`), and the
/// command's own settings.
public struct RunHeader: Sendable {
    /// `train`, `compare` or `variance`.
    public var command: String
    /// The pg version that wrote it.
    public var version: String
    /// The environment.
    public var environment: EnvironmentSpec
    /// The policy.
    public var policy: PolicySpec
    /// The training configuration.
    public var training: TrainingConfiguration
    /// The estimators (one for `train`).
    public var estimators: [LabelledEstimator]
    /// The command's own settings (`seeds`, `replicates`, …).
    public var commandSettings: SettingValues
    /// Derived facts written after the environment (not read back).
    public var facts: [(String, JSONValue)]

    /// Creates a header.
    public init(command: String, version: String, environment: EnvironmentSpec, policy: PolicySpec,
                training: TrainingConfiguration, estimators: [LabelledEstimator], commandSettings: SettingValues = SettingValues(),
                facts: [(String, JSONValue)] = []) {
        self.command = command
        self.version = version
        self.environment = environment
        self.policy = policy
        self.training = training
        self.estimators = estimators
        self.commandSettings = commandSettings
        self.facts = facts
    }

    /// The commands whose runs a header describes.
    public static let commands = ["train", "compare", "variance"]

    /// Refuses an estimator list that does not fit `command`: a train run has exactly one
    /// estimator, which `"estimator"`, when present, names again; labels are distinct (they name
    /// the variants).
    static func checkEstimators(_ json: JSONValue, _ estimators: [LabelledEstimator], command: String,
                                fail: (String) -> InputError) throws {
        if command == "train" {
            guard estimators.count == 1 else {
                throw fail("a train run has one estimator; \"estimators\" lists \(estimators.count)")
            }
            let name = estimators[0].estimator.name
            if let e = json["estimator"], e.stringValue != name {  // absent in hand-written headers: "estimators" says it
                throw fail("\"estimator\" is \(e.echo()) but \"estimators\" holds \(JSONValue.string(name).text)")
            }
        }
        if let e = estimators.first(where: { $0.label.isEmpty }) {
            throw fail("the estimator \(JSONValue.string(e.estimator.name).text) has an empty label")
        }
        var seen: Set<String> = []
        for e in estimators where !seen.insert(e.label).inserted {
            throw fail("two estimators are labelled \(JSONValue.string(e.label).echo())")
        }
    }

    /// The keys of the header that are not settings.
    static let fixedKeys: Set = ["type", "version", "command", "env", "env_settings", "envs_dir", "estimators", "estimator"]

    /// The config line, with the command's settings written in `commandSettings` order.
    public func json(commandSettings order: [Setting] = []) -> JSONValue {
        var f: [(String, JSONValue)] = [("type", .string("config")), ("version", .string(version)),
                                        ("command", .string(command)), ("env", .string(environment.name)),
                                        ("env_settings", environment.settings.json(settingsOf(environment.settings)))]
        if let d = environment.directory { f.append(("envs_dir", .string(d))) }
        f += facts
        if case let .object(p) = policy.values.givenJSON(PolicySpec.settings) { f += p }
        if case let .object(t) = training.values.json(TrainingConfiguration.settings) { f += t }
        if command == "train", let first = estimators.first { f.append(("estimator", .string(first.estimator.name))) }
        f.append(("estimators", .array(estimators.map { e in
            .object([("label", .string(e.label)), ("estimator", .string(e.estimator.name)),
                     ("settings", e.estimator.settings.json(settingsOf(e.estimator.settings)))])
        })))
        if case let .object(c) = commandSettings.json(order) { f += c }
        return .object(f)
    }

    /// Settings standing for the given values' keys, in key order (for writing values whose
    /// owner is not at hand).
    func settingsOf(_ values: SettingValues) -> [Setting] {
        values.given.keys.sorted().map { key in
            let v = values.given[key]!
            return Setting(key: key, kind: Self.kind(of: v), defaultValue: nil, placeholder: "", help: "")
        }
    }

    static func kind(of v: SettingValue) -> Setting.Kind {
        switch v {
        case .number: return .number
        case .integer: return .integer
        case .seed: return .seed
        case .text: return .text(choices: nil)
        case .flag: return .flag
        case .numbers: return .numbers
        case .integers: return .integers
        }
    }

    /// Reads a config line back.
    /// - Parameters:
    ///   - json: the `{"type":"config"}` object.
    ///   - environmentSettings: the settings of the environment it names.
    ///   - commandSettings: the settings of the command it names.
    ///   - file: the log, for error messages.
    /// - Throws: ``InputError`` naming the field for anything missing, of the wrong type, out
    ///   of range, or unknown to the estimator it belongs to.
    public static func read(_ json: JSONValue, environmentSettings: (String) throws -> [Setting],
                            commandSettings: [Setting], file: String? = nil) throws -> RunHeader {
        func fail(_ what: String) -> InputError { InputError("config line: \(what)", file: file) }
        guard case let .object(pairs) = json, json["type"]?.stringValue == "config" else {
            throw fail("not a {\"type\":\"config\"} object")
        }
        guard let command = json["command"]?.stringValue else { throw fail("missing \"command\"") }
        guard commands.contains(command) else {
            throw fail("\"command\" must be one of \(commands.joined(separator: ", ")), got \(JSONValue.string(command).echo())")
        }
        guard let version = json["version"]?.stringValue else { throw fail("missing \"version\"") }
        guard let env = json["env"]?.stringValue else { throw fail("missing \"env\"") }
        let envSettings = try SettingValues.read(json["env_settings"] ?? .object([]), settings: try environmentSettings(env), file: file)
        let environment = EnvironmentSpec(env, settings: envSettings, directory: json["envs_dir"]?.stringValue)
        let policy = PolicySpec(try SettingValues.read(.object(pairs.filter { k, _ in PolicySpec.settings.contains { $0.key == k } }),
                                                       settings: PolicySpec.settings, file: file))
        let training = try TrainingConfiguration(
            try SettingValues.read(.object(pairs.filter { k, _ in TrainingConfiguration.settings.contains { $0.key == k } }),
                                   settings: TrainingConfiguration.settings, file: file))
        guard case let .array(items)? = json["estimators"], !items.isEmpty else { throw fail("missing \"estimators\"") }
        let estimators = try items.map { item -> LabelledEstimator in
            guard let name = item["estimator"]?.stringValue, let label = item["label"]?.stringValue else {
                throw fail("an estimator without \"estimator\" or \"label\"")
            }
            let d = try EstimatorRegistry.descriptor(named: name)
            return LabelledEstimator(label: label, estimator: EstimatorSpec(
                name, settings: try SettingValues.read(item["settings"] ?? .object([]), settings: d.settings, file: file)))
        }
        try checkEstimators(json, estimators, command: command, fail: fail)
        let known = Set(PolicySpec.settings.map(\.key) + TrainingConfiguration.settings.map(\.key))
        let rest = pairs.filter { k, _ in !known.contains(k) && !fixedKeys.contains(k) && commandSettings.contains { $0.key == k } }
        let commandValues = try SettingValues.read(.object(rest), settings: commandSettings, file: file)
        return RunHeader(command: command, version: version, environment: environment, policy: policy, training: training,
                         estimators: estimators, commandSettings: commandValues)
    }
}
