import PolicyGradient

extension Flag {
    /// The flag of a setting: `--key-with-dashes VALUE`, its help ending in the default.
    init(_ s: Setting) {
        self.init(s.flag, s.placeholder, s.helpWithDefault)
    }
}

extension Arguments {
    /// The values of those of `settings` that were given as flags.
    /// - Throws: ``InputError`` (field = the key) for a value that does not parse or is out of range.
    func values(of settings: [Setting]) throws -> SettingValues {
        var v = SettingValues()
        for s in settings { if let text = string(s.flag) { v.set(s, try s.parse(text)) } }
        return v
    }

    /// The values of `settings` for a sweep: a number or integer setting may be a comma list
    /// (one variant per value); other kinds give one value.
    /// - Throws: ``InputError`` for a value that does not parse or is out of range.
    func sweepValues(of settings: [Setting]) throws -> [(setting: Setting, values: [SettingValue])] {
        try settings.compactMap { s in
            guard let text = string(s.flag) else { return nil }
            switch s.kind {
            case .number, .integer:
                let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                let values = try parts.map { try s.parse($0) }
                if Set(values).count != values.count {
                    throw InputError(field: s.key, "a value is listed twice in '\(text)'")
                }
                return (s, values)
            default:
                return (s, [try s.parse(text)])
            }
        }
    }

    /// Those of `settings` that were given.
    func given(_ settings: [Setting]) -> [Setting] { settings.filter { has($0.flag) } }
}

/// Maps the library's words to the command line's: a setting's key to its flag.
enum FlagNames {
    /// `--key-with-dashes`.
    static func flag(_ key: String) -> String { "--" + key.replacingOccurrences(of: "_", with: "-") }

    /// The one line of an error: a field's message under its flag, other settings it mentions
    /// named as flags too.
    static func render(_ e: InputError) -> String {
        var e = e
        for key in e.mentions { e.message = e.message.replacingOccurrences(of: key, with: flag(key)) }
        guard let field = e.field else { return e.description }
        return flag(field) + ": " + e.message
    }
}
