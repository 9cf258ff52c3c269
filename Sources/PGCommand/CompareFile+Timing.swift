import Foundation
import PolicyGradient

extension CompareFile {
    /// When a variant ran, on the wall clock: `started_at` and `finished_at` of its final line
    /// (seconds since 1970, so that shards run on different nodes compare), and in a merge
    /// `shard_seconds_sum`, the shards' own `seconds` added up (the compute spent).
    struct Timing: Equatable {
        var started: Double
        var finished: Double
        var shardSecondsSum: Double?
    }

    /// The final line of `g` as this file writes it: ``SweepAggregate/finalLine`` and the
    /// variant's ``Timing`` when known. `seconds` is the wall-clock time: in a merge, the span
    /// from the first shard's start of the variant to the last one's finish, not the sum of
    /// the shards' times (that is `shard_seconds_sum`).
    func finalLine(_ g: SweepAggregate) -> JSONValue {
        guard let t = timings[g.label], case let .object(pairs) = g.finalLine else { return g.finalLine }
        var extra: [(String, JSONValue)] = [("started_at", .double(t.started)), ("finished_at", .double(t.finished))]
        if let sum = t.shardSecondsSum { extra.append(("shard_seconds_sum", .double(sum))) }
        let at = pairs.firstIndex { $0.0 == "seconds" }.map { $0 + 1 } ?? pairs.count
        return .object(Array(pairs[..<at]) + extra + Array(pairs[at...]))
    }

    /// The timings of a file's final lines (those that record both times, in order, finite).
    /// - Throws: ``InputError`` naming the file and line of a malformed time.
    static func readTimings(_ lines: [JSONLReader.Line], path: String) throws -> [String: Timing] {
        var out: [String: Timing] = [:]
        for l in lines where l.value["type"]?.stringValue == "final" {
            guard let label = l.value["variant"]?.stringValue, !l.value.isAbsent("started_at") || !l.value.isAbsent("finished_at") else {
                continue
            }
            let start = try l.value.finiteDouble("started_at", file: path, line: l.number)
            let end = try l.value.finiteDouble("finished_at", file: path, line: l.number)
            guard start >= 0, end >= start else {
                throw InputError("'\(label)': \"finished_at\" (\(end)) is before \"started_at\" (\(start))", file: path, line: l.number)
            }
            let sum = l.value.isAbsent("shard_seconds_sum") ? nil : try l.value.finiteDouble("shard_seconds_sum", file: path, line: l.number)
            out[label] = Timing(started: start, finished: end, shardSecondsSum: sum)
        }
        return out
    }

    /// The merged timing of `label` over `files` (in shard order), and the merged `seconds`:
    /// with every shard's times, the span from the first start to the last finish; without
    /// them (files of an older pg), the longest shard's `seconds`, the span when the shards
    /// ran at once. The shards' own seconds are added up into `shard_seconds_sum` either way.
    static func mergedTiming(_ label: String, index i: Int, files: [CompareFile]) -> (timing: Timing?, seconds: Double) {
        let ran = files.filter { !$0.aggregates[i].seeds.isEmpty }
        let sum = ran.reduce(0) { $0 + ($1.timings[label]?.shardSecondsSum ?? $1.aggregates[i].seconds) }
        let times = ran.compactMap { $0.timings[label] }
        guard !ran.isEmpty, times.count == ran.count else { return (nil, ran.map { $0.aggregates[i].seconds }.max() ?? 0) }
        let start = times.map(\.started).min()!, end = times.map(\.finished).max()!
        return (Timing(started: start, finished: end, shardSecondsSum: sum), end - start)
    }

    /// Seconds since 1970 on the wall clock.
    static var now: Double { Date().timeIntervalSince1970 }
}
