import Foundation
import PolicyGradient

extension TrainCommand {
    /// `init`: the checkpoint a run starts from.
    static let initSetting = Setting(key: "init", kind: .text(choices: nil), defaultValue: nil, placeholder: "CHECKPOINT",
                                     help: "start from a checkpoint's policy (with its run's --env, --seed and policy unless given)")
    /// `checkpoint_every`: updates between periodic checkpoints (default 0: only the final one).
    static let checkpointEverySetting = Setting(key: "checkpoint_every", integer: 0,
                                                help: "also save a checkpoint every N updates, LOG.checkpoint-N.json "
                                                    + "(0: only the final LOG.checkpoint.json)") {
        (0...1_000_000_000_000).contains($0) ? nil : "must be in 0...1000000000000"
    }
    /// The command's own header fields.
    static let commandSettings = [initSetting, checkpointEverySetting]
    /// Their flags.
    static var checkpointFlags: [Flag] { commandSettings.map(Flag.init) }

    /// The arguments, with what `--init CHECKPOINT` supplies filled in (see
    /// ``CheckpointFile/defaults(given:)``); the checkpoint is read before anything is created.
    static func arguments(_ args: [String]) throws -> (Arguments, CheckpointFile?) {
        let a = try Arguments(args, flags: flags, command: "train")
        guard let path = a.string("init"), !a.has("help") else { return (a, nil) }
        let start: CheckpointFile
        do { start = try CheckpointFile(path: path) } catch var e as InputError {
            if e.file == nil { e.message = "--init: " + e.message }
            throw e
        }
        return (try Arguments(args + start.defaults(given: a), flags: flags, command: "train"), start)
    }

    /// The policy a run starts from: the checkpoint's (`--init`), else a fresh one.
    static func initialPolicy(_ start: CheckpointFile?, options: RunOptions, environment: any Environment,
                              seed: UInt64) throws -> any Policy {
        guard let start else { return options.policy.make(for: environment, seed: seed) }
        return try start.policy(for: environment, spec: options.policy, flag: "init")
    }

    /// `runs/X.jsonl` → `runs/X.checkpoint.json`; after N updates `runs/X.checkpoint-N.json`
    /// (a log not ending in `.jsonl` gets the suffix appended).
    static func checkpointPath(log: String, iteration: Int? = nil) -> String {
        let stem = log.hasSuffix(".jsonl") ? String(log.dropLast(6)) : log
        return stem + ".checkpoint" + (iteration.map { "-\($0)" } ?? "") + ".json"
    }

    /// Saves a run's checkpoints next to its log.
    struct Checkpointing {
        let log: String
        let every: Int
        let replacing: Bool
        /// Files never replaced (the `--init` checkpoint).
        let inputs: [String]
        let policy: PolicySpec
        let environment: any Environment
        let run: JSONValue

        /// Checks, before the first line of the log is written, that the checkpoints can be
        /// created (never over an existing file unless `--force`); otherwise the log, still
        /// empty, is removed and the error thrown.
        init(log writer: JSONLWriter, every: Int, replacing: Bool, inputs: [String], policy: PolicySpec,
             environment: any Environment, run: JSONValue) throws {
            (log, self.every, self.replacing, self.inputs) = (writer.path, every, replacing, inputs)
            (self.policy, self.environment, self.run) = (policy, environment, run)
            do {
                try OutputFile.check(TrainCommand.checkpointPath(log: log), replacing: replacing, protecting: inputs)
                if every > 0, !replacing, let taken = periodicFileTaken() {
                    throw InputError("\(taken) exists (a checkpoint of another run?); use --out to choose another log, or --force")
                }
            } catch {
                try? writer.close()
                throw error
            }
        }

        /// An existing file named like one of this log's periodic checkpoints, if any.
        func periodicFileTaken() -> String? {
            let directory = (log as NSString).deletingLastPathComponent
            let name = (TrainCommand.checkpointPath(log: log, iteration: 0) as NSString).lastPathComponent
            let prefix = String(name.dropLast("0.json".count)) // X.checkpoint-
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
            let periodic = names.sorted().first { name in
                name.hasPrefix(prefix) && name.hasSuffix(".json") && name.count > prefix.count + 5
                    && name.dropFirst(prefix.count).dropLast(5).allSatisfy(\.isNumber)
            }
            return periodic.map { (directory as NSString).appendingPathComponent($0) }
        }

        /// Saves the periodic checkpoint if `session` has just made a multiple of `every`
        /// updates (and is not done: the final checkpoint follows).
        func periodic(_ session: any TrainingSession) throws {
            let k = session.iteration
            guard every > 0, k % every == 0, k < session.configuration.iterations else { return }
            _ = try save(session, status: "running", path: TrainCommand.checkpointPath(log: log, iteration: k))
        }

        /// Saves the final checkpoint; nil (and nothing written) when a parameter is not finite.
        func final(_ session: any TrainingSession, status: String) throws -> String? {
            try save(session, status: status, path: TrainCommand.checkpointPath(log: log))
        }

        func save(_ session: any TrainingSession, status: String, path: String) throws -> String? {
            let parameters = session.policy.parameters
            guard parameters.allSatisfy(\.isFinite) else { return nil }
            try Checkpoint(policy: policy, parameters: parameters, environment: environment, iteration: session.iteration,
                           status: status, run: run).write(to: path, replacing: replacing, protecting: inputs)
            return path
        }
    }
}
