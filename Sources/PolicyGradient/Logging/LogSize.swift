/// What pg writes, pg reads back: the one size rule of pg's files. Readers refuse a file larger
/// than their limit before reading it (``JSONLReader/maximumFileSize``,
/// ``Checkpoint/maximumFileSize``); writers bound the size of the file they are about to write,
/// before any work, and refuse one that could exceed the limit of the reader that reads it back.
///
/// A bound is computed from the shape of the lines a writer writes (their keys, strings and
/// nesting, from a template line the writer itself produced) with every number at its widest:
/// ``numberWidth`` characters, the width of `-2.2250738585072014e-308`, the longest text of a
/// `Double` in shortest round-trip form (and longer than any `Int` or `UInt64`). So a file
/// within its bound is within the limit, whatever numbers the run produces.
public enum LogSize {
    /// The widest text of a number in a log: 24 characters (`-2.2250738585072014e-308`).
    public static let numberWidth = 24

    /// The most bytes of the compact JSON text of any value of `template`'s shape: the same
    /// keys, strings, arrays (of the same lengths) and booleans, with any numbers in place of
    /// its numbers and of its `null`s (a `null` stands for a number not yet known).
    /// - Complexity: O(size of `template`).
    public static func bound(_ template: JSONValue) -> Int {
        switch template {
        case .null, .int, .uint, .double: return numberWidth
        case .bool: return 5
        case .string: return template.text.utf8.count
        case let .array(items): return 2 + max(0, items.count - 1) + items.reduce(0) { $0 + bound($1) }
        case let .object(pairs):
            return 2 + max(0, pairs.count - 1) + pairs.reduce(0) { $0 + JSONValue.string($1.0).text.utf8.count + 1 + bound($1.1) }
        }
    }

    /// The bound of one JSONL line of `template`'s shape, its newline included.
    public static func lineBound(_ template: JSONValue) -> Int { bound(template) + 1 }

    /// `12.3 MiB`, `2.0 GiB`: a size for messages.
    public static func format(_ bytes: Double) -> String { MemoryLimit.format(bytes: bytes) }

    /// Refuses a file whose size bound exceeds `limit`.
    /// - Parameters:
    ///   - bytes: the bound.
    ///   - what: the file and what makes it large (`the log: 1000000 iterations x 560 bytes`).
    ///   - limit: the reader's limit in bytes.
    ///   - readers: who reads it back (`pg plot and pg rerun`).
    ///   - remedy: what to give instead (`fewer --iterations`).
    /// - Throws: ``InputError`` naming all of them.
    public static func check(_ bytes: Double, what: String, limit: Int, readers: String, remedy: String) throws {
        guard bytes > Double(limit) else { return }
        throw InputError("\(what) could take up to \(format(bytes)), more than the \(format(Double(limit))) that \(readers) "
                         + "read back; \(remedy)")
    }
}
