extension JSONValue {
    /// A UInt64 written losslessly.
    public static func seedValue(_ n: UInt64) -> JSONValue {
        n <= UInt64(Int.max) ? .int(Int(n)) : .string(String(n))
    }

    /// The exact Int this value holds (an integer, or an integral double in range); nil otherwise.
    public var exactIntValue: Int? {
        switch self {
        case let .int(i): return i
        case let .double(d):
            guard d.isFinite, d == d.rounded(), d >= -9.223372036854775e18, d < 9.223372036854775e18 else { return nil }
            return Int(d)
        default: return nil
        }
    }

    /// The exact UInt64 this value holds (a non-negative integer, or a decimal string of one); nil otherwise.
    public var exactSeedValue: UInt64? {
        switch self {
        case let .int(i): return i >= 0 ? UInt64(i) : nil
        case let .string(s): return UInt64(s)
        case let .double(d):
            guard d.isFinite, d == d.rounded(), d >= 0, d < 1.8446744073709552e19 else { return nil }
            return UInt64(d)
        default: return nil
        }
    }
}
