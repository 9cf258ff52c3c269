import Foundation
import PolicyGradient

extension SlurmSweep {
    /// Letters, digits, `_`, `.` and `-`: what names in `#SBATCH` lines may hold here.
    static let nameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"
    /// What a directory written into `#SBATCH --output` and double-quoted shell words may hold
    /// (no spaces, quotes, `$`, `%` — Slurm's file-name patterns — or backslashes).
    static let pathCharacters = nameCharacters + "/+,=@:"

    /// `value` if it is 1 to 1000 characters of `allowed`.
    /// - Throws: ``InputError`` naming `flag` and the allowed characters.
    static func checked(_ flag: String, _ value: String, _ allowed: String) throws -> String {
        guard !value.isEmpty, value.count <= 1000, value.allSatisfy(allowed.contains) else {
            let extra = allowed.dropFirst(62).map(String.init).joined(separator: " ")
            throw InputError("--\(flag): only letters, digits and \(extra) are allowed here (it goes into the job scripts), got '\(value)'")
        }
        return value
    }

    /// A Slurm time limit: `MM`, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM`, `D-HH:MM:SS`, or `UNLIMITED`.
    /// - Throws: ``InputError`` for anything else.
    static func checkedTime(_ text: String) throws -> String {
        if text == "UNLIMITED" || text == "INFINITE" { return text }
        let dayParts = text.split(separator: "-", omittingEmptySubsequences: false)
        let clock = dayParts.last.map { $0.split(separator: ":", omittingEmptySubsequences: false) } ?? []
        let numbers = (dayParts.count == 2 ? [dayParts[0]] : []) + clock
        let ok = dayParts.count <= 2 && (1...3).contains(clock.count)
            && numbers.allSatisfy { !$0.isEmpty && $0.count <= 9 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
        guard ok else {
            throw InputError("--time: expected MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS or UNLIMITED, got '\(text)'")
        }
        return text
    }

    /// A Slurm memory size: digits with an optional K, M, G or T suffix (megabytes without one).
    /// - Throws: ``InputError`` for anything else.
    static func checkedMemory(_ text: String) throws -> String {
        var digits = Substring(text)
        if let last = digits.last, "KMGTkmgt".contains(last) { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw InputError("--mem: expected an integer of megabytes, or with a K, M, G or T suffix (for example 4G), got '\(text)'")
        }
        return text
    }

    /// `path` made absolute against `directory`, with `.`, `..` and repeated slashes resolved.
    static func absolute(_ path: String, in directory: String) -> String {
        let full = path.hasPrefix("/") ? path : directory + "/" + path
        var parts: [Substring] = []
        for p in full.split(separator: "/") where p != "." {
            if p == ".." { _ = parts.popLast() } else { parts.append(p) }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Throws unless `path` is a regular file (after symbolic links) that this process may
    /// execute: the `pg` the jobs run (a directory is "executable" to `access(2)`, but not a program).
    static func checkExecutable(_ path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else { throw InputError("--pg: '\(path)' is not an executable file") }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw InputError("--pg: '\(path)' is " + ((st.st_mode & S_IFMT) == S_IFDIR ? "a directory" : "not a regular file")
                             + ", not an executable file")
        }
        guard access(path, X_OK) == 0 else { throw InputError("--pg: '\(path)' is not an executable file") }
    }

    /// The executable running now (the `pg` a user typed, or a user's own package that calls
    /// `PGCommand.main`, with its own environments registered).
    static var runningExecutable: String {
        Bundle.main.executableURL?.resolvingSymlinksInPath().path ?? CommandLine.arguments.first ?? "pg"
    }

    /// `word` as one shell word: unchanged when it holds only safe characters, else in single quotes.
    static func shellQuoted(_ word: String) -> String {
        let safe = nameCharacters + "/+,=@:%"
        if !word.isEmpty, word.allSatisfy(safe.contains) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
