/// A small JSON parser that reports errors with line and column, and remembers where every
/// value started (by path, e.g. `arms[1].p`), so that spec files get precise error messages.
public struct JSONParser {
    private let bytes: [UInt8]
    private var i = 0
    private var line = 1, lineStart = 0
    private let file: String?
    /// Where each value starts: path → (line, column), both 1-based.
    public private(set) var positions: [String: (line: Int, column: Int)] = [:]

    /// Prepares to parse `text`; `file` is used in error messages.
    public init(_ text: String, file: String? = nil) {
        bytes = Array(text.utf8)
        self.file = file
    }

    /// Parses one JSON document.
    /// - Throws: ``InputError`` with the file, line and column of the first problem.
    public mutating func parse() throws -> JSONValue {
        let v = try value(path: "")
        skipSpace()
        if i < bytes.count { throw error("unexpected text after the JSON value") }
        return v
    }

    /// Parses one JSON document from `text` (convenience).
    public static func parse(_ text: String, file: String? = nil) throws -> JSONValue {
        var p = JSONParser(text, file: file)
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

    mutating func value(path: String) throws -> JSONValue {
        skipSpace()
        guard i < bytes.count else { throw error("unexpected end of input: expected a value") }
        positions[path] = (line, i - lineStart + 1)
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object(path: path)
        case UInt8(ascii: "["): return try array(path: path)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("unexpected character '\(Character(UnicodeScalar(bytes[i])))': expected a value")
        }
    }

    mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else {
            throw error("invalid literal: expected \(word)")
        }
        i += w.count
    }

    mutating func object(path: String) throws -> JSONValue {
        i += 1
        var pairs: [(String, JSONValue)] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
            let key = try string()
            if pairs.contains(where: { $0.0 == key }) { throw error("duplicate key \"\(key)\"") }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':' after the key") }
            i += 1
            pairs.append((key, try value(path: path.isEmpty ? key : path + "." + key)))
            skipSpace()
            guard i < bytes.count else { throw error("unexpected end of input: expected ',' or '}'") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
            throw error("expected ',' or '}'")
        }
    }

    mutating func array(path: String) throws -> JSONValue {
        i += 1
        var items: [JSONValue] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            items.append(try value(path: "\(path)[\(items.count)]"))
            skipSpace()
            guard i < bytes.count else { throw error("unexpected end of input: expected ',' or ']'") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            throw error("expected ',' or ']'")
        }
    }

    mutating func string() throws -> String {
        i += 1
        var out = [UInt8]()
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
            if c == 0x0A || c < 0x20 { throw error("control character in a string") }
            if c == UInt8(ascii: "\\") {
                i += 1
                guard i < bytes.count else { break }
                switch bytes[i] {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    out += Array(String(Character(try unicodeEscape())).utf8)
                case let e where [UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/")].contains(e): out.append(e)
                default: throw error("invalid escape in a string")
                }
                i += 1
                continue
            }
            out.append(c)
            i += 1
        }
        throw error("unterminated string")
    }

    /// The scalar of a `\uXXXX` escape (`i` at the `u`), joining a UTF-16 surrogate pair
    /// `\uD83D\uDE00` into one scalar (RFC 8259 §7); leaves `i` at the escape's last digit.
    mutating func unicodeEscape() throws -> UnicodeScalar {
        func digit(_ b: UInt8) -> UInt32? {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
            default: return nil
            }
        }
        func hex(at j: Int) -> UInt32? {
            guard j + 4 <= bytes.count else { return nil }
            var v: UInt32 = 0
            for b in bytes[j..<(j + 4)] {
                guard let d = digit(b) else { return nil }
                v = v << 4 | d
            }
            return v
        }
        guard var code = hex(at: i + 1) else { throw error("invalid \\u escape") }
        var length = 4
        if (0xD800..<0xDC00).contains(code) {
            guard i + 6 < bytes.count, bytes[i + 5] == UInt8(ascii: "\\"), bytes[i + 6] == UInt8(ascii: "u"),
                  let low = hex(at: i + 7), (0xDC00..<0xE000).contains(low) else {
                throw error("invalid \\u escape: a high surrogate must be followed by a low one")
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            length = 10
        }
        guard let scalar = UnicodeScalar(code) else { throw error("invalid \\u escape: unpaired surrogate") }
        i += length
        return scalar
    }

    mutating func number() throws -> JSONValue {
        let startIndex = i
        let col = i - lineStart + 1
        while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
        let text = String(decoding: bytes[startIndex..<i], as: UTF8.self)
        if let n = Int(text) { return .int(n) }
        guard let d = Double(text), d.isFinite else {
            throw InputError("invalid number '\(text)'", file: file, line: line, column: col)
        }
        return .double(d)
    }
}
