/// Exact, range-checked numbers read back from files. None of these traps, whatever the file
/// holds (`1e300`, `-1`, `2.5`, `Int.max`, `"12"`, `null`…): a value that does not fit is
/// `nil`, or an ``InputError`` naming the key and, where known, the file and line.
extension JSONValue {
    /// The largest magnitude up to which every integer is exactly a `Double` (2^53).
    public static let largestExactDouble = 9_007_199_254_740_992.0

    /// The integer this value holds exactly, if `Int` holds it: `.int`, `.uint` up to `Int.max`,
    /// or an integral `.double` of magnitude at most 2^53 (so `1e3` is 1000; `2.5`, `1e300`
    /// and `"12"` are not integers).
    /// - Complexity: O(1); allocates nothing.
    public var exactInt: Int? {
        switch self {
        case let .int(i): return i
        case let .uint(u): return u <= UInt64(Int.max) ? Int(u) : nil
        case let .double(d):
            guard d.isFinite, d == d.rounded(), abs(d) <= JSONValue.largestExactDouble else { return nil }
            return Int(d)
        default: return nil
        }
    }

    /// The unsigned integer this value holds exactly: `.int` ≥ 0, `.uint`, or an integral
    /// `.double` in [0, 2^53]. Every `UInt64`, written as ``integer(_:)``, reads back as itself.
    /// - Complexity: O(1); allocates nothing.
    public var exactUInt64: UInt64? {
        switch self {
        case let .int(i): return i >= 0 ? UInt64(i) : nil
        case let .uint(u): return u
        case let .double(d):
            guard d.isFinite, d == d.rounded(), d >= 0, d <= JSONValue.largestExactDouble else { return nil }
            return UInt64(d)
        default: return nil
        }
    }

    /// The value's text for an error message, cut to `limit` characters.
    func echo(limit: Int = 40) -> String {
        let t = text
        return t.count <= limit ? t : String(t.prefix(limit)) + "…"
    }

    /// The error for a value that is not what `name` must be.
    static func mismatch(_ name: String, _ want: String, _ got: JSONValue?, file: String?, line: Int?) -> InputError {
        let found = got.map { v -> String in
            if case .string = v { return "the string \(v.echo())" }
            return v.echo()
        } ?? "nothing"
        return InputError("\"\(name)\" must be \(want), got \(found)", file: file, line: line)
    }

    /// This value as an exact integer in `range`.
    /// - Parameters:
    ///   - range: the values allowed.
    ///   - name: what the value is (a key such as `iteration`, or `seed_index[3]`), for the error.
    ///   - file: the file the value came from, if any.
    ///   - line: its 1-based line, if known.
    /// - Returns: the integer.
    /// - Throws: ``InputError`` naming `name` when this is not an exact integer in `range`.
    /// - Complexity: O(1) unless it throws.
    public func asInt(in range: ClosedRange<Int> = Int.min...Int.max, name: String,
                      file: String? = nil, line: Int? = nil) throws -> Int {
        guard let i = exactInt, range.contains(i) else {
            let want = range == Int.min...Int.max ? "an integer" : "an integer in \(range.lowerBound)...\(range.upperBound)"
            throw JSONValue.mismatch(name, want, self, file: file, line: line)
        }
        return i
    }

    /// This value as an exact `UInt64` (0...18446744073709551615).
    /// - Parameters:
    ///   - name: what the value is (a key such as `seed`, or `seed[3]`), for the error.
    ///   - file: the file the value came from, if any.
    ///   - line: its 1-based line, if known.
    /// - Returns: the integer.
    /// - Throws: ``InputError`` naming `name` when this is not an exact integer in that range.
    /// - Complexity: O(1) unless it throws.
    public func asUInt64(name: String, file: String? = nil, line: Int? = nil) throws -> UInt64 {
        guard let u = exactUInt64 else {
            throw JSONValue.mismatch(name, "an integer in 0...\(UInt64.max)", self, file: file, line: line)
        }
        return u
    }

    /// This value as a finite `Double` (any JSON number; `null`, strings and others are refused).
    /// - Parameters:
    ///   - name: what the value is (a key, or `final[3]`), for the error.
    ///   - file: the file the value came from, if any.
    ///   - line: its 1-based line, if known.
    /// - Returns: the number.
    /// - Throws: ``InputError`` naming `name` when this is not a finite number.
    /// - Complexity: O(1) unless it throws.
    public func asFiniteDouble(name: String, file: String? = nil, line: Int? = nil) throws -> Double {
        guard let d = doubleValue, d.isFinite else {
            throw JSONValue.mismatch(name, "a finite number", self, file: file, line: line)
        }
        return d
    }

    /// The object's value for `key`, which must be present.
    /// - Parameters:
    ///   - key: the key.
    ///   - file: the file the object came from, if any, for the error.
    ///   - line: its 1-based line, if known.
    /// - Returns: the value (possibly `null`).
    /// - Throws: ``InputError`` naming `key` when this is not an object or has no such key.
    public func required(_ key: String, file: String? = nil, line: Int? = nil) throws -> JSONValue {
        guard let v = self[key] else { throw InputError("\"\(key)\" is missing", file: file, line: line) }
        return v
    }

    /// The object's `key` as an exact integer in `range` (see ``asInt(in:name:file:line:)``;
    /// `file` and `line` locate the object for the error).
    /// - Returns: the integer.
    /// - Throws: ``InputError`` naming `key` when it is missing or not such an integer.
    public func int(_ key: String, in range: ClosedRange<Int> = Int.min...Int.max,
                    file: String? = nil, line: Int? = nil) throws -> Int {
        try required(key, file: file, line: line).asInt(in: range, name: key, file: file, line: line)
    }

    /// The object's `key` as an exact `UInt64` (see ``asUInt64(name:file:line:)``).
    /// - Returns: the integer.
    /// - Throws: ``InputError`` naming `key` when it is missing or not such an integer.
    public func uint64(_ key: String, file: String? = nil, line: Int? = nil) throws -> UInt64 {
        try required(key, file: file, line: line).asUInt64(name: key, file: file, line: line)
    }

    /// The object's `key` as a finite number (see ``asFiniteDouble(name:file:line:)``).
    /// - Returns: the number.
    /// - Throws: ``InputError`` naming `key` when it is missing or not a finite number.
    public func finiteDouble(_ key: String, file: String? = nil, line: Int? = nil) throws -> Double {
        try required(key, file: file, line: line).asFiniteDouble(name: key, file: file, line: line)
    }

    /// Whether the object lacks `key` or holds `null` there (an optional field left out).
    public func isAbsent(_ key: String) -> Bool {
        guard let v = self[key] else { return true }
        if case .null = v { return true }
        return false
    }
}
