/// Line-by-line comparison of two logs of the same run (an original and its rerun): every
/// field must be equal, text for text (so numbers bit for bit), except fields that only
/// measure time.
public enum LogComparison {
    /// The fields that only measure time, ignored wherever they appear: `elapsed` (train
    /// iterations and summary), `seconds`, `started_at`, `finished_at` and `shard_seconds_sum`
    /// (compare finals), `seconds_per_estimate` and `variance_times_seconds` (variance rows).
    public static let timingFields: Set<String> = ["elapsed", "seconds", "seconds_per_estimate", "variance_times_seconds",
                                                   "started_at", "finished_at", "shard_seconds_sum"]

    /// Where two logs first differ.
    public struct Difference: Sendable, Equatable, CustomStringConvertible {
        /// The 1-based line of the original log (of the rerun's when the original has no more lines).
        public var line: Int
        /// The field's path in the line (`mean_return`, `estimators[0].settings.decay`), or
        /// empty when one log has a line the other lacks or the line's type differs.
        public var field: String
        /// The original's value (its text), or nil when it has none.
        public var original: String?
        /// The rerun's value, or nil when it has none.
        public var rerun: String?

        /// A difference at `line` in `field`, with both values' texts (nil where absent).
        public init(line: Int, field: String, original: String?, rerun: String?) {
            self.line = line
            self.field = field
            self.original = original
            self.rerun = rerun
        }

        /// `line 7, "mean_return": 0.5 then, 0.53125 now`.
        public var description: String {
            let was = original.map(LogComparison.short) ?? "absent", now = rerun.map(LogComparison.short) ?? "absent"
            return "line \(line)" + (field.isEmpty ? "" : ", \"\(field)\"") + ": \(was) in the original, \(now) in the rerun"
        }
    }

    /// The first difference between the lines of `original` and `rerun`, or nil when every
    /// line is equal outside the ignored fields.
    /// - Parameters:
    ///   - original: the original's lines (with their line numbers).
    ///   - rerun: the rerun's lines.
    ///   - ignoring: fields ignored at any depth of any line (default ``timingFields``).
    ///   - ignoringInConfig: top-level fields of the `{"type":"config"}` line also ignored
    ///     (`threads`, or what was reported before the run).
    ///   - ignoringAdditions: fields the rerun has and the original lacks, and lines of a type
    ///     the original has none of, are not differences (a log written by an older pg, run
    ///     again by a newer one that writes more; see ``addedFields(_:_:)`` and
    ///     ``addedLineTypes(_:_:)``).
    /// - Returns: the first difference, in line order, then field order.
    /// - Throws: ``Cancelled`` when a stop is requested (``Cancellation``, polled every 1024
    ///   lines): never a verdict on logs not compared to the end.
    /// - Complexity: O(size of the logs).
    public static func firstDifference(_ original: [JSONLReader.Line], _ rerun: [JSONLReader.Line],
                                       ignoring: Set<String> = timingFields,
                                       ignoringInConfig: Set<String> = [],
                                       ignoringAdditions: Bool = false) throws -> Difference? {
        // A newer pg may write lines of a type the older one did not (compare's "paired" lines).
        let rerun = ignoringAdditions ? withoutAddedLineTypes(original, rerun) : rerun
        for k in 0..<max(original.count, rerun.count) {
            if k & 1023 == 0 { try Cancelled.check("comparing the logs") }
            let number = k < original.count ? original[k].number : rerun[k].number
            guard k < original.count, k < rerun.count else {
                return Difference(line: number, field: "", original: k < original.count ? original[k].value.text : nil,
                                  rerun: k < rerun.count ? rerun[k].value.text : nil)
            }
            let a = original[k].value, b = rerun[k].value
            var skip = ignoring
            if a["type"]?.stringValue == "config" { skip.formUnion(ignoringInConfig) }
            if let (field, x, y) = difference(a, b, path: "", ignoring: skip, additions: ignoringAdditions) {
                return Difference(line: number, field: field, original: x, rerun: y)
            }
        }
        return nil
    }

    /// The rerun's lines without those of a `type` no line of the original has.
    static func withoutAddedLineTypes(_ original: [JSONLReader.Line], _ rerun: [JSONLReader.Line]) -> [JSONLReader.Line] {
        let types = Set(original.compactMap { $0.value["type"]?.stringValue })
        return rerun.filter { line in line.value["type"]?.stringValue.map(types.contains) ?? true }
    }

    /// The types of the rerun's lines that no line of the original has (in order of first
    /// appearance): what a newer pg adds to an older pg's log.
    public static func addedLineTypes(_ original: [JSONLReader.Line], _ rerun: [JSONLReader.Line]) -> [String] {
        let types = Set(original.compactMap { $0.value["type"]?.stringValue })
        var seen: Set<String> = []
        return rerun.compactMap { $0.value["type"]?.stringValue }.filter { !types.contains($0) && seen.insert($0).inserted }
    }

    /// The names of the fields the rerun's lines have and the original's lack (at any depth, the
    /// key alone, in order of first appearance): what a newer pg adds to an older pg's log.
    /// - Complexity: O(size of the logs).
    public static func addedFields(_ original: [JSONLReader.Line], _ rerun: [JSONLReader.Line]) -> [String] {
        var out: [String] = [], seen: Set<String> = []
        func walk(_ a: JSONValue, _ b: JSONValue) {
            switch (a, b) {
            case let (.object(x), .object(y)):
                for (key, v) in y {
                    if let u = x.first(where: { $0.0 == key })?.1 { walk(u, v) } else if seen.insert(key).inserted { out.append(key) }
                }
            case let (.array(x), .array(y)):
                for (u, v) in zip(x, y) { walk(u, v) }
            default: break
            }
        }
        for (a, b) in zip(original, withoutAddedLineTypes(original, rerun)) { walk(a.value, b.value) }
        return out
    }

    /// The first differing leaf of two values: its path and both texts (nil where absent); with
    /// `additions`, a key only `b` has is not a difference.
    static func difference(_ a: JSONValue, _ b: JSONValue, path: String, ignoring: Set<String>, additions: Bool = false)
        -> (String, String?, String?)? {
        switch (a, b) {
        case let (.object(x), .object(y)):
            let keys = x.map(\.0) + y.map(\.0).filter { k in !x.contains { $0.0 == k } }
            for key in keys where !ignoring.contains(key) {
                let sub = path.isEmpty ? key : path + "." + key
                switch (a[key], b[key]) {
                case let (u?, v?): if let d = difference(u, v, path: sub, ignoring: ignoring, additions: additions) { return d }
                case (nil, _?) where additions: continue
                case let (u, v): return (sub, u?.text, v?.text)
                }
            }
            return nil
        case let (.array(x), .array(y)):
            for i in 0..<max(x.count, y.count) {
                let sub = path + "[\(i)]"
                guard i < x.count, i < y.count else { return (sub, i < x.count ? x[i].text : nil, i < y.count ? y[i].text : nil) }
                if let d = difference(x[i], y[i], path: sub, ignoring: ignoring, additions: additions) { return d }
            }
            return nil
        default:
            return a == b ? nil : (path, a.text, b.text)
        }
    }

    /// A value's text cut to 60 characters for a message.
    static func short(_ text: String) -> String { text.count <= 60 ? text : String(text.prefix(60)) + "…" }
}
