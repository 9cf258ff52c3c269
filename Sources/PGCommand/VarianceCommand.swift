import Foundation
import PolicyGradient

/// `pg variance`: bias, variance, SNR and cost of several estimators at one fixed policy.
enum VarianceCommand {
    /// `replicates`: independent estimates per estimator (default 1000).
    static let replicatesSetting = Setting(key: "replicates", integer: 1000, placeholder: "R",
                                           help: "independent estimates per estimator") {
        (2...100_000_000).contains($0) ? nil : "must be in 2...100000000"
    }
    /// `at`: the policy measured.
    static let atSetting = Setting(key: "at", kind: .text(choices: nil), defaultValue: .text("initial"), placeholder: "WHERE",
                                   help: "the policy measured: initial, after:N (after N training updates), or a checkpoint file")
    /// `train`: the estimator trained for `--at after:N`.
    static let trainSetting = Setting(key: "train", kind: .text(choices: nil), defaultValue: .text("ema"), placeholder: "NAME",
                                      help: "the estimator trained for --at after:N") { v in
        // Checked where the value enters, on the command line and in a log's config line alike.
        let names = EstimatorRegistry.names
        return names.contains(v.string ?? "") ? nil : "must name an estimator (" + names.joined(separator: ", ") + ")"
    }
    /// `warm_up`: batches that fit the estimators' state before measuring (default 20).
    static let warmUpSetting = Setting(key: "warm_up", integer: VarianceStudy.defaultWarmUpBatches,
                                       help: "batches that fit baselines and critics at the policy before measuring") {
        (0...10_000_000).contains($0) ? nil : "must be in 0...10000000"
    }
    /// `significance`: the family-wise level of the zero-bias test (default 0.01).
    static let significanceSetting = Setting(key: "significance", number: GradientStatistics.defaultSignificance, placeholder: "A",
                                             help: "family-wise level of the zero-bias test") {
        $0 > 0 && $0 < 1 ? nil : "must be in (0, 1)"
    }
    /// The command's own settings.
    static let commandSettings = [replicatesSetting, atSetting, trainSetting, warmUpSetting, significanceSetting]

    static var measurementFlags: [Flag] { [EstimatorList.listFlag] + commandSettings.map(Flag.init) + calibrationFlags }
    static var trainingFlags: [Flag] { RunOptions.trainingFlags(excluding: ["iterations"]) }
    static let outputFlags = [
        Flag("out", "FILE", "JSONL results (default runs/variance-ENV-AT-sSEED.jsonl, never overwriting)"),
        Flag("force", nil, "overwrite --out if it exists"),
        Flag("quiet", nil, "no progress bar"),
        Flag("help", nil, "show this help"),
    ]
    static var flags: [Flag] {
        RunOptions.environmentFlags + measurementFlags + EstimatorList.flags + trainingFlags + RunOptions.policyFlags + outputFlags
    }

    static func run(_ args: [String], _ output: Output) throws -> Int32 {
        let (a, checkpoint) = try arguments(args)
        if a.has("help") {
            output.out(PGCommand.help("pg variance — bias, variance, SNR and cost of each estimator at one fixed policy",
                                      usage: "pg variance --env NAME [--estimators LIST] [--replicates R] [--batch N] [--tau T,T] [--at initial|after:N]",
                                      sections: [("ENVIRONMENT", RunOptions.environmentFlags),
                                                 ("MEASUREMENT", measurementFlags),
                                                 ("ESTIMATOR SETTINGS (a number may be a list: one row per value)", EstimatorList.flags),
                                                 ("TRAINING (batch = episodes per estimate; the rest for --at after:N)", trainingFlags),
                                                 ("POLICY", RunOptions.policyFlags),
                                                 ("OUTPUT", outputFlags)]))
            return 0
        }
        try a.rejectPositionals(command: "variance")
        if a.has("calibration") { return try calibrate(a, output) }
        try OutputFlag.checkLog(a, "out", mode: TrainCommand.logMode(a))
        Interruption.beginPolling()  // from here a signal stops the training (--at after:N) or measurement cleanly
        let setup = try Setup(a, checkpoint: checkpoint)
        let progress = Progress(label: "variance", unit: "estimates", counts: setup.variants.map { _ in setup.replicates },
                                output: output, enabled: !a.has("quiet")) {  // an estimate costs about one update
            try setup.variants.map { try SeedSweep.secondsPerUpdate($0, seed: setup.configuration.seed, usesKernels: false,
                                                                    environment: { _ in setup.environment }) }
        }
        let rows = try VarianceStudy.run(environment: setup.environment, policy: setup.policy, variants: setup.variants,
                                         replicates: setup.replicates, warmUpBatches: setup.warmUp, normalised: false,
                                         significance: setup.significance, progress: { progress.update($0) })
        progress.finish()
        let path = a.string("out") ?? TrainCommand.defaultLogPath(env: setup.environment.id, label: setup.atLabel,
                                                                  seed: setup.configuration.seed, kind: "variance-")
        let writer = try OutputFlag.under(a.has("out") ? "out" : nil) { try JSONLWriter(path: path, mode: TrainCommand.logMode(a)) }
        try writer.write(configLine(setup))
        for r in rows { try writer.write(rowLine(r)) }
        let status = runStatus(rowReplicates: rows.map(\.statistics.count), estimators: setup.variants.count,
                               replicates: setup.replicates)
        try writer.write(.object([("type", .string("summary")), ("status", .string(status))]))
        try writer.close()
        printReport(output, setup: setup, rows: rows, path: writer.path)
        if status != "completed" { output.line("  status: interrupted (\(rows.count) of \(setup.variants.count) estimators measured)") }
        return status == "completed" ? 0 : 130
    }

