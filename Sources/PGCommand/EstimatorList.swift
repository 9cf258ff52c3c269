import PolicyGradient

/// The estimator names of `--estimators` (for `compare` and `variance`) and how a list of them,
/// crossed with `--lr` and `--tau` lists, becomes sweep variants.
///
/// Every variant uses the same number of episodes per update: REINFORCE variants run that many
/// one-episode contexts, `vimco` splits them into contexts of K episodes.
enum EstimatorList {
    /// All names, in table order.
    static let names = ["none", "ema", "ema-mean", "nvil", "vimco", "gumbel", "st-gumbel"]
    /// The default list.
    static let defaults = ["none", "ema", "nvil", "vimco", "gumbel", "st-gumbel"]

    /// The `--estimators` list (default ``defaults``).
    /// - Throws: ``InputError`` for an unknown or repeated name.
    static func parse(_ a: Arguments) throws -> [String] {
        let list = a.list("estimators") ?? defaults
        if list.isEmpty { throw InputError("--estimators: give at least one of \(names.joined(separator: ", "))") }
        for n in list where !names.contains(n) {
            throw InputError("--estimators: unknown estimator '\(n)'; valid: \(names.joined(separator: ", "))")
        }
        if Set(list).count != list.count { throw InputError("--estimators: an estimator is listed twice") }
        return list
    }

    /// The variants `names` × `learningRates` × (for the Gumbel estimators) `temperatures`.
    /// - Parameters:
    ///   - base: the shared configuration (optimizer, schedules, seed, critic, …).
    ///   - options: the policy family and MLP shape (default: tabular).
    ///   - episodes: episodes per update for every variant.
    ///   - samples: vimco's K.
    ///   - temperatures: τ values; nil keeps `base`'s τ and leaves it out of the labels.
    ///   - learningRates: step sizes; with more than one, labels end in ` lr=A`.
    /// - Throws: ``InputError`` if `episodes` is not a multiple of K for vimco, or a value is out of range.
    static func variants(names: [String], base: TrainingConfiguration, options: RunOptions? = nil, episodes: Int,
                         samples: Int, temperatures: [Double]?, learningRates: [Double]) throws -> [SweepVariant] {
        var out: [SweepVariant] = []
        for lr in learningRates {
            for name in names {
                var c = base
                c.learningRate = rescaled(base.learningRate, to: lr)
                try configure(&c, name: name, episodes: episodes, samples: samples)
                let lrLabel = learningRates.count > 1 ? " lr=\(lr)" : ""
                let taus: [Double?] = c.estimator == .reinforce ? [nil] : (temperatures.map { $0.map { Optional($0) } } ?? [nil])
                for tau in taus {
                    if let tau {
                        c.temperature = rescaled(base.temperature, to: tau)
                    }
                    try c.validate()
                    let label = name + (tau.map { " tau=\($0)" } ?? "") + lrLabel
                    out.append(SweepVariant(label: label, configuration: c, policy: options?.policyKind ?? .tabular,
                                            hidden: options?.hidden ?? [32], activation: options?.activation ?? .tanh))
                }
            }
        }
        return out
    }

    /// `schedule` started from `initial` instead: a constant stays constant; a decaying one
    /// keeps its rate and its floor, lowered to `initial` if the floor was above it.
    static func rescaled(_ schedule: Schedule, to initial: Double) -> Schedule {
        guard schedule.rate > 0 else { return Schedule(initial: initial) }
        return Schedule(initial: initial, minimum: min(schedule.minimum, initial), rate: schedule.rate)
    }

    /// Sets estimator, baseline, averaging, batch and K for `name`.
    static func configure(_ c: inout TrainingConfiguration, name: String, episodes: Int, samples: Int) throws {
        guard episodes >= 1 else { throw InputError("--batch: must be at least 1, got \(episodes)") }
        c.estimator = .reinforce
        c.baseline = .none
        c.samples = 1
        c.batch = episodes
        switch name {
        case "none": break
        case "ema": c.baseline = .ema; c.average = .exponential
        case "ema-mean": c.baseline = .ema; c.average = .mean
        case "nvil": c.baseline = .nvil
        case "vimco":
            guard samples >= 2 else {
                throw InputError("--samples: vimco needs K >= 2 episodes per context (leave-one-out), got \(samples)")
            }
            guard episodes % samples == 0 else {
                throw InputError("--batch: vimco splits the \(episodes) episodes of an update into contexts of K = \(samples); "
                                 + "the batch must be a multiple of K (change --batch or --samples, or leave vimco out)")
            }
            c.baseline = .vimco
            c.samples = samples
            c.batch = episodes / samples
        case "gumbel": c.estimator = .gumbel
        case "st-gumbel": c.estimator = .stGumbel
        default: throw InputError("unknown estimator '\(name)'; valid: \(names.joined(separator: ", "))")
        }
    }
}
