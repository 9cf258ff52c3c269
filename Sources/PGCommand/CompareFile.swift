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

    /// The shard the file holds (shard 0 of 1 for a whole or merged sweep).
    var shard: SweepShard {
        guard let i = config["shard_index"]?.exactIntValue, let n = config["shard_count"]?.exactIntValue,
              let s = try? SweepShard(index: i, count: n) else { return .whole }
        return s
    }

    /// Seeds in the whole sweep.
    var totalSeeds: Int { config["seeds"]?.exactIntValue ?? 0 }

    /// Whether `lines` come from `pg compare` (a config line with `"command":"compare"`).
    static func isCompare(_ lines: [JSONValue]) -> Bool {
        lines.first { $0["type"]?.stringValue == "config" }?["command"]?.stringValue == "compare"
    }

    /// Reads a compare file.
    /// - Throws: ``InputError`` naming the file if it is not a compare file or is malformed.
    static func read(path: String, lines given: [JSONValue]? = nil) throws -> CompareFile {
        let lines = try given ?? JSONLReader.read(path: path)
        guard isCompare(lines), let config = lines.first(where: { $0["type"]?.stringValue == "config" }) else {
            throw InputError("\(path) is not a pg compare file (no {\"type\":\"config\",\"command\":\"compare\"} line)")
        }
        guard let iterations = config["iterations"]?.exactIntValue, (0...100_000_000).contains(iterations) else {
            throw InputError("\(path): the config line's \"iterations\" must be an integer in 0...100000000")
        }
        guard let seeds = config["seeds"]?.exactIntValue, (1...10_000_000).contains(seeds), seeds > 0 else {
            throw InputError("\(path): the config line's \"seeds\" must be an integer in 1...10000000")
        }
        return CompareFile(path: path, config: config,
                           aggregates: try SweepAggregate.read(lines, iterations: iterations, file: path))
    }

    /// The fields that must agree between shards of one sweep.
    static let gridFields = ["env", "iterations", "seeds", "seed", "estimators", "threshold", "shard_count"]

    /// Merges shards of one sweep (in shard order, so the result does not depend on the order
    /// of the files on the command line).
    /// - Returns: the merged file (config of the first shard, marked as merged) and the number
    ///   of seeds that are missing (shards not given).
    /// - Throws: ``InputError`` when the files are of different sweeps or a shard is given twice.
    static func merge(_ files: [CompareFile]) throws -> (file: CompareFile, missingSeeds: Int) {
        guard let first = files.first else { throw InputError("pg compare --merge: give the shard files to merge") }
        for f in files.dropFirst() {
            for key in gridFields where f.config[key] != first.config[key] {
                throw InputError("cannot merge \(f.path) with \(first.path): they differ in \"\(key)\" "
                                 + "(\(f.config[key]?.text ?? "missing") vs \(first.config[key]?.text ?? "missing"))")
            }
        }
        let sorted = files.sorted { $0.shard.index < $1.shard.index }
        var merged = sorted[0].aggregates
        for f in sorted.dropFirst() {
            guard f.aggregates.map(\.label) == merged.map(\.label) else {
                throw InputError("cannot merge \(f.path): its estimators differ from \(sorted[0].path)'s")
            }
            for i in merged.indices { try merged[i].merge(f.aggregates[i]) }
        }
        var config = first.config
        if case let .object(pairs) = config {
            config = .object(pairs.map { key, value in
                switch key {
                case "shard_index": return (key, .null)
                case "merged_from": return (key, .array(sorted.map { .string($0.path) }))
                default: return (key, value)
                }
            } + (pairs.contains { $0.0 == "merged_from" } ? [] : [("merged_from", .array(sorted.map { .string($0.path) }))]))
        }
        let held = merged.map(\.seeds.count).max() ?? 0
        return (CompareFile(path: "", config: config, aggregates: merged), max(0, first.totalSeeds - held))
    }
}
