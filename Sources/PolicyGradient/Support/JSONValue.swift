/// A JSON value with ordered object keys, so that log lines are byte-for-byte reproducible.
public indirect enum JSONValue: Sendable, Equatable {
    /// `null` (also how NaN and infinities are written: JSON has no such numbers).
    case null
    /// `true` / `false`.
    case bool(Bool)
    /// An integer that `Int` holds (the parser gives every such integer this case).
    case int(Int)
    /// A non-negative integer, written exactly; the parser gives this case only to integers
    /// above `Int.max` (up to `UInt64.max`), so that every `UInt64` seed round-trips exactly.
    case uint(UInt64)
    /// A double, written in Swift's shortest round-trip form.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object with keys in the given order.
    case object([(String, JSONValue)])

    /// `.double(x)` or `.null` when x is nil.
    public static func number(_ x: Double?) -> JSONValue { x.map { .double($0) } ?? .null }

    /// The exact integer `x`: `.int` when `Int` holds it, else `.uint` (so the text is exact).
    public static func integer(_ x: UInt64) -> JSONValue { x <= UInt64(Int.max) ? .int(Int(x)) : .uint(x) }

    /// The compact JSON text (one line, no trailing newline).
    public var text: String {
        var out = ""
        write(to: &out)
        return out
    }

    /// Appends the compact JSON text to `out`.
    public func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i): out += String(i)
        case let .uint(u): out += String(u)
        case let .double(d):
            if !d.isFinite { out += "null" } else if d == d.rounded(), abs(d) < 1e15 { out += String(Int(d)) } else { out += "\(d)" }
        case let .string(s): JSONValue.writeString(s, to: &out)
        case let .array(items):
            out += "["
            for (i, v) in items.enumerated() { if i > 0 { out += "," }; v.write(to: &out) }
            out += "]"
        case let .object(pairs):
            out += "{"
            for (i, (k, v)) in pairs.enumerated() {
                if i > 0 { out += "," }
                JSONValue.writeString(k, to: &out)
                out += ":"
                v.write(to: &out)
            }
            out += "}"
        }
    }

    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        out += "\""
    }

    /// The object's value for `key`, if this is an object that has it.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    /// The number, if this is one (integers beyond 2^53 are rounded to the nearest double; use
    /// ``exactInt`` or ``exactUInt64`` for an exact integer).
    public var doubleValue: Double? {
        switch self {
        case let .int(i): return Double(i)
        case let .uint(u): return Double(u)
        case let .double(d): return d
        default: return nil
        }
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    /// Two values are equal when their texts are (object key order matters).
    public static func == (l: JSONValue, r: JSONValue) -> Bool { l.text == r.text }
}
