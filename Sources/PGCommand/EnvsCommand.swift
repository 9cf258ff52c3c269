import PolicyGradient

/// `pg envs`: the built-in environments and the environment files, one line each.
enum EnvsCommand {
    static let flags = [Flag("envs-dir", "DIR", "directory of environment files (default envs)"),
                        Flag("help", nil, "show this help")]

    static func run(_ args: [String], output: Output) throws -> Int32 {
        let a = try Arguments(args, flags: flags, command: "envs")
        if a.has("help") {
            output.out(PGCommand.help("pg envs — list environments", usage: "pg envs [--envs-dir DIR]",
                                      sections: [("OPTIONS", flags)]))
            return 0
        }
        try a.rejectPositionals(command: "envs")
        if let d = a.string("envs-dir"), !RunOptions.isDirectory(d) {
            throw InputError("--envs-dir: no such directory '\(d)'")
        }
        let list = EnvironmentRegistry.list(directory: a.string("envs-dir") ?? EnvsDirectory.path)
        let width = (list.map(\.name.count).max() ?? 0) + 2
        for e in list { output.line(e.name.padding(toLength: width, withPad: " ", startingAt: 0) + e.description) }
        return 0
    }
}
