/// A small JSON parser (RFC 8259, numbers exactly as its grammar writes them: ``NumberSyntax``) that reports errors with line and column, and remembers where
/// every value started, so that spec files get precise error messages (``positions``).
///
/// Hostile input is bounded: nesting deeper than ``maximumDepth`` is one ``InputError`` (never
/// a stack overflow, whatever the depth), and time and memory are linear in the input's size.
/// Integers are exact: `.int` when `Int` holds them, `.uint` up to `UInt64.max`, otherwise the
/// nearest `.double`.
public struct JSONParser {
    /// The deepest nesting of arrays and objects accepted: `[[1]]` is 2 levels. pg's own files
    /// nest at most 3 levels deep; anything beyond 64 is refused with one error.
    public static let maximumDepth = 64

    let bytes: [UInt8]
    var i = 0
    private var line = 1, lineStart = 0
    private var depth = 0
    private let file: String?
    private let recordsPositions: Bool
    private var table = JSONPositions()

    /// Where each value of the last parsed document starts, by path (`arms[1].p`; `""` is the
    /// root): `positions["arms[1].p"]` is its 1-based (line, column). Empty when the parser was
    /// made with `recordingPositions: false`.
    public var positions: JSONPositions { table }

    /// Prepares to parse `text`.
    /// - Parameters:
    ///   - text: the JSON document.
    ///   - file: names the input in error messages.
    ///   - recordingPositions: whether to remember where each value starts (``positions``).
    public init(_ text: String, file: String? = nil, recordingPositions: Bool = true) {
        self.init(bytes: Array(text.utf8), file: file, recordingPositions: recordingPositions)
    }

    /// Prepares to parse the UTF-8 `bytes` (see ``init(_:file:recordingPositions:)``).
    public init(bytes: [UInt8], file: String? = nil, recordingPositions: Bool = true) {
        self.bytes = bytes
        self.file = file
        recordsPositions = recordingPositions
    }

    /// Parses one JSON document.
    /// - Throws: ``InputError`` with the file, line and column of the first problem (nesting
    ///   deeper than ``maximumDepth`` included).
    /// - Complexity: O(n) time and memory in the input's length n.
    public mutating func parse() throws -> JSONValue {
        table = JSONPositions()
        let v = try value()
        skipSpace()
        if i < bytes.count { throw error("unexpected text after the JSON value") }
        table.root = v
        return v
    }

    /// Parses one JSON document from `text` without recording positions (convenience).
    /// - Throws: ``InputError`` as ``parse()``.
    public static func parse(_ text: String, file: String? = nil) throws -> JSONValue {
        var p = JSONParser(text, file: file, recordingPositions: false)
        return try p.parse()
    }

    /// An error at the current position.
    func error(_ message: String) -> InputError {
        InputError(message, file: file, line: line, column: i - lineStart + 1)
    }

    mutating func skipSpace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0D: i += 1
            case 0x0A: i += 1; line += 1; lineStart = i
            default: return
            }
        }
    }

    /// The value at `i` (its start recorded in pre-order, its subtree size after it).
    mutating func value() throws -> JSONValue {
        skipSpace()
        guard i < bytes.count else { throw error("unexpected end of input: expected a value") }
        let node = table.start(line: line, column: i - lineStart + 1, recording: recordsPositions)
        let v: JSONValue
        switch bytes[i] {
        case UInt8(ascii: "{"): v = try nested { try $0.object() }
        case UInt8(ascii: "["): v = try nested { try $0.array() }
        case UInt8(ascii: "\""): v = .string(try string())
        case UInt8(ascii: "t"): try literal("true"); v = .bool(true)
        case UInt8(ascii: "f"): try literal("false"); v = .bool(false)
        case UInt8(ascii: "n"): try literal("null"); v = .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): v = try number()
        default: throw error("unexpected \(JSONParser.describe(bytes[i])): expected a value")
        }
        table.finish(node, recording: recordsPositions)
        return v
    }

    /// Runs `body` one nesting level deeper, refusing to go beyond ``maximumDepth``.
    mutating func nested(_ body: (inout JSONParser) throws -> JSONValue) throws -> JSONValue {
        depth += 1
        defer { depth -= 1 }
        if depth > JSONParser.maximumDepth {
            throw error("nesting deeper than \(JSONParser.maximumDepth) levels of arrays and objects")
        }
        return try body(&self)
    }

    /// `character 'x'` for a printable ASCII byte, else `byte 0xNN` (never a raw control character).
    static func describe(_ b: UInt8) -> String {
        (0x21..<0x7F).contains(b) ? "character '\(Character(UnicodeScalar(b)))'" : "byte 0x" + String(b, radix: 16, uppercase: true)
    }

    mutating func literal(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        let matches = i + n <= bytes.count && word.withUTF8Buffer { w in (0..<n).allSatisfy { bytes[i + $0] == w[$0] } }
        guard matches else { throw error("invalid literal: expected \(word)") }
        i += n
    }

    mutating func object() throws -> JSONValue {
        i += 1
        var pairs: [(String, JSONValue)] = []
        var seen: Set<String>?
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
            let key = try string()
            if isDuplicate(key, among: pairs, seen: &seen) { throw error("duplicate key \(JSONValue.string(key).echo())") }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':' after the key") }
            i += 1
            pairs.append((key, try value()))
            skipSpace()
            guard i < bytes.count else { throw error("unexpected end of input: expected ',' or '}'") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
            throw error("expected ',' or '}'")
        }
    }

    /// Whether `key` is already among `pairs`: a scan for small objects, a set beyond 16 keys
    /// (so that an object of n keys costs O(n), not O(n²)).
    func isDuplicate(_ key: String, among pairs: [(String, JSONValue)], seen: inout Set<String>?) -> Bool {
        if seen == nil, pairs.count < 16 { return pairs.contains { $0.0 == key } }
        if seen == nil { seen = Set(pairs.map(\.0)) }
        return !seen!.insert(key).inserted
    }

    mutating func array() throws -> JSONValue {
        i += 1
        var items: [JSONValue] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            items.append(try value())
            skipSpace()
            guard i < bytes.count else { throw error("unexpected end of input: expected ',' or ']'") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            throw error("expected ',' or ']'")
        }
    }

    mutating func number() throws -> JSONValue {
        let startIndex = i
        let col = i - lineStart + 1
        while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
        let text = String(decoding: bytes[startIndex..<i], as: UTF8.self)
        func invalid(_ why: String) -> InputError {
            let shown = text.count <= 40 ? text : String(text.prefix(40)) + "…"
            return InputError("invalid number '\(shown)'\(why)", file: file, line: line, column: col)
        }
        // RFC 8259's grammar, the one pg reads everywhere (NumberSyntax): no leading zeros, no '+'.
        guard NumberSyntax.isNumber(bytes[startIndex..<i]) else { throw invalid(NumberSyntax.hint(text)) }
        if let n = Int(text) { return .int(n) }
        if let u = UInt64(text) { return .uint(u) }
        guard let d = Double(text), d.isFinite else { throw invalid(" (too large for a 64-bit floating-point number)") }
        return .double(d)
    }
}
