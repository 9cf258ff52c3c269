import Foundation
import PolicyGradient

/// `pg rerun LOG`: runs a `train`, `compare` or `variance` log's run again from its config line
/// and compares the new log with the original line by line, timing fields aside.
///
/// The run is rebuilt as a command line (``HeaderArguments``): the header's fields are the
/// flags' names, so the rerun goes through exactly the parsing, checks and defaults of the
/// original command, and any field the header failed to carry shows up as a difference in the
/// config line instead of being filled in silently.
enum RerunCommand {
    /// `threads`: replaces the log's thread count (results do not depend on it).
    static let threadsSetting = Setting(key: "threads", integer: nil, defaultText: "the log's",
                                        help: "worker threads for the rerun, 0 = all cores (results do not depend on it)") {
        (0...1024).contains($0) ? nil : "must be in 0...1024 (0 = all cores)"
    }

    static let flags = [
        Flag(threadsSetting),
        Flag("out", "FILE", "the new log (default LOG with .rerun.jsonl, then .rerun-2.jsonl, ...; never overwriting)"),
        Flag("force", nil, "overwrite --out if it exists (never LOG itself)"),
        Flag("quiet", nil, "no progress bar"),
        Flag("help", nil, "show this help"),
    ]

    /// Fields of the config line that a rerun may change without changing anything else.
    static let mayDiffer: Set = ["threads"]

    static func run(_ args: [String], _ output: Output) throws -> Int32 {
        let a = try Arguments(args, flags: flags, command: "rerun")
        if a.has("help") {
            output.out(PGCommand.help("pg rerun — run a logged train, compare or variance run again and compare the logs",
                                      usage: "pg rerun LOG [--threads N] [--out FILE] [--force]\n\n"
                                        + "Exit status: 0 when every line is equal (timing fields aside: " + timingList
                                        + ";\nthreads may differ), 1 when a line differs, 2 for bad input, 130 when a signal stopped it (no\n"
                                        + "verdict). A changed pg version, environment file or checkpoint is reported before running, and\n"
                                        + "the fields a newer pg adds to an older pg's log are named apart from the fields that differ.",
                                      sections: [("OPTIONS", flags)]))
            return 0
        }
        guard a.positionals.count == 1, let log = a.positionals.first else {
            throw InputError("pg rerun: give one log (a JSONL file written by pg train, compare or variance)")
        }
        let threads = try a.values(of: [threadsSetting])[threadsSetting]?.integer
        let original = try LogFile.readLines(path: log, accepting: [.trainingLog, .compareFile, .varianceLog],
                                             wanted: "a train, compare or variance log, which pg rerun runs again")
        let header = try readHeader(original, log: log)
        let notes = try changes(header, config: original[0].value, last: original.last?.value, log: log)
        let out = try newLogPath(a, log: log)
        var (arguments, variables): ([String], [String: String])
        do { (arguments, variables) = try HeaderArguments.arguments(for: header, threads: threads) } catch var e as InputError {
            if e.file == nil, e.field == nil { (e.file, e.line) = (log, original[0].number) }
            throw e
        }
        arguments += ["--out=" + out] + (a.has("force") ? ["--force"] : []) + (a.has("quiet") ? ["--quiet"] : [])
        // What is found before the run is printed once the run writes anything (its progress bar,
        // its summary), so that a config line that does not run gets one error line and nothing else.
        let pending = PendingLines(["pg rerun: \(log) (\(header.command), pg \(header.version)) -> \(out)"]
                                   + notes.map { "  changed: \($0.message)" }, output: output)
        let inner = Output(out: { pending.flush(); output.out($0) }, err: { pending.flush(); output.err($0) },
                           errIsTerminal: output.errIsTerminal,
                           environment: variables.merging(output.environment) { mine, _ in mine })
        let status = try runCommand(header.command, arguments, inner, log: log, notes: notes)
        pending.flush()
        if status == 130 { return status }
        // A signal after the rerun's last poll, or during the comparison (which polls too), stops
        // it with the interrupted status: a verdict is given only on logs compared to the end.
        do {
            try Cancelled.check("running the log again")
            return try compare(original, out: out, log: log, notes: notes, output)
        } catch let stop as Cancelled {
            output.line("pg rerun: \(stop) (no verdict; the rerun's log \(out) is complete)")
            return 130
        }
    }

    /// Lines printed before the first output of the command they introduce, or not at all.
    final class PendingLines {
        private var lines: [String]
        private let output: Output
        init(_ lines: [String], output: Output) {
            self.lines = lines
            self.output = output
        }
        func flush() {
            let all = lines
            lines = []
            for l in all { output.line(l) }
        }
    }

    /// "elapsed, seconds, seconds_per_estimate, variance_times_seconds".
    static var timingList: String { LogComparison.timingFields.sorted().joined(separator: ", ") }

    /// The config line of `lines`, read with the settings of its environment and command.
    static func readHeader(_ lines: [JSONLReader.Line], log: String) throws -> RunHeader {
        guard let first = lines.first, first.value["type"]?.stringValue == "config" else {
            throw InputError("\(log) does not start with a {\"type\":\"config\"} line (not a pg log?)")
        }
        if first.value["merged_from"] != nil {
            throw InputError("\(log) is a merge of shards (\"merged_from\"): rerun each shard, then merge them")
        }
        do {
            return try HeaderArguments.header(first.value, file: log)
        } catch var e as InputError {
            if e.file == nil { e.file = log }
            e.line = e.line ?? first.number
            throw e
        }
    }

    /// The log's path for the rerun: `--out` (never the original), else the first free name of
    /// `LOG.rerun.jsonl`, `LOG.rerun-2.jsonl`, …
    static func newLogPath(_ a: Arguments, log: String) throws -> String {
        if let out = a.string("out") {
            if out.isEmpty { throw InputError("--out: the log path is empty") }
            try OutputFlag.checkFile(a, "out", replacing: a.has("force"), protecting: [log])
            return out
        }
        let stem = log.hasSuffix(".jsonl") ? String(log.dropLast(6)) : log
        for n in 1...10_000 {
            let path = stem + ".rerun" + (n == 1 ? "" : "-\(n)") + ".jsonl"
            var st = stat()
            if lstat(path, &st) != 0 { return path }
        }
        throw InputError("cannot find a free name \(stem).rerun-N.jsonl; give --out")
    }

    /// Runs the command; an error in it is an error of the log's config line.
    static func runCommand(_ command: String, _ arguments: [String], _ output: Output, log: String,
                           notes: [Change]) throws -> Int32 {
        do {
            switch command {
            case "train": return try TrainCommand.run(arguments, output: output)
            case "compare": return try CompareCommand.run(arguments, output)
            default: return try VarianceCommand.run(arguments, output)
            }
        } catch let e as InputError {
            let changed = notes.isEmpty ? "" : " (changed since the run: " + notes.map(\.message).joined(separator: "; ") + ")"
            throw InputError("\(log): its config line does not run again\(changed): \(FlagNames.render(e))")
        }
    }
}
