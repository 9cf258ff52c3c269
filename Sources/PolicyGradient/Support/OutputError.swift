import Foundation

/// An output that could not be written (a full disk, an I/O error, a closed stream): the path
/// and the system's reason, as one line. Unlike ``InputError`` this is not bad input: the
/// command line reports it with exit status 1.
public struct OutputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (or `standard output`) that could not be written.
    public var path: String
    /// The `errno` of the failing call.
    public var code: Int32

    /// Creates the error for `path` failing with `errno` value `code`.
    public init(path: String, code: Int32) {
        self.path = path
        self.code = code
    }

    /// `cannot write PATH: REASON`, e.g. `cannot write runs/a.jsonl: No space left on device`.
    public var description: String { "cannot write \(path): \(OutputError.describe(code))" }

    /// The system's one-line text for `errno` value `code` (`strerror`).
    public static func describe(_ code: Int32) -> String {
        guard let s = strerror(code) else { return "error \(code)" }
        return String(cString: s)
    }
}
