import PolicyGradient

/// The command line that runs a logged run again: every value of its run header as a flag
/// `--key-with-dashes=VALUE` (the header's keys are the flags' names; values in the text the
/// command line parses, numbers in shortest round-trip form, so they read back bit for bit).
///
/// `pg rerun` runs the same command with these arguments, so a rerun goes through exactly the
/// parsing, checks and defaults that the original command line went through; a header that
/// does not rebuild its own run shows up as a different config line.
enum HeaderArguments {
    /// `--key-with-dashes=VALUE`.
    static func flag(_ key: String, _ value: SettingValue) -> String {
        FlagNames.flag(key) + "=" + value.text
    }

    /// A flag for every given value, in key order.
    static func flags(_ values: SettingValues, excluding: Set<String> = []) -> [String] {
        values.given.keys.sorted().filter { !excluding.contains($0) }.map { flag($0, values.given[$0]!) }
    }

    /// `--env`, the environment's settings and `--envs-dir`.
    static func environment(_ e: EnvironmentSpec) -> [String] {
        ["--env=" + e.name] + flags(e.settings) + (e.directory.map { ["--envs-dir=" + $0] } ?? [])
    }

    /// `--policy` (and `--hidden`, `--activation` for an MLP).
    static func policy(_ p: PolicySpec) -> [String] { flags(p.values) }

    /// The training settings (with `threads` replaced when given).
    static func training(_ c: TrainingConfiguration, excluding: Set<String> = [], threads: Int?) -> [String] {
        var values = c.values
        if let threads { values.set(TrainingConfiguration.threadsSetting, .integer(threads)) }
        return flags(values, excluding: excluding)
    }

    /// `--estimator NAME` and its settings (`pg train`).
    static func single(_ e: EstimatorSpec) -> [String] {
        ["--estimator=" + e.name] + flags(e.settings)
    }

    /// `--estimators LIST` and, per estimator setting, the list of values the variants have
    /// (`--tau=0.5,1`), left out where every estimator that has it is at its own default
    /// (`compare`, `variance`: ``EstimatorList/variants(_:descriptors:base:learningRates:policy:)``
    /// forms the same product again).
    static func list(_ estimators: [LabelledEstimator]) -> [String] {
        var names: [String] = []
        for e in estimators where !names.contains(e.estimator.name) { names.append(e.estimator.name) }
        var out = ["--estimators=" + names.joined(separator: ",")]
        for s in EstimatorRegistry.allSettings {
            var lists: [(values: [SettingValue], atDefault: Bool)] = []
            for name in names {
                var values: [SettingValue] = []
                for e in estimators where e.estimator.name == name {
                    if let v = e.estimator.settings.given[s.key], !values.contains(v) { values.append(v) }
                }
                guard !values.isEmpty else { continue }
                let own = (try? EstimatorRegistry.descriptor(named: name))?.settings.first { $0.key == s.key }?.defaultValue
                lists.append((values, values == [own].compactMap { $0 }))
            }
            guard let chosen = lists.first(where: { !$0.atDefault }) else { continue }
            out.append(FlagNames.flag(s.key) + "=" + chosen.values.map(\.text).joined(separator: ","))
        }
        return out
    }

    /// The arguments of the command that wrote `header` (without the command's name), and the
    /// environment variables it reads (a Slurm array's, for a shard of `--shard auto`).
    /// - Parameter threads: replaces the header's thread count.
    /// - Throws: ``InputError`` for a command pg cannot run again.
    static func arguments(for header: RunHeader, threads: Int?) throws -> (arguments: [String], variables: [String: String]) {
        let h = header, own = h.commandSettings
        let common = environment(h.environment) + policy(h.policy)
        switch h.command {
        case "train":
            guard let e = h.estimators.first else { throw InputError("a train config line without an estimator") }
            return (common + single(e.estimator) + training(h.training, threads: threads) + flags(own), [:])
        case "variance":
            // `train` is written with its default even when `--at` trains nothing; it applies only to after:N.
            let trains = own[VarianceCommand.atSetting]?.string?.hasPrefix("after:") == true
            return (common + list(h.estimators) + training(h.training, excluding: ["iterations"], threads: threads)
                    + flags(own, excluding: trains ? [] : ["train"]), [:])
        case "compare":
            var args = common + list(h.estimators) + training(h.training, excluding: ["lr"], threads: threads) + ["--no-plot"]
            args += flags(own, excluding: ["lrs", "shard_index", "shard_count", "sweep_id"])
            if let lrs = own[CompareCommand.learningRatesSetting] { args.append(flag("lr", lrs)) }
            let index = own.integer(CompareCommand.shardIndexSetting), count = own.integer(CompareCommand.shardCountSetting)
            guard index < count, count <= own.integer(CompareCommand.seedsSetting) else {
                throw InputError("config line: shard_index \(index) of shard_count \(count) is not a shard of \(own.integer(CompareCommand.seedsSetting)) seeds")
            }
            guard let id = own[CompareCommand.sweepIDSetting]?.string else {
                return (args + (count > 1 ? ["--shard=\(index)/\(count)"] : []), [:])
            }
            // The shard of a Slurm array (`--shard auto`): the same task again, of the same sweep.
            return (args + ["--shard=auto/\(count)"],
                    ["SLURM_ARRAY_JOB_ID": "0", "SLURM_ARRAY_TASK_ID": String(index), "PG_SWEEP_ID": id])
        default:
            throw InputError("pg rerun runs train, compare and variance logs, not '\(h.command)'")
        }
    }

    /// The command settings of the commands `pg rerun` runs.
    static func commandSettings(_ command: String) -> [Setting] {
        switch command {
        case "train": return TrainCommand.commandSettings
        case "compare": return CompareCommand.commandSettings
        case "variance": return VarianceCommand.commandSettings
        default: return []
        }
    }

    /// Reads a config line with the settings of the environments and estimators pg knows
    /// (registered ones included), the environment looked up in the line's `envs_dir`.
    /// - Throws: ``InputError`` naming `file` for anything missing, unknown or out of range.
    static func header(_ config: JSONValue, file: String) throws -> RunHeader {
        let dirs = RunOptions.directories(user: config["envs_dir"]?.stringValue)
        return try RunHeader.read(config, environmentSettings: { try EnvironmentRegistry.descriptor($0, directories: dirs).settings },
                                  commandSettings: commandSettings(config["command"]?.stringValue ?? ""), file: file)
    }
}