    /// `completed` when every estimator has all its replicates, else `interrupted`: it is what was
    /// measured that decides, so a signal after the last estimator finished leaves a complete run.
    static func runStatus(rowReplicates: [Int], estimators: Int, replicates: Int) -> String {
        rowReplicates.count == estimators && rowReplicates.allSatisfy { $0 == replicates } ? "completed" : "interrupted"
    }

    /// Everything the measurement needs, read from the flags.
    struct Setup {
        var options: RunOptions
        var environment: any Environment
        var policy: any Policy
        var configuration: TrainingConfiguration
        var variants: [SweepVariant]
        var replicates: Int, warmUp: Int
        var significance: Double
        var at: String, atLabel: String
        var trainName: String?
        /// The checkpoint of `--at CHECKPOINT`.
        var checkpoint: CheckpointFile?

        init(_ a: Arguments, checkpoint: CheckpointFile? = nil) throws {
            options = try RunOptions(a, trainingSettings: TrainingConfiguration.settings.filter { $0.key != "iterations" })
            environment = try options.makeEnvironment(seed: options.seed)
            configuration = try options.configuration(for: environment)
            let own = try a.values(of: VarianceCommand.commandSettings)
            replicates = own.integer(replicatesSetting)
            warmUp = own.integer(warmUpSetting)
            significance = own.number(significanceSetting)
            let descriptors = try EstimatorList.list(a)
            variants = try EstimatorList.variants(a, descriptors: descriptors, base: configuration,
                                                  learningRates: [configuration.learningRate.initial], policy: options.policy)
            try options.checkMemory(a, environment: environment, configuration: configuration, estimators: variants.map(\.estimator),
                                    extra: .estimates(replicates: replicates, parameters: options.policy.parameterCount(
                                        states: environment.stateCount, actions: environment.actionCount,
                                        features: environment.featureLength), field: replicatesSetting.key))
            policy = options.policy.make(for: environment, seed: configuration.seed)
            at = own.text(atSetting)
            atLabel = "initial"
            self.checkpoint = checkpoint
            if a.has("train") { _ = try EstimatorList.named(own.text(trainSetting), flag: "train") }  // a typo first
            try placePolicy(trainName: a.has("train") ? own.text(trainSetting) : nil)
        }

        /// Trains the policy for `--at after:N`.
        mutating func placePolicy(trainName name: String?) throws {
            if let checkpoint { return try place(checkpoint, trainName: name) }
            if at == "initial" {
                if let name { throw InputError("--train \(name) applies only with --at after:N") }
                return
            }
            guard at.hasPrefix("after:"), let n = NumberSyntax.int(at.dropFirst(6)), (0...100_000_000).contains(n) else {
                throw InputError("--at: expected initial or after:N (N training updates, 0...100000000), got '\(at)'")
            }
            let trainer = name ?? VarianceCommand.trainSetting.defaultValue!.string!
            let d = try EstimatorList.named(trainer, flag: "train")
            var c = configuration
            c.iterations = n
            let variant = SweepVariant(estimator: EstimatorSpec(d.name, settings: SettingValues().completed(with: d.settings)),
                                       configuration: c, policy: options.policy)
            policy = try VarianceStudy.trainedPolicy(environment: environment, policy: policy, variant: variant, iterations: n)
            trainName = d.name
            atLabel = "after\(n)-\(d.name)"
            at = "after:\(n)"
        }

        /// "the initial policy" or "after N updates of NAME".
        var atDescription: String {
            if let c = checkpoint { return checkpointDescription(c) }
            return trainName.map { "the policy after \(at.dropFirst(6)) updates of \($0)" } ?? "the initial policy"
        }
    }
}
