import Foundation
import PolicyGradient

extension CompareCommand {
    /// `--merge FILE...`: combines shard files into the table, file and plot of the whole sweep.
    ///
    /// A merge can be run again: its `--out` (and its plot) may replace the file of an earlier
    /// merge of the same sweep (``earlierMerge(at:of:)``) that holds no shard this merge lacks,
    /// so the merge job of a Slurm sweep ends with the complete result after a merge by hand,
    /// an early merge or a rerun task; any other existing file is still refused without
    /// `--force`.
    static func merge(_ a: Arguments, _ output: Output) throws -> Int32 {
        guard !a.positionals.isEmpty else { throw InputError("pg compare --merge: give the shard files to merge") }
        if let run = flags.map(\.name).first(where: { a.has($0) && !mergeFlags.contains($0) }) {
            throw InputError("--\(run) does not apply to pg compare --merge, which merges the files given "
                             + "(it takes " + mergeFlags.filter { $0 != "merge" && $0 != "help" }.map { "--" + $0 }.joined(separator: ", ") + ")")
        }
        try checkPatterns(a.positionals, environment: output.environment)
        // Outputs first, before any shard is read; an existing merge or merge plot at --out or
        // --plot is judged once the shards are (it may be this sweep's, to be replaced).
        let earlier = [a.string("out"), a.string("plot") ?? a.string("out").map(defaultPlot)].compactMap { $0 }.filter(mayBeEarlierMerge)
        try checkOutputs(a, replacing: Set(earlier))
        let (merged, missing) = try CompareFile.merge(a.positionals.map { try CompareFile.read(path: $0) })
        let env = merged.config["env"]?.stringValue ?? "env"
        let path = a.string("out") ?? TrainCommand.defaultLogPath(env: env, label: "s\(merged.totalSeeds)-merged",
                                                                  seed: merged.config["seed"]?.exactUInt64 ?? 1,
                                                                  kind: "compare-")
        var replacing: Set<String> = []
        if a.has("out"), !a.has("force"), try earlierMerge(at: path, of: merged) {
            replacing.insert(path)
            let plot = a.string("plot") ?? defaultPlot(out: path)
            if isPlotOfMerge(at: plot, key: CompareFile.sweepKey(merged.config)) { replacing.insert(plot) }
        }
        var queue: [Int: String]?
        if let sweep = merged.config["sweep_id"]?.stringValue, case let .array(missing)? = merged.config["missing_shards"],
           !missing.isEmpty {
            queue = SlurmQueue.tasks(sweep: sweep, script: arrayScript(beside: a.positionals), environment: output.environment)
        }
        try finish(merged, path: path, plotByDefault: true, missingSeeds: missing, a, output, replacing: replacing, queue: queue)
        return 0
    }

    /// The flags `--merge` takes; a run's flags (`--shard`, `--seeds`, …) are refused with it.
    static let mergeFlags = ["merge", "out", "plot", "no-plot", "force", "quiet", "help"]

    /// Refuses a file name that is a shell pattern matching nothing (`DIR/shard-*.jsonl` before
    /// any shard exists: the shell passes the pattern on as it is), saying so, and in a merge
    /// job (`PG_SWEEP_ID` set) what Slurm's queue holds of the sweep.
    static func checkPatterns(_ paths: [String], environment: [String: String]) throws {
        for p in paths where p.contains(where: { "*?[".contains($0) }) {
            var st = stat()
            guard lstat(p, &st) != 0 else { continue }
            var message = "no file matches \(p) (the shell passes a pattern that matches nothing as it is): "
                + "none of these files exists yet"
            if let sweep = environment["PG_SWEEP_ID"], !sweep.isEmpty {
                let script = arrayScript(beside: [p])
                if let tasks = SlurmQueue.tasks(sweep: sweep, script: script, environment: environment) {
                    message += tasks.isEmpty ? "; squeue holds no task of sweep \(sweep)"
                        : "; squeue: sweep \(sweep)'s tasks \(SlurmQueue.describe(tasks)): merge again when they have finished"
                } else {
                    message += "; squeue is not available here to tell whether sweep \(sweep)'s tasks still run"
                }
            }
            throw InputError(message)
        }
    }

    /// `DIR/array.sh` when the first shard's directory holds the array script of a `pg sweep`
    /// (its sweep directory), else nil.
    static func arrayScript(beside paths: [String]) -> String? {
        guard let first = paths.first else { return nil }
        let dir = (first as NSString).deletingLastPathComponent
        let script = SlurmSweep.absolute((dir.isEmpty ? "." : dir) + "/array.sh", in: FileManager.default.currentDirectoryPath)
        return FileManager.default.fileExists(atPath: script) ? script : nil
    }

