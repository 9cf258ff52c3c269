import Foundation

extension PGCommand {
    /// One command's help as ``help(_:usage:sections:)`` received it: what `pg help --markdown`
    /// renders.
    struct HelpPage {
        var title: String
        var usage: String
        var sections: [(String, [Flag])]
    }

    /// While set, ``help(_:usage:sections:)`` appends every page it formats here.
    nonisolated(unsafe) static var recordedHelp: [HelpPage]?

    /// The exit statuses of every command, as the README and the command reference list them.
    static let exitStatuses: [(status: Int32, meaning: String)] = [
        (0, "success (`pg check`: every check passed; `pg rerun`: the logs are identical)"),
        (1, "the run failed: it diverged (a NaN or infinite return, gradient norm or parameter; the summary line says "
            + "`\"status\":\"diverged\"` and names the problem), `pg check` found a problem, `pg rerun` found a difference, "
            + "an output could not be written (a full disk, an I/O error, a closed or full standard output), or `pg sweep` "
            + "could not submit"),
        (2, "bad input: an unknown command, flag, value or environment, a malformed or out-of-range number (RFC 8259's "
            + "grammar: no spaces, no leading `+` or zeros), a malformed or too large input file or one of the wrong kind, a "
            + "run whose estimated memory exceeds `--memory-limit` (a limit above the machine's memory is lowered to it) or "
            + "whose log, checkpoint or compare file could exceed what pg reads back (256 MiB), or an output path that is "
            + "taken or cannot be created; one line on standard error names it and the valid choices, and nothing has been run"),
        (130, "interrupted by SIGINT (Ctrl-C) or SIGTERM: `train`, `compare` and `variance` first write what completed, "
            + "marked `interrupted`; a compare file being written when the signal comes is removed (whole or absent); "
            + "`pg rerun` gives no verdict"),
        (141, "standard output is a pipe whose reader stopped reading (`pg envs | head -1`): pg stops printing and still "
            + "finishes its logs"),
    ]

    /// The exit statuses as a Markdown table.
    static var exitStatusTable: String {
        "| status | meaning |\n|---|---|\n"
            + exitStatuses.map { "| \($0.status) | \($0.meaning.replacingOccurrences(of: "|", with: "\\|")) |\n" }.joined()
    }

    /// `pg help --markdown`: every command and option, rendered from the flags and settings that
    /// define them, as the command-reference article of the documentation catalogue
    /// (`Sources/PolicyGradient/PolicyGradient.docc/CommandReference.md`, which a test holds to
    /// this rendering).
    static func markdownReference() -> String {
        recordedHelp = []
        defer { recordedHelp = nil }
        let quiet = Output(out: { _ in }, err: { _ in })
        for c in subcommands { _ = run([c.name, "--help"], output: quiet, name: "pg") }
        let pages = recordedHelp ?? []
        var s = """
        # Command reference

        Every command and option of `pg`, with its default.

        ## Overview

        This page is rendered by `pg help --markdown` from the settings that define the options, so it \
        says what `pg COMMAND --help` says. After changing an option, regenerate it with \
        `swift run pg help --markdown > Sources/PolicyGradient/PolicyGradient.docc/CommandReference.md` \
        (a test holds the committed page to the rendering).

        `pg [COMMAND] [OPTIONS]`; `train` is the default command, and `-h` is `--help` everywhere.

        | command | what it does |
        |---|---|

        """
        for c in subcommands { s += "| `\(c.name)` | \(markdownEscaped(c.help)) |\n" }
        s += "\n## Exit status\n\n" + exitStatusTable
        for page in pages { s += "\n" + markdown(page) }
        return s
    }

    /// One command's section: its name and summary, its usage, and a table per group of options.
    static func markdown(_ page: HelpPage) -> String {
        let parts = page.title.components(separatedBy: " — ")
        var s = "## \(parts[0])\n\n"
        if parts.count > 1 { s += markdownEscaped(parts.dropFirst().joined(separator: " — ")).capitalizingFirst + ".\n\n" }
        let blocks = page.usage.components(separatedBy: "\n\n")
        s += "```\n" + blocks[0] + "\n```\n"
        for paragraph in blocks.dropFirst() { s += "\n" + markdownEscaped(paragraph.replacingOccurrences(of: "\n", with: " ")) + "\n" }
        for (name, flags) in page.sections {
            s += "\n### " + sectionTitle(name) + "\n\n| option | meaning |\n|---|---|\n"
            for f in flags {
                let option = "--" + f.name + (f.value.map { " " + $0 } ?? "")
                s += "| `" + option.replacingOccurrences(of: "|", with: "\\|") + "` | " + markdownEscaped(f.help) + " |\n"
            }
        }
        return s
    }

    /// "ESTIMATOR SETTINGS (a number may be a list)" → "Estimator settings (a number may be a list)".
    static func sectionTitle(_ name: String) -> String {
        let head = name.prefix { $0 != "(" }
        return markdownEscaped(head.lowercased().capitalizingFirst + name.dropFirst(head.count))
    }

    /// `text` with the characters Markdown would read as markup (and a table's `|`) escaped.
    static func markdownEscaped(_ text: String) -> String {
        var out = ""
        for ch in text {
            if "\\`*_[]<>|#".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}

extension String {
    /// The string with its first character uppercased.
    var capitalizingFirst: String { prefix(1).uppercased() + dropFirst() }
}
