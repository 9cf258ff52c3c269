import Foundation
import PolicyGradient

/// What Slurm's queue says about the tasks of a sweep, so that a merge that finds shards
/// missing can tell tasks still queued or running (merge again later) from tasks that ended
/// without a shard (rerun them). Asked with `squeue`, found on the `PATH` of the command's
/// environment; when it cannot be asked (no `squeue`, it fails or takes more than
/// ``timeout`` seconds) the answer is nil and the merge says so instead.
enum SlurmQueue {
    /// The longest wait for `squeue`, in seconds.
    static let timeout = 15.0

    /// The tasks of sweep `sweep` in the queue, by shard index, with their state (`RUNNING`,
    /// `PENDING`, …): the tasks of the array job `sweep` (the sweep's own array), and those
    /// of any array job running `script` (a rerun: `sbatch --array=K --export=ALL,PG_SWEEP_ID=J
    /// DIR/J/array.sh`). Nil when squeue cannot be asked.
    static func tasks(sweep: String, script: String?, environment: [String: String]) -> [Int: String]? {
        guard let squeue = try? SlurmSweep.find("squeue", path: environment["PATH"] ?? ""),
              let text = run(squeue, ["--noheader", "--array", "--format=%F|%K|%T|%o"], environment: environment) else { return nil }
        return parse(text, sweep: sweep, script: script)
    }

    /// The tasks of `sweep` in squeue's output `text` (lines `ARRAYJOB|TASK|STATE|COMMAND`).
    static func parse(_ text: String, sweep: String, script: String?) -> [Int: String] {
        var out: [Int: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let f = line.split(separator: "|", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            guard f.count == 4, f[0] == sweep || (script != nil && f[3] == script), let task = NumberSyntax.int(f[1]) else { continue }
            out[task] = f[2]
        }
        return out
    }

    /// Runs `executable arguments` and returns its standard output, or nil when it cannot be
    /// run, fails or outlives ``timeout`` (then it is terminated). Standard output goes to a
    /// temporary file (never a pipe that could fill up).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]) -> String? {
        let fm = FileManager.default
        let dir = NSTemporaryDirectory() + "pg-squeue-" + UUID().uuidString
        guard (try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true)) != nil else { return nil }
        defer { try? fm.removeItem(atPath: dir) }
        guard fm.createFile(atPath: dir + "/out", contents: nil), let out = FileHandle(forWritingAtPath: dir + "/out") else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? out.close()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else { return nil }
        return try? String(contentsOfFile: dir + "/out", encoding: .utf8)
    }

    /// `2 RUNNING, 3 PENDING`.
    static func describe(_ tasks: [Int: String]) -> String {
        tasks.keys.sorted().map { "\($0) \(tasks[$0]!)" }.joined(separator: ", ")
    }
}
