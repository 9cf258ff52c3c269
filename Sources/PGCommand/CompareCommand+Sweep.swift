import Foundation
import PolicyGradient

extension CompareCommand {
    /// A sweep (or one shard of it) as read from the flags.
    struct Sweep {
        var options: RunOptions
        var environment: any Environment
        var names: [String]
        var variants: [SweepVariant]
        var totalSeeds: Int
        var shard: SweepShard
        /// The sweep's identity when a Slurm array chose the shard (`--shard auto`), else nil.
        var sweepID: String?
        /// The indices and seeds this process runs.
        var seedIndices: [Int], seeds: [UInt64]
        var threshold: Double?
        var metric: String
        var exactKnown: Bool
        var threads: Int
        var episodes: Int, samples: Int
        var environmentForSeed: @Sendable (UInt64) throws -> any Environment

        init(_ a: Arguments, variables: [String: String] = [:]) throws {
            options = try RunOptions(a.removing(["lr", "tau", "batch", "samples"]))
            environment = try options.environment()
            names = try EstimatorList.parse(a)
            totalSeeds = try a.int("seeds") ?? 100
            if totalSeeds < 1 { throw InputError("--seeds: must be at least 1, got \(totalSeeds)") }
            let selection = try a.string("shard").map { try ShardSelection(parsing: $0, environment: variables) }
            (shard, sweepID) = (selection?.shard ?? .whole, selection?.sweepID)
            seedIndices = shard.indices(seeds: totalSeeds)
            if seedIndices.isEmpty { throw InputError("--shard \(shard): no seeds left for this shard (--seeds \(totalSeeds))") }
            let first = options.configuration.seed
            seeds = seedIndices.map { first &+ UInt64($0) }
            threshold = try a.double("threshold")
            exactKnown = environment is any KnownDynamics
            metric = a.string("metric") ?? (exactKnown ? "exact_j" : "mean_return")
            guard CurveAccumulator.metrics.contains(metric) else {
                throw InputError("--metric: unknown metric '\(metric)'; valid: \(CurveAccumulator.metrics.joined(separator: ", "))")
            }
            let cores = ProcessInfo.processInfo.activeProcessorCount
            threads = options.configuration.threads == 0 ? cores : options.configuration.threads
            episodes = try a.int("batch") ?? 32
            samples = try a.int("samples") ?? 4
            variants = try EstimatorList.variants(names: names, base: options.configuration, options: options,
                                                  episodes: episodes, samples: samples, temperatures: try a.doubles("tau"),
                                                  learningRates: try a.doubles("lr") ?? [0.1])
            let env = environment, name = options.envName, envOptions = options.envOptions
            // Only bandit10 draws its arms from the seed; every other environment is shared.
            if name == "bandit10" {
                environmentForSeed = { seed in
                    var o = envOptions
                    o.seed = seed
                    return try EnvironmentRegistry.make(name, options: o)
                }
            } else {
                environmentForSeed = { _ in env }
            }
        }

        /// The `{"type":"config"}` line: everything that defines the sweep, and the shard.
        var configLine: JSONValue {
            let c = options.configuration
            var f: [(String, JSONValue)] = [
                ("type", .string("config")), ("version", .string(PGVersion.current)), ("command", .string("compare")),
                ("env", .string(environment.id)), ("env_arg", .string(options.envName)),
                ("bandit_mean", .double(options.envOptions.banditMean)),
                ("actions", .int(environment.actionCount)), ("states", .int(environment.stateCount)),
                ("time_limit", .int(environment.timeLimit)), ("policy", .string(options.policyKind.rawValue)),
                ("estimators", .array(variants.map { .string($0.label) })),
                ("seeds", .int(totalSeeds)), ("seed", .int(Int(truncatingIfNeeded: c.seed))),
                ("iterations", .int(c.iterations)), ("episodes", .int(episodes)),
                ("threshold", .number(threshold)), ("metric", .string(metric)),
                ("final_quantity", .string(exactKnown ? "exact_j" : "mean_return")),
                ("grad_sq_error", .bool(exactKnown)), ("threads", .int(threads)),
                ("shard_index", .int(shard.index)), ("shard_count", .int(shard.count)),
                ("sweep_id", sweepID.map(JSONValue.string) ?? .null),
            ]
            f.append(("variants", .array(variants.map { v in
                .object([("label", .string(v.label))] + v.configuration.jsonFields.filter { $0.0 != "seed" && $0.0 != "threads" })
            })))
            return .object(f)
        }
    }
}
