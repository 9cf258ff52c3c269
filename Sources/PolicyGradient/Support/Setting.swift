/// One named, typed setting of a run: a field of the run header (its ``key``, snake_case) and,
/// on the command line, the flag `--key-with-dashes`.
///
/// A setting states its default exactly once, where the value lives (the type that owns it
/// declares it as a static constant), and the command line renders its help from it, as
/// swift-argument-parser's `@Option var decay: Double = 0.9` does.
///
/// ```swift
/// static let decay = Setting(key: "decay", number: 0.9, placeholder: "B",
///                            help: "decay of the moving average") { $0 >= 0 && $0 < 1 ? nil : "must be in [0, 1)" }
/// ```
public struct Setting: Sendable {
    /// What kind of value a setting holds.
    public enum Kind: Sendable, Equatable {
        /// A finite Double.
        case number
        /// An Int.
        case integer
        /// A UInt64 (seeds).
        case seed
        /// A string; with `choices`, one of them.
        case text(choices: [String]?)
        /// true or false.
        case flag
        /// A comma-separated list of finite Doubles.
        case numbers
        /// A comma-separated list of Ints.
        case integers
    }

    /// The header field and library name, snake_case (`lr_min`).
    public let key: String
    /// The value's kind.
    public let kind: Kind
    /// The default (nil: the setting is absent unless given, or its default is derived from
    /// other settings, as ``defaultText`` says).
    public let defaultValue: SettingValue?
    /// How the help describes a default that is not a plain value (`lr/10`), if any.
    public let defaultText: String?
    /// The value's placeholder in help (`A`, `N`, `T[,T...]`).
    public let placeholder: String
    /// One line of help, without the default (the help renders it).
    public let help: String
    let check: @Sendable (SettingValue) -> String?

    /// Creates a setting.
    /// - Parameters:
    ///   - key: the header field, snake_case.
    ///   - kind: the value's kind.
    ///   - defaultValue: the default, if any; it must pass `check`.
    ///   - defaultText: a description of a derived default.
    ///   - placeholder: the value's placeholder in help.
    ///   - help: one line of help.
    ///   - check: returns nil for a valid value, else what is wrong ("must be in [0, 1)").
    /// - Precondition: the key is snake_case ASCII; the default has the setting's kind and passes `check`.
    public init(key: String, kind: Kind, defaultValue: SettingValue?, defaultText: String? = nil, placeholder: String,
                help: String, check: @escaping @Sendable (SettingValue) -> String? = { _ in nil }) {
        precondition(!key.isEmpty && key.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") },
                     "a setting key is snake_case ASCII, got \(key)")
        self.key = key
        self.kind = kind
        self.defaultValue = defaultValue
        self.defaultText = defaultText
        self.placeholder = placeholder
        self.help = help
        self.check = check
        if let d = defaultValue {
            precondition(d.matches(kind), "the default of \(key) has the wrong kind")
            precondition(check(d) == nil, "the default of \(key) fails its own check: \(check(d) ?? "")")
        }
    }

    /// The command-line flag, without the leading `--` (`lr-min`).
    public var flag: String { key.replacingOccurrences(of: "_", with: "-") }

    /// A number setting.
    public init(key: String, number: Double?, defaultText: String? = nil, placeholder: String = "X", help: String,
                check: @escaping @Sendable (Double) -> String? = { _ in nil }) {
        self.init(key: key, kind: .number, defaultValue: number.map { .number($0) }, defaultText: defaultText,
                  placeholder: placeholder, help: help) { v in v.number.map(check) ?? "expected a number" }
    }

    /// An integer setting.
    public init(key: String, integer: Int?, defaultText: String? = nil, placeholder: String = "N", help: String,
                check: @escaping @Sendable (Int) -> String? = { _ in nil }) {
        self.init(key: key, kind: .integer, defaultValue: integer.map { .integer($0) }, defaultText: defaultText,
                  placeholder: placeholder, help: help) { v in v.integer.map(check) ?? "expected an integer" }
    }