    /// Whether `path` holds an earlier merge of the sweep that `merged` merges (its config line
    /// agrees with `merged`'s on every field but the shard fields, see
    /// ``CompareFile/mismatch(_:_:)``) holding no shard that `merged` lacks: the file a merge
    /// may replace without `--force`. False for an absent file or any other file.
    /// - Throws: ``InputError`` for an earlier merge of the sweep that holds shards this merge
    ///   lacks (replacing it would lose them).
    static func earlierMerge(at path: String, of merged: CompareFile) throws -> Bool {
        guard isRegularFile(path), let config = firstLine(of: path),
              config["type"]?.stringValue == "config", config["command"]?.stringValue == "compare",
              case .array? = config["merged_from"], CompareFile.mismatch(config, merged.config) == nil else { return false }
        let count = merged.config["shard_count"]?.exactInt ?? 1
        let held = { (c: JSONValue) -> Set<Int> in
            guard case let .array(missing)? = c["missing_shards"] else { return [] }
            return Set(0..<count).subtracting(missing.compactMap(\.exactInt))
        }
        let lost = held(config).subtracting(held(merged.config))
        guard lost.isEmpty else {
            throw InputError("\(path) is an earlier merge of this sweep holding shards this merge lacks ("
                             + lost.sorted().map(String.init).joined(separator: ",") + "); pass --force to replace it, "
                             + "or --out to choose another file")
        }
        return true
    }

    /// Whether `path` is a regular file (not following a final symbolic link).
    static func isRegularFile(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    /// Whether `path` holds a merged compare file or a merge's plot: one a merge of the same
    /// sweep may replace (decided by ``earlierMerge(at:of:)`` and ``isPlotOfMerge(at:key:)``).
    static func mayBeEarlierMerge(_ path: String) -> Bool {
        guard isRegularFile(path) else { return false }
        if let c = firstLine(of: path), c["type"]?.stringValue == "config", c["merged_from"] != nil { return true }
        guard let handle = FileHandle(forReadingAtPath: path), let end = try? handle.seekToEnd() else { return false }
        defer { try? handle.close() }
        try? handle.seek(toOffset: end - min(end, 200))
        let tail = (try? handle.readToEnd()).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return tail.contains("<!-- pg compare merge of sweep ")
    }

    /// The first line of the file at `path` (at most 1 MiB of it), parsed; nil when it cannot be.
    static func firstLine(of path: String) -> JSONValue? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 1 << 20) else { return nil }
        let bytes = [UInt8](data)
        let end = bytes.firstIndex(of: 0x0A) ?? bytes.count
        var parser = JSONParser(bytes: Array(bytes[..<end]), recordingPositions: false)
        return try? parser.parse()
    }

    /// The comment a merge's SVG ends with, naming the sweep (``CompareFile/sweepKey(_:)``), so
    /// that a later merge of the same sweep knows the plot is its own to replace.
    /// (The key appears hashed: an XML comment may not hold `--`, which a sweep id may.)
    static func plotMark(_ key: String) -> String {
        "<!-- pg compare merge of sweep " + SHA256.hexDigest(of: Array(key.utf8)).prefix(16) + " -->\n"
    }

    /// Whether `path` is a regular file ending with ``plotMark(_:)`` of `key`.
    static func isPlotOfMerge(at path: String, key: String) -> Bool {
        guard isRegularFile(path), let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let mark = Array(plotMark(key).utf8)
        guard let end = try? handle.seekToEnd(), end >= UInt64(mark.count) else { return false }
        try? handle.seek(toOffset: end - UInt64(mark.count))
        return (try? handle.read(upToCount: mark.count)).map { [UInt8]($0) == mark } ?? false
    }
}

extension CompareFile {
    /// The identity of a sweep, the same for its shards and merges: `sweep_id` for a Slurm
    /// sweep, else a hash of the config line without the shard fields (``shardFields``).
    static func sweepKey(_ config: JSONValue) -> String {
        if let id = config["sweep_id"]?.stringValue { return id }
        guard case let .object(pairs) = config else { return "" }
        let text = JSONValue.object(pairs.filter { !shardFields.contains($0.0) }).text
        return String(SHA256.hexDigest(of: Array(text.utf8)).prefix(16))
    }
}
