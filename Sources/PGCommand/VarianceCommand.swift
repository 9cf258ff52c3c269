import Foundation
import PolicyGradient

/// `pg variance`: bias, variance, SNR and cost of several estimators at one fixed policy.
enum VarianceCommand {
    static let measurementFlags = [
        Flag("estimators", "LIST", "comma list of \(EstimatorList.names.joined(separator: ", ")) "
             + "(default \(EstimatorList.defaults.joined(separator: ",")))"),
        Flag("replicates", "R", "independent estimates per estimator (default 1000)"),
        Flag("batch", "B", "episodes per estimate, the same for every estimator (default 32)"),
        Flag("samples", "K", "vimco's episodes per context; it uses B/K contexts (default 4)"),
        Flag("tau", "T[,T...]", "Gumbel temperatures; each gives its own gumbel and st-gumbel rows (default 1)"),
        Flag("at", "WHERE", "the policy measured: initial, or after:N (after N training updates) (default initial)"),
        Flag("train", "NAME", "the estimator trained for --at after:N (default ema)"),
        Flag("warm-up", "N", "batches that fit the ema/nvil baselines and the Gumbel critic before measuring (default 20)"),
        Flag("significance", "A", "family-wise level of the zero-bias test (default 0.01)"),
    ]

    static let sharedNames: Set = ["decay", "lr", "optimizer", "gamma", "seed", "threads", "nvil-lr", "critic-hidden", "critic-activation",
                                   "critic-steps", "critic-lr", "policy", "hidden", "activation"]
    static var trainingFlags: [Flag] { RunOptions.estimatorFlags.filter { sharedNames.contains($0.name) } }
    static let outputFlags = [
        Flag("out", "FILE", "JSONL results (default runs/variance-ENV-AT-sSEED.jsonl, never overwriting)"),
        Flag("force", nil, "overwrite --out if it exists"),
        Flag("quiet", nil, "no progress bar"),
        Flag("help", nil, "show this help"),
    ]
    static var flags: [Flag] { RunOptions.environmentFlags + measurementFlags + trainingFlags + outputFlags }

    static func run(_ args: [String], _ output: Output) throws -> Int32 {
        let a = try Arguments(args, flags: flags, command: "variance")
        if a.has("help") {
            output.out(PGCommand.help("pg variance — bias, variance, SNR and cost of each estimator at one fixed policy",
                                      usage: "pg variance --env NAME [--estimators LIST] [--replicates R] [--batch B] [--tau T,T] [--at initial|after:N]",
                                      sections: [("ENVIRONMENT", RunOptions.environmentFlags),
                                                 ("MEASUREMENT", measurementFlags),
                                                 ("POLICY AND TRAINING (for --at after:N)", trainingFlags),
                                                 ("OUTPUT", outputFlags)]))
            return 0
        }
        let setup = try Setup(a)
        let progress = Progress(total: setup.replicates * setup.variants.count, label: "variance", output: output,
                                enabled: !a.has("quiet"))
        let rows = try VarianceStudy.run(environment: setup.environment, policy: setup.policy, variants: setup.variants,
                                         replicates: setup.replicates, warmUpBatches: setup.warmUp, normalised: false,
                                         significance: setup.significance, progress: { progress.update($0) })
        progress.finish()
        let path = a.string("out") ?? TrainCommand.defaultLogPath(env: setup.environment.id, label: setup.atLabel,
                                                                  seed: setup.base.seed, kind: "variance-")
        let writer = try JSONLWriter(path: path, mode: TrainCommand.logMode(a))
        try writer.write(configLine(setup))
        for r in rows { try writer.write(rowLine(r)) }
        try writer.close()
        printReport(output, setup: setup, rows: rows, path: writer.path)
        return 0
    }

    /// Everything the measurement needs, read from the flags.
    struct Setup {
        var options: RunOptions
        var environment: any Environment
        var policy: any Policy
        var base: TrainingConfiguration
        var variants: [SweepVariant]
        var names: [String]
        var replicates: Int, episodes: Int, samples: Int, warmUp: Int
        var significance: Double
        var at: String, atLabel: String
        var trainName: String?

        init(_ a: Arguments) throws {
            options = try RunOptions(a.removing(["tau", "batch", "samples"]))
            environment = try options.environment()
            base = options.configuration
            names = try EstimatorList.parse(a)
            replicates = try a.int("replicates") ?? 1000
            if replicates < 2 { throw InputError("--replicates: must be at least 2, got \(replicates)") }
            episodes = try a.int("batch") ?? 32
            samples = try a.int("samples") ?? 4
            warmUp = try a.int("warm-up") ?? 20
            if warmUp < 0 { throw InputError("--warm-up: must be >= 0, got \(warmUp)") }
            significance = try a.double("significance") ?? 0.01
            if !(significance > 0 && significance < 1) { throw InputError("--significance: must be in (0, 1), got \(significance)") }
            let taus = try a.doubles("tau")
            variants = try EstimatorList.variants(names: names, base: base, options: options, episodes: episodes,
                                                  samples: samples, temperatures: taus, learningRates: [base.learningRate.initial])
            policy = options.policy(for: environment)
            at = a.string("at") ?? "initial"
            atLabel = "initial"
            try placePolicy(a)
        }

        /// Trains the policy for `--at after:N`.
        mutating func placePolicy(_ a: Arguments) throws {
            if at == "initial" { return }
            guard at.hasPrefix("after:"), let n = Int(at.dropFirst(6)), n >= 0 else {
                throw InputError("--at: expected initial or after:N (N training updates), got '\(at)'"
                                 + (at.hasSuffix(".jsonl") ? "; measuring at a logged run's final policy is not supported (logs hold no parameters)" : ""))
            }
            let name = a.string("train") ?? "ema"
            guard EstimatorList.names.contains(name) else {
                throw InputError("--train: unknown estimator '\(name)'; valid: \(EstimatorList.names.joined(separator: ", "))")
            }
            var c = base
            try EstimatorList.configure(&c, name: name, episodes: episodes, samples: samples)
            policy = try VarianceStudy.trainedPolicy(environment: environment, policy: policy, configuration: c, iterations: n)
            trainName = name
            atLabel = "after\(n)-\(name)"
            at = "after:\(n)"
        }

        /// "the initial policy" or "after N updates of NAME".
        var atDescription: String {
            trainName.map { "the policy after \(at.dropFirst(6)) updates of \($0)" } ?? "the initial policy"
        }
    }
}
