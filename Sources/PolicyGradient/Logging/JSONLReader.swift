import Foundation

/// Reads JSON Lines files: one JSON value per non-blank line.
///
/// Bounded on any input: a file larger than ``maximumFileSize`` is refused before it is read
/// (see ``InputFile``), and each line is parsed by ``JSONParser`` (nesting at most
/// ``JSONParser/maximumDepth`` levels, linear time and memory).
public enum JSONLReader {
    /// The largest JSONL file read: 256 MiB (a training log of about 700 000 updates; pg holds
    /// the parsed lines in memory, about 3 times the file's size).
    public static let maximumFileSize = 256 << 20

    /// One line of a JSONL file.
    public struct Line: Sendable {
        /// Its 1-based line number in the file.
        public var number: Int
        /// Its value.
        public var value: JSONValue
    }

    /// The values of the file at `path`, in order.
    /// - Throws: ``InputError`` naming the file (and the line and column of a malformed line);
    ///   a file larger than `limit` is refused before reading it.
    /// - Complexity: O(size of the file).
    public static func read(path: String, limit: Int = maximumFileSize) throws -> [JSONValue] {
        try readLines(path: path, limit: limit).map(\.value)
    }

    /// The lines of the file at `path` with their line numbers (see ``read(path:limit:)``).
    public static func readLines(path: String, limit: Int = maximumFileSize) throws -> [Line] {
        try parseLines(InputFile.read(path: path, limit: limit, what: "the JSONL file"), file: path)
    }

    /// The values of JSONL `text`; `file` names it in errors.
    /// - Throws: ``InputError`` with the file, line and column of the first malformed line.
    public static func parse(_ text: String, file: String? = nil) throws -> [JSONValue] {
        try parseLines(Array(text.utf8), file: file).map(\.value)
    }

    /// The lines of the JSONL `bytes` with their numbers; `file` names them in errors. Polls
    /// ``Cancellation`` every 4096 lines, so that reading a large log stops soon after a stop is
    /// requested.
    /// - Throws: ``InputError`` with the file, line and column of the first malformed line;
    ///   ``Cancelled`` when a stop was requested.
    /// - Complexity: O(bytes.count).
    public static func parseLines(_ bytes: [UInt8], file: String? = nil) throws -> [Line] {
        var out: [Line] = []
        var start = 0, number = 1
        while start <= bytes.count {
            if number & 4095 == 0 { try Cancelled.check("reading \(file ?? "a JSONL file")") }
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            let line = bytes[start..<end]
            if line.contains(where: { !isSpace($0) }) {
                var parser = JSONParser(bytes: Array(line), file: file, recordingPositions: false)
                do {
                    out.append(Line(number: number, value: try parser.parse()))
                } catch let e as InputError {
                    throw InputError(e.message, file: file, line: number, column: e.column)
                }
            }
            start = end + 1
            number += 1
        }
        return out
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0B || b == 0x0C }
}
