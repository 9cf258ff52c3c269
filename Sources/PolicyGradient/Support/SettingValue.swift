/// The value of a ``Setting``.
public enum SettingValue: Sendable, Hashable {
    /// A finite Double.
    case number(Double)
    /// An Int.
    case integer(Int)
    /// A UInt64 (seeds).
    case seed(UInt64)
    /// A string.
    case text(String)
    /// A Bool.
    case flag(Bool)
    /// A list of Doubles.
    case numbers([Double])
    /// A list of Ints.
    case integers([Int])

    /// Whether the value is of `kind`.
    public func matches(_ kind: Setting.Kind) -> Bool {
        switch (self, kind) {
        case (.number, .number), (.integer, .integer), (.seed, .seed), (.text, .text), (.flag, .flag),
             (.numbers, .numbers), (.integers, .integers): return true
        default: return false
        }
    }

    /// The Double of a `.number`.
    public var number: Double? { if case let .number(x) = self { return x }; return nil }
    /// The Int of an `.integer`.
    public var integer: Int? { if case let .integer(x) = self { return x }; return nil }
    /// The UInt64 of a `.seed`.
    public var seed: UInt64? { if case let .seed(x) = self { return x }; return nil }
    /// The String of a `.text`.
    public var string: String? { if case let .text(x) = self { return x }; return nil }
    /// The Bool of a `.flag`.
    public var bool: Bool? { if case let .flag(x) = self { return x }; return nil }
    /// The list of a `.numbers`.
    public var numberList: [Double]? { if case let .numbers(x) = self { return x }; return nil }
    /// The list of an `.integers`.
    public var integerList: [Int]? { if case let .integers(x) = self { return x }; return nil }

    /// The value as the command line writes it (`0.1`, `32,32`, `true`).
    public var text: String {
        switch self {
        case let .number(x): return SettingValue.format(x)
        case let .integer(n): return String(n)
        case let .seed(n): return String(n)
        case let .text(s): return s
        case let .flag(b): return b ? "true" : "false"
        case let .numbers(xs): return xs.map(SettingValue.format).joined(separator: ",")
        case let .integers(ns): return ns.map(String.init).joined(separator: ",")
        }
    }

    /// Shortest round-trip text of a Double, without a trailing `.0` for integral values.
    public static func format(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        return "\(x)"
    }

    /// The JSON value written in a run header (lossless: seeds as unsigned integers).
    public var json: JSONValue {
        switch self {
        case let .number(x): return .double(x)
        case let .integer(n): return .int(n)
        case let .seed(n): return JSONValue.integer(n)
        case let .text(s): return .string(s)
        case let .flag(b): return .bool(b)
        case let .numbers(xs): return .array(xs.map { .double($0) })
        case let .integers(ns): return .array(ns.map { .int($0) })
        }
    }

    /// Reads a value of `kind` back from a run header.
    /// - Returns: nil when `json` is not a value of that kind (a fractional integer, a number
    ///   out of range, a string for a number, …); never traps.
    public static func read(_ json: JSONValue, as kind: Setting.Kind) -> SettingValue? {
        switch kind {
        case .number:
            return json.doubleValue.flatMap { $0.isFinite ? .number($0) : nil }
        case .integer:
            return json.exactInt.map { .integer($0) }
        case .seed:
            return json.exactUInt64.map { .seed($0) }
        case .text:
            return json.stringValue.map { .text($0) }
        case .flag:
            if case let .bool(b) = json { return .flag(b) }
            return nil
        case .numbers:
            guard case let .array(items) = json else { return nil }
            let xs = items.compactMap { $0.doubleValue.flatMap { $0.isFinite ? $0 : nil } }
            return xs.count == items.count ? .numbers(xs) : nil
        case .integers:
            guard case let .array(items) = json else { return nil }
            let ns = items.compactMap(\.exactInt)
            return ns.count == items.count ? .integers(ns) : nil
        }
    }
}

/// Values of some ``Setting``s, by key. A missing value means the setting's default.
public struct SettingValues: Sendable, Hashable {
    /// The values given, by key.
    public private(set) var given: [String: SettingValue]

    /// No values (every setting at its default).
    public init(_ given: [String: SettingValue] = [:]) {
        self.given = given
    }

