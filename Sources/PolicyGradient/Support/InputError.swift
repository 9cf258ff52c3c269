/// Bad input from a file or the command line: what is wrong, and where.
///
/// The command line prints ``description`` as one line and exits with status 2.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the valid choices where there are some.
    public var message: String
    /// The file the input came from, if any.
    public var file: String?
    /// 1-based line in ``file``, if known.
    public var line: Int?
    /// 1-based column in ``file``, if known.
    public var column: Int?

    /// Creates an input error.
    public init(_ message: String, file: String? = nil, line: Int? = nil, column: Int? = nil) {
        self.message = message
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column: message`, with the parts that are known.
    public var description: String {
        guard let file else { return message }
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s + ": " + message
    }
}
