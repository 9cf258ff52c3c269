import Foundation
import PolicyGradient

/// A `pg compare` JSONL file (a whole sweep, one shard, or a merge), read back for merging and
/// plotting.
struct CompareFile {
    /// Where it was read from.
    var path: String
    /// The `{"type":"config"}` line.
    var config: JSONValue
    /// One aggregate per variant.
    var aggregates: [SweepAggregate]
    /// The summary line's `status`: `completed`, or `interrupted` when a signal stopped the
    /// sweep (or a merged shard was interrupted); `completed` for files without a summary line.
    var status = "completed"
    /// When each variant ran, by label (see ``Timing``); empty for files of an older pg.
    var timings: [String: Timing] = [:]

    /// The shard the file holds (shard 0 of 1 for a whole or merged sweep).
    var shard: SweepShard {
        guard let i = config["shard_index"]?.exactInt, let n = config["shard_count"]?.exactInt,
              let s = try? SweepShard(index: i, count: n) else { return .whole }
        return s
    }

    /// Seeds in the whole sweep.
    var totalSeeds: Int { config["seeds"]?.exactInt ?? 0 }

    /// The figure title `pg compare` wrote (the config line's `title`; for files without one,
    /// the same words from the config: "ENV: S seeds x I iterations").
    var title: String {
        if let t = config["title"]?.stringValue { return t }
        return Self.title(env: config["env"]?.stringValue ?? "", seeds: totalSeeds,
                          iterations: config["iterations"]?.exactInt ?? 0)
    }

    /// "ENV: S seeds x I iterations".
    static func title(env: String, seeds: Int, iterations: Int) -> String {
        "\(env): \(seeds) seeds x \(iterations) iterations"
    }

    /// Whether `lines` come from `pg compare` (a config line with `"command":"compare"`).
    static func isCompare(_ lines: [JSONValue]) -> Bool {
        lines.first { $0["type"]?.stringValue == "config" }?["command"]?.stringValue == "compare"
    }

    /// Reads a compare file.
    /// - Throws: ``InputError`` naming the file if it is not a compare file or is malformed.
    static func read(path: String, lines given: [JSONLReader.Line]? = nil) throws -> CompareFile {
        let numbered = try given ?? LogFile.readLines(path: path, accepting: [.compareFile],
                                                       wanted: "a pg compare file, which pg compare --merge merges")
        let lines = numbered.map(\.value)
        guard isCompare(lines), let config = lines.first(where: { $0["type"]?.stringValue == "config" }) else {
            throw InputError("\(path) is not a pg compare file (no {\"type\":\"config\",\"command\":\"compare\"} line)")
        }
        guard let iterations = config["iterations"]?.exactInt, (0...100_000_000).contains(iterations) else {
            throw InputError("\(path): the config line's \"iterations\" must be an integer in 0...100000000")
        }
        guard let seeds = config["seeds"]?.exactInt, (1...10_000_000).contains(seeds), seeds > 0 else {
            throw InputError("\(path): the config line's \"seeds\" must be an integer in 1...10000000")
        }
        let summary = lines.last { $0["type"]?.stringValue == "summary" }
        let aggregates = try SweepAggregate.read(lines, lineNumbers: numbered.map(\.number), iterations: iterations, file: path)
        try check(config: config, aggregates: aggregates, lines: numbered, seeds: seeds, iterations: iterations, path: path)
        return CompareFile(path: path, config: config, aggregates: aggregates,
                           status: summary?["status"]?.stringValue == "interrupted" ? "interrupted" : "completed",
                           timings: try readTimings(numbered, path: path))
    }

    /// The fields that identify a sweep: files that agree on them are shards of one sweep
    /// (``groups(_:)``); shards must then agree on every other setting too (``mismatch(_:_:)``).
    static let gridFields = ["sweep_id", "env", "iterations", "seeds", "seed", "estimators", "threshold", "shard_count"]

    /// Refuses two files that claim the same shard, and a merged file among several.
    /// - Throws: ``InputError`` naming both files.
    static func checkDistinct(_ files: [CompareFile]) throws {
        guard files.count > 1 else { return }
        if let m = files.first(where: { $0.config["merged_from"] != nil }) {
            throw InputError("cannot merge \(m.path) with other files: it is already a merge (\"merged_from\"); merge the shards themselves")
        }
        var seen: [Int: String] = [:]
        for f in files where f.shard.count > 1 {
            if let other = seen[f.shard.index] {
                throw InputError("cannot merge \(f.path) with \(other): both hold shard \(f.shard) (a shard given twice, "
                                 + "or a copy?)")
            }
            seen[f.shard.index] = f.path
        }
    }

    /// Merges shards of one sweep (in shard order, so the result does not depend on the order
    /// of the files on the command line).
    /// - Returns: the merged file (config of the first shard, marked as merged) and the number
    ///   of seeds that are missing (shards not given).
    /// - Throws: ``InputError`` when the files are of different sweeps or a shard is given twice.
    static func merge(_ files: [CompareFile]) throws -> (file: CompareFile, missingSeeds: Int) {
        guard let first = files.first else { throw InputError("pg compare --merge: give the shard files to merge") }
        for f in files.dropFirst() {
            if let d = mismatch(f.config, first.config) {
                throw InputError("cannot merge \(f.path) with \(first.path): they differ in \"\(d.field)\" "
                                 + "(\(d.values.0) vs \(d.values.1))"
                                 + (d.field == "sweep_id" ? ": shards of two sweeps (Slurm arrays) are never mixed" : ""))
            }
        }
        try checkDistinct(files)
        let sorted = files.sorted { $0.shard.index < $1.shard.index }
        var merged = sorted[0].aggregates
        for (k, f) in sorted.enumerated().dropFirst() {
            guard f.aggregates.map(\.label) == merged.map(\.label) else {
                throw InputError("cannot merge \(f.path): its estimators differ from \(sorted[0].path)'s")
            }
            for i in merged.indices {
                let mine = Set(f.aggregates[i].seedIndices)
                if let other = sorted[..<k].first(where: { !mine.isDisjoint(with: $0.aggregates[i].seedIndices) }) {
                    let twice = other.aggregates[i].seedIndices.first(where: mine.contains)!
                    throw InputError("cannot merge \(f.path) with \(other.path): both hold seed index \(twice) of '\(merged[i].label)' "
                                     + "(a shard given twice, or a copy?)")
                }
                try merged[i].merge(f.aggregates[i])
            }
        }
        var config = first.config
        if case let .object(pairs) = config {
            config = .object(pairs.filter { $0.0 != "merged_from" && $0.0 != "missing_shards" }.map { key, value in
                (key, key == "shard_index" ? .null : value)
            } + [("merged_from", .array(sorted.map { .string($0.path) })),
                 ("missing_shards", .array(missingShards(sorted).map { .int($0) }))])
        }
        var timings: [String: Timing] = [:]
        for i in merged.indices {
            let (timing, seconds) = mergedTiming(merged[i].label, index: i, files: sorted)
            merged[i].seconds = seconds
            timings[merged[i].label] = timing
        }
        let held = merged.map(\.seeds.count).max() ?? 0
        let status = files.contains { $0.status == "interrupted" } ? "interrupted" : "completed"
        return (CompareFile(path: "", config: config, aggregates: merged, status: status, timings: timings),
                max(0, first.totalSeeds - held))
    }
}
