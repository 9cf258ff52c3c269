import Foundation
import PolicyGradient

extension CompareCommand {
    /// `seeds`: seeds per estimator (default 100).
    static let seedsSetting = Setting(key: "seeds", integer: 100, placeholder: "S",
                                      help: "seeds per estimator: --seed, --seed+1, ...") {
        (1...10_000_000).contains($0) ? nil : "must be in 1...10000000"
    }
    /// `threshold`: the level of exact J (or the mean return) whose first crossing is reported.
    static let thresholdSetting = Setting(key: "threshold", number: nil, defaultText: "none",
                                          help: "report iterations until exact J (or the mean return) first reaches X")
    /// `metric`: the curve in the plot's first panel.
    static let metricSetting = Setting(key: "metric", kind: .text(choices: CurveAccumulator.metrics), defaultValue: nil,
                                       defaultText: "exact_j where known, else mean_return", placeholder: "NAME",
                                       help: "curve in the plot's first panel: " + CurveAccumulator.metrics.joined(separator: ", "))
    /// `shard_index` and `shard_count`: the shard a file holds (header fields; the flag is `--shard i/n`).
    static let shardIndexSetting = Setting(key: "shard_index", integer: 0, help: "shard index") {
        (0..<10_000_000).contains($0) ? nil : "must be in 0...9999999"
    }
    static let shardCountSetting = Setting(key: "shard_count", integer: 1, help: "shard count") {
        (1...10_000_000).contains($0) ? nil : "must be in 1...10000000"
    }
    /// `lrs`: the learning rates of the sweep (header field; the flag is `--lr A[,A...]`).
    static let learningRatesSetting = Setting(key: "lrs", kind: .numbers, defaultValue: nil, placeholder: "A,A", help: "learning rates")
    /// `sweep_id`: the identity of a Slurm array's sweep (header field, from `--shard auto`).
    static let sweepIDSetting = Setting(key: "sweep_id", kind: .text(choices: nil), defaultValue: nil, placeholder: "ID",
                                        help: "the sweep's identity (a Slurm array job id)")
    /// `reference`: the variant the others are paired against (default: the first).
    static let referenceSetting = Setting(key: "reference", kind: .text(choices: nil), defaultValue: nil,
                                          defaultText: "the first estimator", placeholder: "NAME",
                                          help: "the estimator (or variant label) the others are paired against, seed by seed")
    /// `per`: the cost unit of the paired comparison.
    static let perSetting = Setting(key: "per", choice: "update", among: ["update", "episode", "step"],
                                    help: "compare at equal cost: final level and area at the budget every run reached, "
                                        + "counted in updates, episodes or environment steps")
    /// The command's own header fields.
    static let commandSettings = [seedsSetting, thresholdSetting, metricSetting, learningRatesSetting, shardIndexSetting,
                                  shardCountSetting, sweepIDSetting, referenceSetting, perSetting]

    /// A sweep (or one shard of it) as read from the flags.
    struct Sweep {
        var options: RunOptions
        var environment: any Environment
        var variants: [SweepVariant]
        var totalSeeds: Int
        var shard: SweepShard
        /// The sweep's identity when a Slurm array chose the shard (`--shard auto`), else nil.
        var sweepID: String?
        /// The indices and seeds this process runs.
        var seedIndices: [Int], seeds: [UInt64]
        var threshold: Double?
        var metric: String
        /// The label of the variant the others are paired against.
        var reference: String
        /// The cost unit of the paired comparison (`update`, `episode`, `step`).
        var per: String
        var exactKnown: Bool
        var threads: Int
        var configuration: TrainingConfiguration
        var learningRates: [Double]
        var environmentForSeed: @Sendable (UInt64) throws -> any Environment

