import PolicyGradient

/// A checkpoint named on the command line (`pg train --init`, `pg variance --at`, `pg eval`,
/// `pg plot --policy`), with the run header it came from and its content hash.
struct CheckpointFile {
    /// The path as given.
    var path: String
    /// The checkpoint.
    var checkpoint: Checkpoint
    /// The header of the run that saved it.
    var header: RunHeader
    /// SHA-256 of the file's bytes.
    var sha256: String

    /// Reads and checks the file, and its run's header: a `pg train` run (the one command that
    /// saves checkpoints) whose environment, estimator and settings pg knows and accepts, as
    /// `pg rerun` reads a log's config line. Every reader of a checkpoint (`pg eval`, `--init`,
    /// `variance --at`, `plot --policy`) reads it here.
    /// - Throws: ``InputError`` with the file, line and column of the first problem.
    init(path: String) throws {
        if path.isEmpty { throw InputError("the checkpoint path is empty") }
        self.path = path
        let bytes = try InputFile.read(path: path, limit: Checkpoint.maximumFileSize, what: "the checkpoint")
        do { checkpoint = try Checkpoint.parse(bytes, file: path) } catch let e as InputError {
            guard let kind = FileKind.of(bytes), kind != .checkpoint else { throw e }
            let own = TrainCommand.checkpointPath(log: path)
            let hint = kind == .trainingLog && FileKind.of(path: own, limit: Checkpoint.maximumFileSize) == .checkpoint
                ? "; its run's checkpoint is \(own)" : ""
            throw kind.error(path: path, wanted: "a checkpoint", hint: hint)
        }
        sha256 = SHA256.hexDigest(of: bytes)
        do {
            let command = checkpoint.run["command"]?.stringValue
            if command != "train" {
                throw InputError("a checkpoint is saved by pg train, but its run is " + (command.map { "pg \($0)'s" } ?? "no command's"),
                                 file: path)
            }
            header = try HeaderArguments.header(checkpoint.run, file: path)
        } catch var e as InputError {
            e.message = "\"run\": " + e.message
            if e.file == nil { e.file = path }
            throw e
        }
    }

    /// The flags that the checkpoint supplies when the command line does not: the
    /// environment of its run (`--env`, the settings not given, `--envs-dir`) unless `--env`
    /// is given, the run's `--seed` (bandit10 draws its arms from it), and the policy flags.
    func defaults(given a: Arguments) -> [String] {
        var out: [String] = []
        if !a.has("env") {
            out += HeaderArguments.environment(header.environment).filter { flag in
                let name = flag.dropFirst(2).prefix { $0 != "=" }
                return !a.has(String(name))
            }
        }
        if !a.has("seed") { out.append("--seed=\(header.training.seed)") }
        out += HeaderArguments.policy(checkpoint.policy).filter { flag in
            !a.has(String(flag.dropFirst(2).prefix { $0 != "=" }))
        }
        return out
    }

    /// "tabular", "mlp 32,32 tanh".
    static func describe(_ p: PolicySpec) -> String {
        p.kind == .mlp ? "mlp \(p.hidden.map(String.init).joined(separator: ",")) \(p.activation.rawValue)" : p.kind.rawValue
    }

    /// The checkpoint's policy for `environment`, refusing policy flags that ask for another
    /// kind or shape and an environment the policy does not fit.
    /// - Parameters:
    ///   - environment: where the policy will act.
    ///   - spec: the policy the command line asks for.
    ///   - flag: the flag that named the checkpoint (`init`, `at`).
    /// - Throws: ``InputError`` (one line).
    func policy(for environment: any Environment, spec: PolicySpec, flag: String) throws -> any Policy {
        let mine = checkpoint.policy
        if spec.kind != mine.kind || (mine.kind == .mlp && (spec.hidden != mine.hidden || spec.activation != mine.activation)) {
            throw InputError("--\(flag) \(path) holds a \(Self.describe(mine)) policy, but the policy flags ask for "
                             + "\(Self.describe(spec)) (leave them out to use the checkpoint's)")
        }
        return try checkpoint.makePolicy(for: environment, file: path)
    }

    /// The facts a run header records about the checkpoint it started from.
    func facts(_ name: String) -> [(String, JSONValue)] {
        [(name + "_sha256", .string(sha256)), (name + "_iteration", .int(checkpoint.iteration))]
    }

    /// The environment of the checkpoint's run, made as that run made it, and its options.
    /// - Throws: ``InputError`` when it cannot be made (a missing file) or the policy does not fit it.
    func environment(command: String) throws -> (environment: any Environment, options: RunOptions) {
        let flags = RunOptions.environmentFlags + RunOptions.policyFlags + RunOptions.trainingFlags()
        let args = HeaderArguments.environment(header.environment) + ["--seed=\(header.training.seed)"]
        let options = try RunOptions(try Arguments(args, flags: flags, command: command))
        let env = try options.makeEnvironment(seed: header.training.seed)
        try checkpoint.checkFits(env, file: path)
        return (env, options)
    }
}
