/// The one number grammar pg reads, in JSON files and on the command line alike: RFC 8259's
/// `number`,
///
/// ```
/// number = [ "-" ] ( "0" / digit1-9 *digit ) [ "." 1*digit ] [ ( "e" / "E" ) [ "-" / "+" ] 1*digit ]
/// ```
///
/// with nothing around it: no spaces, no leading `+`, no leading zeros (`032`), no `.5` or `5.`,
/// no hexadecimal, `inf` or `nan`. Integers (`--batch`, `--seed`, `i/n` of `--shard`) are the
/// same without the fraction and the exponent. A value that is not in the grammar is refused
/// rather than guessed at: `' 1'` and `032` are typing accidents, not numbers.
public enum NumberSyntax {
    /// Whether `bytes` are exactly one number of the grammar.
    /// - Complexity: O(bytes.count); allocates nothing.
    public static func isNumber<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        var i = bytes.startIndex
        func digit(_ k: C.Index) -> Bool { k < bytes.endIndex && bytes[k] >= 0x30 && bytes[k] <= 0x39 }
        func skipDigits() { while digit(i) { i = bytes.index(after: i) } }
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: "-") { i = bytes.index(after: i) }
        guard digit(i) else { return false }
        if bytes[i] == UInt8(ascii: "0") { i = bytes.index(after: i) } else { skipDigits() }
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: ".") {
            i = bytes.index(after: i)
            guard digit(i) else { return false }
            skipDigits()
        }
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i = bytes.index(after: i)
            if i < bytes.endIndex, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i = bytes.index(after: i) }
            guard digit(i) else { return false }
            skipDigits()
        }
        return i == bytes.endIndex
    }

    /// Whether `text` is exactly one integer of the grammar: `-? (0 | [1-9][0-9]*)`.
    /// - Complexity: O(text); allocates nothing.
    public static func isInteger(_ text: some StringProtocol) -> Bool {
        let u = text.utf8
        guard isNumber(u) else { return false }
        return !u.contains(UInt8(ascii: ".")) && !u.contains(UInt8(ascii: "e")) && !u.contains(UInt8(ascii: "E"))
    }

    /// The finite `Double` that `text` writes in the grammar, or nil (for text outside the
    /// grammar, and for a number too large for a `Double`, such as `1e400`).
    /// - Complexity: O(text).
    public static func double(_ text: some StringProtocol) -> Double? {
        guard isNumber(text.utf8), let x = Double(String(text)), x.isFinite else { return nil }
        return x
    }

    /// The `Int` that `text` writes as an integer of the grammar, or nil (also when it does not
    /// fit an `Int`).
    /// - Complexity: O(text).
    public static func int(_ text: some StringProtocol) -> Int? {
        isInteger(text) ? Int(String(text)) : nil
    }

    /// The `UInt64` that `text` writes as a non-negative integer of the grammar, or nil.
    /// - Complexity: O(text).
    public static func uint64(_ text: some StringProtocol) -> UInt64? {
        isInteger(text) && !text.hasPrefix("-") ? UInt64(String(text)) : nil
    }

    /// Why `text` is not a number of the grammar, in a few words (`a space`, `a leading zero`,
    /// `a leading '+'`), for an error message; nil when it gives no such reason.
    /// - Complexity: O(text).
    public static func reason(_ text: some StringProtocol) -> String? {
        if text.contains(where: \.isWhitespace) { return "a number has no spaces" }
        var body = Substring(text)
        if body.hasPrefix("+") { return "a number has no leading '+'" }
        if body.hasPrefix("-") { body = body.dropFirst() }
        if body.count > 1, body.hasPrefix("0"), body.dropFirst().first?.isNumber == true { return "a number has no leading zeros" }
        if body.hasPrefix(".") || body.hasSuffix(".") || body.contains(".e") || body.contains(".E") {
            return "a decimal point needs digits on both sides"
        }
        return nil
    }

    /// ` (REASON)` when ``reason(_:)`` has one, else empty: the tail of an error message.
    public static func hint(_ text: some StringProtocol) -> String {
        reason(text).map { " (\($0))" } ?? ""
    }
}
