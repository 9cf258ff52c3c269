import Foundation
import PolicyGradient

/// `pg train` (the default command): trains one policy and logs JSONL.
enum TrainCommand {
    static let outputFlags = [
        Flag("out", "FILE", "JSONL log path (default runs/ENV-LABEL-sSEED.jsonl, never overwriting)"),
        Flag("force", nil, "overwrite --out if it exists"),
        Flag("quiet", nil, "no progress bar"),
        Flag("help", nil, "show this help"),
    ]

    static var flags: [Flag] {
        RunOptions.environmentFlags + EstimatorList.trainFlags + EstimatorList.flags + RunOptions.trainingFlags()
            + RunOptions.policyFlags + checkpointFlags + outputFlags
    }

    static func run(_ args: [String], output: Output) throws -> Int32 {
        let (a, start) = try arguments(args)
        if a.has("help") {
            output.out(PGCommand.help("pg train — train a categorical policy with one gradient estimator",
                                      usage: "pg [train] --env NAME [--baseline nvil | --estimator NAME] [OPTIONS]",
                                      sections: [("ENVIRONMENT", RunOptions.environmentFlags),
                                                 ("ESTIMATOR", EstimatorList.trainFlags + EstimatorList.flags),
                                                 ("TRAINING", RunOptions.trainingFlags()),
                                                 ("POLICY", RunOptions.policyFlags),
                                                 ("CHECKPOINTS", checkpointFlags),
                                                 ("OUTPUT", outputFlags)]))
            return 0
        }
        try a.rejectPositionals(command: "train")
        if let out = a.string("out") {
            if out.isEmpty { throw InputError("--out: the log path is empty") }
            if RunOptions.isDirectory(out) { throw InputError("--out: \(out) is a directory; give a file path such as \(out)/run.jsonl") }
        }
        try OutputFlag.checkLog(a, "out", mode: logMode(a))
        let options = try RunOptions(a)
        let (descriptor, spec) = try EstimatorList.single(a)
        let env = try options.makeEnvironment(seed: options.seed)
        let configuration = try options.configuration(for: env)
        let own = try a.values(of: commandSettings)
        try options.checkMemory(a, environment: env, configuration: configuration, estimators: [spec])
        var header = RunHeader(command: "train", version: PGVersion.current, environment: options.environment,
                               policy: options.policy, training: configuration,
                               estimators: [LabelledEstimator(label: spec.name, estimator: spec)], commandSettings: own,
                               facts: options.facts(env) + (start?.facts("init") ?? []))
        try checkCheckpointSize(policy: options.policy, environment: env, header: header.json(commandSettings: commandSettings))
        let policy = try initialPolicy(start, options: options, environment: env, seed: configuration.seed)
        var session = try descriptor.makeSession(environment: env, policy: policy,
                                                 configuration: configuration, settings: spec.settings)
        header.facts += session.exactJSchedule.map { [("exact_j_schedule", .string($0.rawValue))] } ?? []
        try checkLogSize(header: header.json(commandSettings: commandSettings), session: session, configuration: configuration)
        Interruption.beginPolling()
        let writer = try OutputFlag.under(a.has("out") ? "out" : nil) {
            try JSONLWriter(path: a.string("out") ?? defaultLogPath(env: env.id, label: spec.name, seed: configuration.seed),
                            mode: logMode(a), protecting: start.map { [$0.path] } ?? [])
        }
        let path = writer.path
        let saving = try Checkpointing(log: writer, every: own.integer(checkpointEverySetting), replacing: a.has("force"),
                                       inputs: start.map { [$0.path] } ?? [], policy: options.policy, environment: env,
                                       run: header.json(commandSettings: commandSettings))
        try writer.write(header.json(commandSettings: commandSettings))
        let initialJ = session.exactJ()
        let progress = Progress(total: configuration.iterations, label: "train", unit: "updates", output: output,
                                enabled: !a.has("quiet"))
        var status = "completed", last: IterationRecord?
        var problem: String?
        let fields = session.logFields
        let started = DispatchTime.now().uptimeNanoseconds
        while session.iteration < configuration.iterations {
            if Interruption.requested { status = "interrupted"; break }
            var r = try session.step()
            r.elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            try writer.write(r.json(estimatorFields: fields))
            last = r
            if let q = divergence(r, policy: session.policy) {
                status = "diverged"
                problem = "iteration \(r.iteration): \(q) is not finite"
                break
            }
            try saving.periodic(session)
            progress.update(session.iteration)
        }
        progress.finish()
        let finalJ = session.exactJ()
        try writer.write(summaryLine(status: status, problem: problem, session: session, last: last, finalJ: finalJ))
        try writer.close()
        let saved = try saving.final(session, status: status)
        printSummary(output, spec: spec, policy: options.policy, configuration: configuration, env: env, session: session,
                     last: last, initialJ: initialJ, finalJ: finalJ, path: path, status: status, problem: problem)
        output.line("  checkpoint: " + (saved ?? "none (a parameter is not finite)"))
        return status == "completed" ? 0 : (status == "interrupted" ? 130 : 1)
    }

    /// The quantity that became NaN or infinite, if any.
    static func divergence(_ r: IterationRecord, policy: any Policy) -> String? {
        if !r.meanReturn.isFinite { return "the mean return" }
        if !r.gradientNorm.isFinite { return "the gradient norm" }
        if !policy.parameters.allSatisfy(\.isFinite) { return "a policy parameter" }
        return nil
    }

    /// `runs/ENV-LABEL-sSEED.jsonl`; the writer (``logMode(_:)``) appends `-2`, `-3`, … when taken.
    static func defaultLogPath(env: String, label: String, seed: UInt64, kind: String = "") -> String {
        let safe = env.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" }
        return "runs/\(kind)\(String(safe))-\(label)-s\(seed).jsonl"
    }

    /// How a log is created: the default path takes the next free `-N` name; `--out` is a new
    /// file, or with `--force` replaces a regular file or symbolic link (see ``JSONLWriter``).
    static func logMode(_ a: Arguments) -> JSONLWriter.Mode {
        a.string("out") == nil ? .createWithSuffix : (a.has("force") ? .replace : .create)
    }

    static func summaryLine(status: String, problem: String?, session: any TrainingSession, last: IterationRecord?,
                            finalJ: Double?) -> JSONValue {
        var f: [(String, JSONValue)] = [("type", .string("summary")), ("status", .string(status)),
                                        ("iterations", .int(session.iteration)),
                                        ("episodes", .int(last?.episodes ?? 0)),
                                        ("final_exact_j", .number(finalJ)), ("optimal_j", .number(session.optimalJ))]
        if let j = finalJ, let o = session.optimalJ, o > 0, j >= 0 { f.append(("fraction_of_optimum", .double(j / o))) }
        f += [("last_mean_return", .number(last?.meanReturn)), ("elapsed", .number(last?.elapsed))]
        if let problem { f.append(("problem", .string(problem))) }
        return .object(f)
    }
}

/// pg's version, written into every log.
public enum PGVersion {
    /// The version string.
    public static let current = "0.3.0"
}