    /// The value given for `setting`, else its default.
    public subscript(_ setting: Setting) -> SettingValue? {
        given[setting.key] ?? setting.defaultValue
    }

    /// Sets (or, with nil, clears) the value of `setting`.
    /// - Precondition: the value has the setting's kind.
    public mutating func set(_ setting: Setting, _ value: SettingValue?) {
        precondition(value.map { $0.matches(setting.kind) } ?? true, "wrong kind of value for \(setting.key)")
        given[setting.key] = value
    }

    /// Whether a value was given for `setting` (not just its default).
    public func has(_ setting: Setting) -> Bool { given[setting.key] != nil }

    /// The number value of `setting` (given or default).
    /// - Precondition: it is a number setting with a value.
    public func number(_ setting: Setting) -> Double { self[setting]!.number! }
    /// The integer value of `setting` (given or default).
    public func integer(_ setting: Setting) -> Int { self[setting]!.integer! }
    /// The seed value of `setting`.
    public func seed(_ setting: Setting) -> UInt64 { self[setting]!.seed! }
    /// The text value of `setting`.
    public func text(_ setting: Setting) -> String { self[setting]!.string! }
    /// The flag value of `setting`.
    public func flag(_ setting: Setting) -> Bool { self[setting]!.bool! }
    /// The number list of `setting`.
    public func numbers(_ setting: Setting) -> [Double] { self[setting]!.numberList! }
    /// The integer list of `setting`.
    public func integers(_ setting: Setting) -> [Int] { self[setting]!.integerList! }
    /// The number value of `setting`, or nil when neither given nor defaulted.
    public func optionalNumber(_ setting: Setting) -> Double? { self[setting]?.number }

    /// Every setting of `settings` that has a value (given or default) as given, so that a record
    /// of these values does not depend on the defaults of a later version.
    public func completed(with settings: [Setting]) -> SettingValues {
        var out = self
        for s in settings where out.given[s.key] == nil { if let d = s.defaultValue { out.given[s.key] = d } }
        return out
    }

    /// Only the values of `settings` (others dropped).
    public func restricted(to settings: [Setting]) -> SettingValues {
        SettingValues(given.filter { key, _ in settings.contains { $0.key == key } })
    }

    /// Checks every given value against `settings`.
    /// - Throws: ``InputError`` (field = the key) for a value of the wrong kind or out of range,
    ///   or for a key that is not one of `settings`.
    public func validate(against settings: [Setting]) throws {
        for (key, value) in given.sorted(by: { $0.key < $1.key }) {
            guard let s = settings.first(where: { $0.key == key }) else {
                throw InputError(field: key, "is not a setting here; valid: \(settings.map(\.key).joined(separator: ", "))")
            }
            if let p = s.problem(with: value) { throw InputError(field: key, p + ", got \(value.text)") }
        }
    }

    /// The header object of the given values only, in `settings` order.
    public func givenJSON(_ settings: [Setting]) -> JSONValue {
        .object(settings.compactMap { s in given[s.key].map { (s.key, $0.json) } })
    }

    /// The header object: every setting of `settings` that has a value, in their order.
    public func json(_ settings: [Setting]) -> JSONValue {
        .object(settings.compactMap { s in self[s].map { (s.key, $0.json) } })
    }

    /// Reads the values of `settings` from a header object; keys not in `settings` are refused.
    /// - Throws: ``InputError`` naming the key and, with `file`, the file.
    public static func read(_ json: JSONValue, settings: [Setting], file: String? = nil) throws -> SettingValues {
        guard case let .object(pairs) = json else { throw InputError("expected an object of settings", file: file) }
        var values = SettingValues()
        for (key, v) in pairs {
            guard let s = settings.first(where: { $0.key == key }) else {
                throw InputError("unknown setting \"\(key)\"" + (settings.isEmpty ? " (there are no settings here)"
                                 : "; valid: \(settings.map(\.key).joined(separator: ", "))"), file: file)
            }
            guard let value = SettingValue.read(v, as: s.kind) else {
                throw InputError("setting \"\(key)\": expected \(s.kind.expectation), got \(v.text)", file: file)
            }
            if let p = s.problem(with: value) { throw InputError("setting \"\(key)\": \(p), got \(value.text)", file: file) }
            values.set(s, value)
        }
        return values
    }
}
