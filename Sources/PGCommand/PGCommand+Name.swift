extension PGCommand {
    /// `text` with the executable's ``name`` for `pg` where `pg` names the command line: before a
    /// subcommand (`pg compare`), `[`, `COMMAND`, an option (`pg --help`) or a title's dash, at the start of the
    /// text or after a blank, a quote or a parenthesis. Prose about the framework (`pg computes
    /// exact gradients`) and paths (`runs/pg-…`) keep their words.
    /// - Complexity: O(text).
    static func renamed(_ text: String) -> String {
        guard name != "pg", text.contains("pg ") else { return text }
        let chars = Array(text)
        var out = "", i = 0
        while i < chars.count {
            if chars[i] == "p", i + 2 < chars.count, chars[i + 1] == "g", chars[i + 2] == " ",
               i == 0 || " \n\t('\"`".contains(chars[i - 1]), namesCommand(chars, from: i + 3) {
                out += name
                i += 2
                continue
            }
            out.append(chars[i])
            i += 1
        }
        return out
    }

    /// Whether the characters from `start` begin with a subcommand's name (as a whole word),
    /// `[`, `COMMAND`, `-` or `—`.
    static func namesCommand(_ chars: [Character], from start: Int) -> Bool {
        guard start < chars.count else { return false }
        if chars[start] == "[" || chars[start] == "-" || chars[start] == "—" { return true }
        for word in subcommands.map(\.name) + ["COMMAND", "help"] {
            let end = start + word.count
            guard end <= chars.count, String(chars[start..<end]) == word else { continue }
            if end == chars.count || !(chars[end].isLetter || chars[end].isNumber) { return true }
        }
        return false
    }

    /// `text` as one line: every control character (a line break, a tab, an escape, DEL, …) and
    /// every Unicode line or paragraph separator and bidirectional override written as an escape
    /// (`\n`, `\t`, `\r`, `\u{1B}`), so that an echoed value can never split pg's one-line
    /// error, drive a terminal or reorder what it shows.
    /// - Complexity: O(text).
    static func oneLine(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for u in text.unicodeScalars {
            switch u {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let category = u.properties.generalCategory
                let bidi = (0x202A...0x202E).contains(u.value) || (0x2066...0x2069).contains(u.value)
                if category == .control || category == .lineSeparator || category == .paragraphSeparator || bidi {
                    out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }
}

/// `1 seed`, `2 seeds`: a count and its noun, plural unless the count is 1 (`plural` for
/// nouns that do not just take an `s`).
func counted(_ n: Int, _ noun: String, plural: String? = nil) -> String {
    "\(n) " + (n == 1 ? noun : plural ?? noun + "s")
}
