import PolicyGradient

/// `pg envs`: every environment pg can find, one line each, with where it comes from and its
/// own settings.
enum EnvsCommand {
    static let flags = [RunOptions.envsDirFlag, Flag("help", nil, "show this help")]

    static func run(_ args: [String], output: Output) throws -> Int32 {
        let a = try Arguments(args, flags: flags, command: "envs")
        if a.has("help") {
            output.out(PGCommand.help("pg envs — list environments", usage: "pg envs [--envs-dir DIR]",
                                      sections: [("OPTIONS", flags)]))
            return 0
        }
        try a.rejectPositionals(command: "envs")
        var user: String?
        if let d = a.string("envs-dir") {
            guard RunOptions.isDirectory(d) else { throw InputError("--envs-dir: no such directory '\(d)'") }
            user = d
        }
        let list = EnvironmentRegistry.list(directories: RunOptions.directories(user: user))
        let width = (list.map(\.name.count).max() ?? 0) + 2
        let shipped = EnvsDirectory.shipped
        for e in list {
            let source = RunOptions.samePath(e.source, shipped) ? "shipped" : e.source
            var line = e.name.padding(toLength: width, withPad: " ", startingAt: 0) + e.description
            if !e.settings.isEmpty { line += " [" + e.settings.map { FlagNames.flag($0.key) }.joined(separator: " ") + "]" }
            line += " (\(source))"
            output.line(line)
        }
        return 0
    }
}