        init(_ a: Arguments, variables: [String: String] = [:]) throws {
            options = try RunOptions(a, trainingSettings: TrainingConfiguration.settings.filter { $0.key != "lr" })
            environment = try options.makeEnvironment(seed: options.seed)
            let descriptors = try EstimatorList.list(a)
            totalSeeds = try a.values(of: [seedsSetting]).integer(seedsSetting)
            let selection = try a.string("shard").map { try ShardSelection(parsing: $0, environment: variables) }
            (shard, sweepID) = (selection?.shard ?? .whole, selection?.sweepID)
            seedIndices = shard.indices(seeds: totalSeeds)
            if seedIndices.isEmpty { throw InputError("--shard \(shard): no seeds left for this shard (--seeds \(totalSeeds))") }
            let first = options.seed
            seeds = seedIndices.map { first &+ UInt64($0) }
            let own = try a.values(of: [thresholdSetting, metricSetting])
            threshold = own.optionalNumber(thresholdSetting)
            exactKnown = ExactGradient.isKnown(for: environment)
            metric = own[metricSetting]?.string ?? (exactKnown ? "exact_j" : "mean_return")
            let reported = Sweep.metrics(of: environment)
            if !reported.contains(metric) {
                throw InputError(field: metricSetting.key, "\(environment.id) does not report '\(metric)'"
                                 + (metric == "optimal_action" ? " (only one-step, one-state environments such as bandits do)" : "")
                                 + "; its metrics: \(reported.joined(separator: ", "))")
            }
            configuration = try options.configuration(for: environment)
            let cores = ProcessInfo.processInfo.activeProcessorCount
            threads = configuration.threads == 0 ? cores : configuration.threads
            learningRates = try a.sweepValues(of: [TrainingConfiguration.learningRateSetting]).first?.values.compactMap(\.number)
                ?? [configuration.learningRate.initial]
            variants = try EstimatorList.variants(a, descriptors: descriptors, base: configuration, learningRates: learningRates,
                                                  policy: options.policy)
            let paired = try a.values(of: [CompareCommand.referenceSetting, CompareCommand.perSetting])
            reference = try CompareCommand.referenceLabel(paired[CompareCommand.referenceSetting]?.string, variants: variants)
            per = paired.text(CompareCommand.perSetting)
            let env = environment, o = options
            // Only bandit10 draws its arms from the seed; every other environment is shared.
            if o.descriptor.name == "bandit10" {
                environmentForSeed = { seed in try o.makeEnvironment(seed: seed) }
            } else {
                environmentForSeed = { _ in env }
            }
        }

        /// The curves a sweep on `env` records: mean return, gradient norm and entropy always;
        /// exact J and the squared gradient error with known dynamics or an exact objective; the fraction of optimal
        /// actions on a one-step, one-state environment with known dynamics (a bandit).
        static func metrics(of env: any Environment) -> [String] {
            let known = ExactGradient.isKnown(for: env), bandit = env is any KnownDynamics && env.stateCount == 1 && env.timeLimit == 1
            return CurveAccumulator.metrics.filter { m in
                switch m {
                case "exact_j", "grad_sq_error": return known
                case "optimal_action": return bandit
                default: return true
                }
            }
        }

        /// The finite-horizon optimum J*, when every seed runs the same environment and its
        /// dynamics are known (for the plot's reference line).
        var optimalJ: Double? {
            guard options.descriptor.name != "bandit10" else { return nil }
            return ExactGradient.optimalValue(environment: environment, gamma: configuration.gamma)
        }

        /// Refuses a sweep whose memory estimate exceeds `--memory-limit`: one session per
        /// worker thread, the curves of every variant and chunk, and the per-seed results.
        func checkMemory(_ a: Arguments) throws {
            let workers = max(1, min(threads, seeds.count, SeedSweep.maximumChunks))
            var extra = MemoryEstimate.curves(iterations: configuration.iterations, variants: variants.count,
                                              seeds: seeds.count, workers: workers)
            extra.add(MemoryEstimate.seeds(seeds.count, variants: variants.count, iterations: configuration.iterations,
                                            field: seedsSetting.key))
            try options.checkMemory(a, environment: environment, configuration: configuration,
                                    estimators: variants.map(\.estimator), sessions: workers, extra: extra)
        }

        /// The run header: everything that defines the sweep, and the shard.
        var header: RunHeader {
            var values = SettingValues()
            values.set(seedsSetting, .integer(totalSeeds))
            if let threshold { values.set(thresholdSetting, .number(threshold)) }
            values.set(metricSetting, .text(metric))
            values.set(learningRatesSetting, .numbers(learningRates))
            values.set(shardIndexSetting, .integer(shard.index))
            values.set(shardCountSetting, .integer(shard.count))
            if let sweepID { values.set(sweepIDSetting, .text(sweepID)) }
            values.set(referenceSetting, .text(reference))
            values.set(perSetting, .text(per))
            return RunHeader(command: "compare", version: PGVersion.current, environment: options.environment,
                             policy: options.policy, training: configuration,
                             estimators: variants.map { LabelledEstimator(label: $0.label, estimator: $0.estimator) },
                             commandSettings: values,
                             facts: options.facts(environment)
                                + [("final_quantity", .string(exactKnown ? "exact_j" : "mean_return")),
                                   ("grad_sq_error", .bool(exactKnown)), ("optimal_j", .number(optimalJ)),
                                   ("title", .string(CompareFile.title(env: environment.id, seeds: totalSeeds,
                                                                       iterations: configuration.iterations)))])
        }

        /// The `{"type":"config"}` line.
        var configLine: JSONValue { header.json(commandSettings: CompareCommand.commandSettings) }
    }
}
