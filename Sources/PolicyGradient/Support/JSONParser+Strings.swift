extension JSONParser {
    /// The string at `i` (at its opening quote), escapes decoded; leaves `i` after the closing quote.
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
}
