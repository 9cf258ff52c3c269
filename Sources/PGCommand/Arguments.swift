import PolicyGradient

/// One command-line flag: its name (without `--`), whether it takes a value, and its help.
struct Flag {
    let name: String
    let value: String?
    let help: String
    init(_ name: String, _ value: String? = nil, _ help: String) {
        self.name = name
        self.value = value
        self.help = help
    }
}

/// Parsed `--flag value`, `--flag=value` and bare `--switch` arguments, plus positionals.
struct Arguments {
    private(set) var values: [String: String] = [:]
    private(set) var positionals: [String] = []

    /// Parses `args` against the known flags.
    /// - Throws: ``InputError`` for unknown flags (listing the valid ones) and missing values.
    init(_ args: [String], flags: [Flag], command: String) throws {
        var i = 0
        while i < args.count {
            let arg = args[i]
            i += 1
            if arg == "-h", flags.contains(where: { $0.name == "help" }) {  // -h is --help everywhere
                values["help"] = "true"
                continue
            }
            guard arg.hasPrefix("--"), arg.count > 2 else {
                if arg.hasPrefix("-") && arg.count > 1 && Double(arg) == nil {
                    throw InputError("unknown option '\(arg)' for pg \(command); valid: \(Arguments.names(flags))")
                }
                positionals.append(arg)
                continue
            }
            var name = String(arg.dropFirst(2)), inline: String?
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let flag = flags.first(where: { $0.name == name }) else {
                throw InputError("unknown option '--\(name)' for pg \(command); valid: \(Arguments.names(flags))")
            }
            if flag.value == nil {
                if inline != nil { throw InputError("--\(name) takes no value") }
                values[name] = "true"
            } else if let inline {
                values[name] = inline
            } else {
                guard i < args.count else { throw InputError("--\(name) needs a value (\(flag.value!))") }
                if args[i].hasPrefix("--") && args[i].count > 2 {
                    throw InputError("--\(name) needs a value (\(flag.value!)), got the option '\(args[i])'")
                }
                values[name] = args[i]
                i += 1
            }
        }
    }

    /// The same arguments without `names` (for handing the rest to a shared reader such as
    /// ``RunOptions`` when a command gives those flags another meaning, e.g. a list).
    func removing(_ names: Set<String>) -> Arguments {
        var copy = self
        for n in names { copy.values[n] = nil }
        return copy
    }

    /// A comma-separated list of names.
    func list(_ name: String) -> [String]? {
        values[name].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    static func names(_ flags: [Flag]) -> String { flags.map { "--" + $0.name }.joined(separator: ", ") }

    /// Throws if there were arguments that are not flags (commands that take none).
    func rejectPositionals(command: String) throws {
        guard let first = positionals.first else { return }
        throw InputError("unexpected argument '\(first)' for pg \(command); options start with -- (see pg \(command) --help)")
    }

    /// Whether a flag was given.
    func has(_ name: String) -> Bool { values[name] != nil }

    /// A string flag.
    func string(_ name: String) -> String? { values[name] }

    /// A number flag (pg's one number grammar, ``NumberSyntax``).
    func double(_ name: String) throws -> Double? {
        guard let s = values[name] else { return nil }
        guard let x = NumberSyntax.double(s) else {
            throw InputError("--\(name): expected a finite number, got '\(s)'" + NumberSyntax.hint(s))
        }
        return x
    }

    /// An integer flag (``NumberSyntax``).
    func int(_ name: String) throws -> Int? {
        guard let s = values[name] else { return nil }
        guard let x = NumberSyntax.int(s) else { throw InputError("--\(name): expected an integer, got '\(s)'" + NumberSyntax.hint(s)) }
        return x
    }

    /// A non-negative 64-bit seed (``NumberSyntax``).
    func seed(_ name: String) throws -> UInt64? {
        guard let s = values[name] else { return nil }
        guard let x = NumberSyntax.uint64(s) else {
            throw InputError("--\(name): expected a non-negative integer, got '\(s)'" + NumberSyntax.hint(s))
        }
        return x
    }

    /// A comma-separated list of numbers (``NumberSyntax``; no spaces).
    func doubles(_ name: String) throws -> [Double]? {
        guard let s = values[name] else { return nil }
        let parts = s.split(separator: ",", omittingEmptySubsequences: false)
        return try parts.map {
            guard let x = NumberSyntax.double($0) else {
                throw InputError("--\(name): expected finite numbers separated by commas, got '\(s)'" + NumberSyntax.hint($0))
            }
            return x
        }
    }

    /// A comma-separated list of positive integers (``NumberSyntax``; no spaces).
    func ints(_ name: String) throws -> [Int]? {
        guard let s = values[name] else { return nil }
        return try s.split(separator: ",", omittingEmptySubsequences: false).map {
            guard let x = NumberSyntax.int($0), x > 0 else {
                throw InputError("--\(name): expected positive integers separated by commas, got '\(s)'" + NumberSyntax.hint($0))
            }
            return x
        }
    }

    /// A choice among an enum's raw values.
    func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let s = values[name] else { return nil }
        guard let v = T(rawValue: s) else {
            throw InputError("--\(name): unknown value '\(s)'; valid: \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return v
    }

    /// A boolean given as a value (`true`/`false`, `yes`/`no`, `1`/`0`).
    func bool(_ name: String) throws -> Bool? {
        guard let s = values[name] else { return nil }
        switch s.lowercased() {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default: throw InputError("--\(name): expected true or false, got '\(s)'")
        }
    }
}

import Foundation
