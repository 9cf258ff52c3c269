import Foundation

/// Reads JSON Lines files: one JSON value per non-blank line.
public enum JSONLReader {
    /// The values of the file at `path`, in order.
    /// - Throws: ``InputError`` naming the file (and the line and column of a malformed line).
    public static func read(path: String) throws -> [JSONValue] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("cannot read \(path)", file: nil)
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// The values of JSONL `text`; `file` names it in errors.
    /// - Throws: ``InputError`` with the file, line and column of the first malformed line.
    public static func parse(_ text: String, file: String? = nil) throws -> [JSONValue] {
        var out: [JSONValue] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.allSatisfy(\.isWhitespace) { continue }
            do {
                out.append(try JSONParser.parse(String(line)))
            } catch let e as InputError {
                throw InputError(e.message, file: file, line: n + 1, column: e.column)
            }
        }
        return out
    }
}