    /// A choice among fixed strings.
    public init(key: String, choice: String?, among choices: [String], defaultText: String? = nil, help: String) {
        self.init(key: key, kind: .text(choices: choices), defaultValue: choice.map { .text($0) }, defaultText: defaultText,
                  placeholder: choices.joined(separator: "|"), help: help)
    }

    /// Checks a value of this setting.
    /// - Returns: nil if valid, else what is wrong (without the key).
    public func problem(with value: SettingValue) -> String? {
        guard value.matches(kind) else { return "expected \(kind.expectation)" }
        if case let .text(choices?) = kind, case let .text(s) = value, !choices.contains(s) {
            return "unknown value '\(s)'; valid: \(choices.joined(separator: ", "))"
        }
        return check(value)
    }

    /// Parses a command-line or text value of this setting. Numbers are read in pg's one number
    /// grammar (``NumberSyntax``: no spaces, no leading `+` or zeros), lists as such numbers
    /// separated by single commas; `true`/`false` (`yes`/`no`, `1`/`0`) in any case, without spaces.
    /// - Throws: ``InputError`` (field ``key``) naming what was expected.
    public func parse(_ text: String) throws -> SettingValue {
        func fail(_ what: String) -> InputError { InputError(field: key, what) }
        let value: SettingValue
        switch kind {
        case .number:
            guard let x = NumberSyntax.double(text) else {
                throw fail("expected a finite number, got '\(text)'" + NumberSyntax.hint(text))
            }
            value = .number(x)
        case .integer:
            guard let n = NumberSyntax.int(text) else { throw fail("expected an integer, got '\(text)'" + NumberSyntax.hint(text)) }
            value = .integer(n)
        case .seed:
            guard let n = NumberSyntax.uint64(text) else {
                throw fail("expected an integer in 0...18446744073709551615, got '\(text)'" + NumberSyntax.hint(text))
            }
            value = .seed(n)
        case .text:
            value = .text(text)
        case .flag:
            switch text.lowercased() {
            case "true", "yes", "1": value = .flag(true)
            case "false", "no", "0": value = .flag(false)
            default: throw fail("expected true or false, got '\(text)'")
            }
        case .numbers:
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            value = .numbers(try parts.map {
                guard let x = NumberSyntax.double($0) else {
                    throw fail("expected finite numbers separated by commas, got '\(text)'" + NumberSyntax.hint($0))
                }
                return x
            })
        case .integers:
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            value = .integers(try parts.map {
                guard let n = NumberSyntax.int($0) else {
                    throw fail("expected integers separated by commas, got '\(text)'" + NumberSyntax.hint($0))
                }
                return n
            })
        }
        if case let .text(choices?) = kind, !choices.contains(text) {
            throw fail("unknown value '\(text)'; valid: \(choices.joined(separator: ", "))")
        }
        if let p = problem(with: value) { throw fail(p + ", got \(value.text)") }
        return value
    }

    /// The default as help shows it: the value, or ``defaultText``, or nil.
    public var defaultDescription: String? { defaultText ?? defaultValue?.text }

    /// The help line with the default appended (`learning rate (default 0.1)`).
    public var helpWithDefault: String {
        guard let d = defaultDescription else { return help }
        return help + " (default \(d))"
    }
}

extension Setting.Kind {
    /// "a finite number", "an integer", …
    var expectation: String {
        switch self {
        case .number: return "a finite number"
        case .integer: return "an integer"
        case .seed: return "an integer in 0...18446744073709551615"
        case .text(let choices): return choices.map { "one of \($0.joined(separator: ", "))" } ?? "a string"
        case .flag: return "true or false"
        case .numbers: return "numbers separated by commas"
        case .integers: return "integers separated by commas"
        }
    }
}

import Foundation
