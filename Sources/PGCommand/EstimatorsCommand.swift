import PolicyGradient

/// `pg estimators`: every estimator pg knows (the built-ins and those a package registers), one
/// line each: its name, what it claims of its mean, its settings and its one-line summary.
enum EstimatorsCommand {
    static let flags = [Flag("help", nil, "show this help")]

    static func run(_ args: [String], output: Output) throws -> Int32 {
        let a = try Arguments(args, flags: flags, command: "estimators")
        if a.has("help") {
            output.out(PGCommand.help("pg estimators — list estimators, with their claims and settings", usage: "pg estimators",
                                      sections: [("OPTIONS", flags)]))
            return 0
        }
        try a.rejectPositionals(command: "estimators")
        output.out(listing())
        return 0
    }

    /// The listing: `name  claim  summary [--settings] (aliases)`, one estimator a line.
    static func listing() -> String {
        let all = EstimatorRegistry.all
        let width = (all.map(\.name.count).max() ?? 0) + 2
        return all.map { d in
            let claim = d.claim(SettingValues()).name
            var line = d.name.padding(toLength: width, withPad: " ", startingAt: 0) + claim.padding(toLength: 10, withPad: " ", startingAt: 0)
                + d.summary
            if !d.settings.isEmpty { line += " [" + d.settings.map { FlagNames.flag($0.key) }.joined(separator: " ") + "]" }
            if !d.aliases.isEmpty { line += " (also " + d.aliases.joined(separator: ", ") + ")" }
            return line + "\n"
        }.joined()
    }
}
