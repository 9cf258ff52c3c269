/// Bad input from a file, a setting or the command line: what is wrong, and where.
///
/// The library names what is wrong in its own words: a file position, or the ``field`` (a
/// setting's key, such as `lr_min`) and the value. The command line prints ``description`` as
/// one line and exits with status 2, after mapping a field to its flag (`--lr-min`).
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the valid choices where there are some.
    public var message: String
    /// The file the input came from, if any.
    public var file: String?
    /// 1-based line in ``file``, if known.
    public var line: Int?
    /// 1-based column in ``file``, if known.
    public var column: Int?
    /// The setting the error is about (its key), if any.
    public var field: String?
    /// Other settings the message names by key (the command line renders them as flags).
    public var mentions: [String]

    /// Creates an input error.
    public init(_ message: String, file: String? = nil, line: Int? = nil, column: Int? = nil) {
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        field = nil
        mentions = []
    }

    /// An error about the setting `field`; `mentions` lists other setting keys that `message` names.
    public init(field: String, _ message: String, mentions: [String] = []) {
        self.init(message)
        self.field = field
        self.mentions = mentions
    }

    /// `file:line:column: message` with the parts that are known, or `field: message`.
    public var description: String {
        if let field { return field + ": " + message }
        guard let file else { return message }
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s + ": " + message
    }
}
