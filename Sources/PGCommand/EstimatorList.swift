import PolicyGradient

/// Choosing estimators on the command line, with one vocabulary for every command: the names
/// of ``EstimatorRegistry`` work in `pg train --estimator NAME` (or `--baseline NAME` for the
/// REINFORCE baselines) and in `--estimators LIST`; each estimator's settings are flags that
/// apply only to the estimators that have them.
enum EstimatorList {
    /// The estimator of `pg train` when none is named: REINFORCE without a baseline.
    static let defaultEstimator = "none"

    /// The default `--estimators` list of `compare` and `variance`.
    static let defaults = ["none", "ema", "nvil", "vimco", "gumbel", "st-gumbel"]

    /// Every estimator's settings, as flags.
    static var flags: [Flag] { EstimatorRegistry.allSettings.map(Flag.init) }

    /// `--estimator` and `--baseline` of `pg train`.
    static let trainFlags = [
        Flag("estimator", "NAME", "the estimator, one of those pg estimators lists (default \(defaultEstimator), i.e. REINFORCE "
             + "without a baseline)"),
        Flag("baseline", "NAME", "REINFORCE's baseline, the same as --estimator NAME for the baselines pg estimators lists"),
    ]

    /// `--estimators LIST` of `compare` and `variance`.
    static var listFlag: Flag {
        Flag("estimators", "LIST", "comma list of estimators (pg estimators lists them) (default \(defaults.joined(separator: ",")))")
    }

    /// The estimator of `pg train`.
    /// - Throws: ``InputError`` for an unknown name, a combination that means nothing (a
    ///   baseline with a non-REINFORCE estimator), or a setting of another estimator.
    static func single(_ a: Arguments) throws -> (descriptor: EstimatorDescriptor, spec: EstimatorSpec) {
        let baselines = EstimatorRegistry.all.filter(\.isBaseline).map(\.name)
        var name = defaultEstimator
        let estimator = try a.string("estimator").map { try named($0, flag: "estimator") }
        if let b = a.string("baseline") {
            let d = try named(b, flag: "baseline", valid: baselines)
            guard d.isBaseline else {
                throw InputError("--baseline: '\(b)' is not a REINFORCE baseline; valid: \(baselines.joined(separator: ", ")) "
                                 + "(other estimators: --estimator \(b))")
            }
            if let e = estimator, e.name != defaultEstimator, e.name != d.name {
                throw InputError("--baseline applies to REINFORCE (--estimator reinforce); --estimator \(a.string("estimator")!) "
                                 + "takes no baseline (use --estimator \(b) or --baseline \(b) alone)")
            }
            name = d.name
        } else if let e = estimator {
            name = e.name
        }
        let d = try EstimatorRegistry.descriptor(named: name)
        try checkApplicable(a, to: [d])
        return (d, EstimatorSpec(d.name, settings: try a.values(of: d.settings).completed(with: d.settings)))
    }

    /// The estimator `name`, or an error under `--flag` listing `valid` (default: every name).
    static func named(_ name: String, flag: String, valid: [String]? = nil) throws -> EstimatorDescriptor {
        do { return try EstimatorRegistry.descriptor(named: name) } catch {
            let names = valid ?? EstimatorRegistry.names
            throw InputError("--\(flag): unknown estimator '\(name)'; valid: \(names.joined(separator: ", "))")
        }
    }

    /// Refuses estimator settings given that none of `descriptors` has (after checking that
    /// every given value parses and is in range).
    static func checkApplicable(_ a: Arguments, to descriptors: [EstimatorDescriptor], sweep: Bool = false) throws {
        if sweep { _ = try a.sweepValues(of: EstimatorRegistry.allSettings) } else { _ = try a.values(of: EstimatorRegistry.allSettings) }
        for s in a.given(EstimatorRegistry.allSettings) where !descriptors.contains(where: { d in d.settings.contains { $0.key == s.key } }) {
            let names = descriptors.map(\.name).joined(separator: ", ")
            let own = Set(descriptors.flatMap { $0.settings.map(\.key) }).sorted().map(FlagNames.flag)
            throw InputError("--\(s.flag) does not apply to \(names) ("
                             + (own.isEmpty ? "no settings of their own)" : "their settings: \(own.joined(separator: ", ")))"))
        }
    }

    /// The `--estimators` list.
    /// - Throws: ``InputError`` for an unknown or repeated name.
    static func list(_ a: Arguments) throws -> [EstimatorDescriptor] {
        let names = a.list("estimators") ?? defaults
        if names.isEmpty || names.contains("") {
            throw InputError("--estimators: give a comma list of \(EstimatorRegistry.names.joined(separator: ", "))")
        }
        let descriptors = try names.map { try named($0, flag: "estimators") }
        if Set(descriptors.map(\.name)).count != descriptors.count { throw InputError("--estimators: an estimator is listed twice") }
        return descriptors
    }

    /// The variants of `compare` and `variance`: every listed estimator × every value of the
    /// listed settings it has (a number setting given as a list, e.g. `--tau 0.5,1`) × every
    /// learning rate. Labels name the values that vary: `gumbel tau=0.5`, `nvil lr=0.4`.
    /// - Parameters:
    ///   - base: the shared configuration; the learning rate's schedule restarts from each rate.
    ///   - learningRates: the `--lr` list.
    /// - Throws: ``InputError`` for a setting that applies to no listed estimator.
    static func variants(_ a: Arguments, descriptors: [EstimatorDescriptor], base: TrainingConfiguration,
                         learningRates: [Double], policy: PolicySpec) throws -> [SweepVariant] {
        try checkApplicable(a, to: descriptors, sweep: true)
        let lists = try a.sweepValues(of: EstimatorRegistry.allSettings)
        var out: [SweepVariant] = []
        for lr in learningRates {
            var c = base
            c.learningRate = rescaled(base.learningRate, to: lr)
            try c.validate()
            for d in descriptors {
                let mine = lists.filter { l in d.settings.contains { $0.key == l.setting.key } }
                for combination in product(mine) {
                    var values = SettingValues()
                    var label = d.name
                    for (s, v) in combination {
                        values.set(s, v)
                        if mine.first(where: { $0.setting.key == s.key })!.values.count > 1 { label += " \(s.key)=\(v.text)" }
                    }
                    if learningRates.count > 1 { label += " lr=\(SettingValue.format(lr))" }
                    out.append(SweepVariant(label: label, estimator: EstimatorSpec(d.name, settings: values.completed(with: d.settings)),
                                            configuration: c, policy: policy))
                }
            }
        }
        return out
    }

    /// Every combination of one value per list.
    static func product(_ lists: [(setting: Setting, values: [SettingValue])]) -> [[(Setting, SettingValue)]] {
        lists.reduce([[]]) { acc, list in acc.flatMap { prefix in list.values.map { prefix + [(list.setting, $0)] } } }
    }

    /// `schedule` started from `initial` instead: a constant stays constant; a decaying one
    /// keeps its rate and its floor, lowered to `initial` if the floor was above it.
    static func rescaled(_ schedule: Schedule, to initial: Double) -> Schedule {
        guard schedule.rate > 0 else { return Schedule(initial: initial) }
        return Schedule(initial: initial, minimum: min(schedule.minimum, initial), rate: schedule.rate)
    }
}
