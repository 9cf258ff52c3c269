import Foundation
import PolicyGradient

extension VarianceCommand {
    /// The arguments, with what `--at CHECKPOINT` supplies filled in (the environment, seed and
    /// policy of the checkpoint's run unless given, see ``CheckpointFile/defaults(given:)``).
    /// Any `--at` value other than `initial` and `after:N` names a checkpoint file.
    static func arguments(_ args: [String]) throws -> (Arguments, CheckpointFile?) {
        let a = try Arguments(args, flags: flags, command: "variance")
        guard let at = a.string("at"), at != "initial", !at.hasPrefix("after:"), !a.has("help") else { return (a, nil) }
        guard FileManager.default.fileExists(atPath: at) else {
            throw InputError("--at: expected initial, after:N (N training updates, 0...100000000) or a checkpoint file, got '\(at)'")
        }
        let c: CheckpointFile
        do { c = try CheckpointFile(path: at) } catch var e as InputError {
            if e.file == nil { e.message = "--at: " + e.message }
            throw e
        }
        return (try Arguments(args + c.defaults(given: a), flags: flags, command: "variance"), c)
    }
}

extension VarianceCommand.Setup {
    /// Measures at the checkpoint's policy (`--at CHECKPOINT`).
    mutating func place(_ c: CheckpointFile, trainName name: String?) throws {
        if let name { throw InputError("--train \(name) applies only with --at after:N") }
        policy = try c.policy(for: environment, spec: options.policy, flag: "at")
        let stem = ((c.path as NSString).lastPathComponent as NSString).deletingPathExtension
        atLabel = "at-" + String(stem.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
    }

    /// "the policy of PATH (N updates of NAME)".
    func checkpointDescription(_ c: CheckpointFile) -> String {
        let trained = c.header.estimators.first.map { " of \($0.label)" } ?? ""
        return "the policy of \(c.path) (\(c.checkpoint.iteration) updates\(trained))"
    }
}
