import Foundation

/// Reads the header of a gridworld map file (see ``GridMap`` for the format); the grid rows
/// are read in `GridMapParser+Grid.swift`.
struct GridMapParser {
    /// A header value and where it was written.
    struct Entry {
        var value: String
        var line: Int
        var keyColumn: Int
        var valueColumn: Int
    }

    /// A whitespace-separated word of a value and its 1-based column.
    struct Token {
        var text: String
        var column: Int
    }

    /// The header keys, in the order error messages list them.
    static let keys = ["name", "description", "actions", "success-rate", "step-reward", "goal-reward",
                       "hole-reward", "cliff", "cliff-reward", "terminal-rows", "time-limit"]
    /// Characters with a built-in meaning in the grid.
    static let builtInCells: Set<Character> = ["S", "F", ".", "H", "G", "C", "#"]

    let file: String
    /// The file's UTF-8 bytes.
    let bytes: [UInt8]
    /// The byte range of every line, without its line break (`\n` or `\r\n`); a last empty
    /// line (after a final line break) is not listed.
    let lineRanges: [Range<Int>]
    /// The longest header line read, in bytes (longer comment lines are skipped unread).
    static let maximumHeaderLineBytes = 65_536

    init(text: String, file: String) {
        self.file = file
        bytes = Array(text.utf8)
        var ranges: [Range<Int>] = [], start = 0
        bytes.withUnsafeBufferPointer { b in
            while start < b.count, let p = memchr(b.baseAddress! + start, 0x0A, b.count - start) {
                let i = b.baseAddress!.distance(to: p.assumingMemoryBound(to: UInt8.self))
                // "\r\n" is one Character in Swift, so it is a separator of its own.
                ranges.append(start..<(i > start && b[i - 1] == 0x0D ? i - 1 : i))
                start = i + 1
            }
        }
        if start < bytes.count { ranges.append(start..<bytes.count) }
        lineRanges = ranges
    }

    /// Line `index` (0-based) as Characters: header lines only, which are short.
    func characters(ofLine index: Int) -> [Character] {
        Array(String(decoding: bytes[lineRanges[index]], as: UTF8.self))
    }

    func error(_ message: String, line: Int, column: Int) -> InputError {
        InputError(message, file: file, line: line, column: column)
    }

    func parse() throws -> GridMap {
        let (entries, legend, mapLine) = try readHeader()
        func required(_ key: String) throws -> Entry {
            guard let e = entries[key] else {
                throw error("missing required key '\(key):' before 'map:'", line: mapLine, column: 1)
            }
            return e
        }
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        if let name = entries["name"], name.value != stem {
            throw error("name '\(name.value)' differs from the file name '\(stem)': an environment file's id is its "
                        + "file name (drop the name key or rename the file)", line: name.line, column: name.valueColumn)
        }
        let actions = try directions(required("actions"))
        let rate = try entries["success-rate"].map(probability) ?? 1
        if rate < 1, abs(actions.firstIndex(of: .left)! - actions.firstIndex(of: .right)!) != 2 {
            let e = entries["actions"]!
            throw error("with success-rate < 1 the actions must go round the compass (for example "
                        + "'left down right up') so that neighbouring actions are perpendicular",
                        line: e.line, column: e.valueColumn)
        }
        func reward(_ key: String, _ fallback: Double) throws -> Double {
            try entries[key].map(number) ?? fallback
        }
        let rewards = try (step: reward("step-reward", 0), goal: reward("goal-reward", 1),
                           hole: reward("hole-reward", 0), cliff: reward("cliff-reward", -100))
        let grid = try readGrid(after: mapLine, legend: legend)
        let map = GridMap(
            name: stem, description: entries["description"]?.value ?? "", actions: actions,
            successRate: rate, rewards: rewards,
            cliff: try entries["cliff"].map { try choice($0, GridMap.CliffRule.self) } ?? .restart,
            terminalRows: try entries["terminal-rows"].map { try choice($0, GridMap.TerminalRows.self) }
                ?? .absorbing,
            timeLimit: try timeLimit(required("time-limit")),
            rows: grid.rowLines.count, columns: grid.columns, cells: grid.cells)
        try checkReachable(map, rowLines: grid.rowLines, mapLine: mapLine)
        let outcomes = map.outcomeCount
        if outcomes > GridMap.maximumOutcomes {
            throw error("the map's transition table would have \(outcomes) entries (every move into a restarting cliff "
                        + "has one per start cell); pg builds at most \(GridMap.maximumOutcomes)", line: mapLine, column: 1)
        }
        return map
    }

    // MARK: Header lines

    /// Reads `key: value` lines up to `map:`; returns the entries, the legend and the `map:` line.
    func readHeader() throws -> ([String: Entry], [Character: GridCell], Int) {
        var entries: [String: Entry] = [:], legend: [Character: GridCell] = [:]
        var legendLines: [Character: Int] = [:]
        for i in lineRanges.indices {
            let range = lineRanges[i]
            if range.count > Self.maximumHeaderLineBytes {
                let first = bytes[range].first { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
                if first == UInt8(ascii: "#") { continue }
                throw error("header line of \(range.count) bytes; header lines are at most \(Self.maximumHeaderLineBytes) "
                            + "bytes (is the 'map:' line missing?)", line: i + 1, column: 1)
            }
            let line = characters(ofLine: i)
            guard let first = line.firstIndex(where: { !$0.isWhitespace }), line[first] != "#" else { continue }
            let (key, entry) = try keyValue(line, line: i + 1, first: first)
            if key == "map" {
                guard entry.value.isEmpty else {
                    throw error("'map:' takes no value; the grid rows start on the next line",
                                line: entry.line, column: entry.valueColumn)
                }
                return (entries, legend, i + 1)
            }
            if key == "cell" || key.hasPrefix("cell ") {
                let (symbol, cell) = try legendCell(key: key, entry)
                if let previous = legendLines[symbol] {
                    throw error("duplicate key '\(key)' (first given on line \(previous))",
                                line: i + 1, column: entry.keyColumn)
                }
                legend[symbol] = cell
                legendLines[symbol] = i + 1
                continue
            }
            guard Self.keys.contains(key) else {
                let hint = key == "slip" ? " (write 'success-rate: 1 - slip', e.g. 'success-rate: 1/3')" : ""
                throw error("unknown key '\(key)'\(hint); valid keys: \(Self.keys.joined(separator: ", ")), "
                            + "'cell X', and 'map:'", line: i + 1, column: entry.keyColumn)
            }
            if let previous = entries[key] {
                throw error("duplicate key '\(key)' (first given on line \(previous.line))",
                            line: i + 1, column: entry.keyColumn)
            }
            entries[key] = entry
        }
        throw error("missing 'map:' line followed by the grid rows", line: max(lineRanges.count, 1), column: 1)
    }

    /// Splits a header line at its first colon; `first` is the index of its first non-blank character.
    func keyValue(_ line: [Character], line number: Int, first: Int) throws -> (String, Entry) {
        guard let colon = line[first...].firstIndex(of: ":") else {
            throw error("expected 'key: value' or 'map:'", line: number, column: first + 1)
        }
        let key = String(line[first..<colon]).trimmedTrailing()
        let start = line[(colon + 1)...].firstIndex(where: { !$0.isWhitespace }) ?? line.count
        return (key, Entry(value: String(line[start...]).trimmedTrailing(), line: number,
                           keyColumn: first + 1, valueColumn: start + 1))
    }

    /// Parses `cell X: reward r [terminal]`.
    func legendCell(key: String, _ entry: Entry) throws -> (Character, GridCell) {
        let symbolText = key.dropFirst(4).drop(while: \.isWhitespace)
        guard symbolText.count == 1, let symbol = symbolText.first else {
            throw error("expected 'cell X: reward r' with X a single character",
                        line: entry.line, column: entry.keyColumn)
        }
        guard !Self.builtInCells.contains(symbol) else {
            throw error("'\(symbol)' is a built-in cell (S F . H G C #); choose another character",
                        line: entry.line, column: entry.keyColumn + key.count - 1)
        }
        let words = tokens(entry)
        guard words.count == 2 || (words.count == 3 && words[2].text == "terminal"),
              words[0].text == "reward" else {
            throw error("expected 'reward r' or 'reward r terminal' after 'cell \(symbol):'",
                        line: entry.line, column: entry.valueColumn)
        }
        let value = try number(words[1].text, line: entry.line, column: words[1].column)
        return (symbol, .custom(symbol: symbol, reward: value, terminal: words.count == 3))
    }

    // MARK: Values

    func tokens(_ entry: Entry) -> [Token] {
        var result: [Token] = [], column = entry.valueColumn, current = ""
        for ch in entry.value {
            if ch.isWhitespace {
                if !current.isEmpty { result.append(Token(text: current, column: column - current.count)) }
                current = ""
            } else {
                current.append(ch)
            }
            column += 1
        }
        if !current.isEmpty { result.append(Token(text: current, column: column - current.count)) }
        return result
    }

    func number(_ entry: Entry) throws -> Double {
        try number(entry.value, line: entry.line, column: entry.valueColumn)
    }

    func number(_ text: String, line: Int, column: Int) throws -> Double {
        guard let value = Self.parseNumber(text) else {
            throw error("'\(text)' is not a number (write a decimal such as -0.5 or a fraction such as 1/3)",
                        line: line, column: column)
        }
        return value
    }

    /// A finite decimal, or a fraction `p/q` evaluated as `Double(p) / Double(q)`.
    static func parseNumber(_ text: String) -> Double? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let p = Double(parts[0]) else { return nil }
        var value = p
        if parts.count == 2 {
            guard let q = Double(parts[1]), q != 0 else { return nil }
            value = p / q
        }
        return value.isFinite ? value : nil
    }

    func probability(_ entry: Entry) throws -> Double {
        let p = try number(entry)
        guard p >= 0, p <= 1 else {
            throw error("probability \(entry.value) is out of [0, 1]", line: entry.line, column: entry.valueColumn)
        }
        return p
    }

    func timeLimit(_ entry: Entry) throws -> Int {
        guard let n = Int(entry.value), n > 0 else {
            throw error("time-limit must be a positive integer (pg computes exact gradients for this "
                        + "horizon), not '\(entry.value)'", line: entry.line, column: entry.valueColumn)
        }
        guard n <= GridMap.maximumTimeLimit else {
            throw error("time-limit must be at most \(GridMap.maximumTimeLimit) steps, got \(n)",
                        line: entry.line, column: entry.valueColumn)
        }
        return n
    }

    func choice<T: RawRepresentable & CaseIterable>(_ entry: Entry, _ type: T.Type) throws -> T
    where T.RawValue == String {
        guard let value = T(rawValue: entry.value) else {
            let valid = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw error("unknown value '\(entry.value)'; valid values: \(valid)",
                        line: entry.line, column: entry.valueColumn)
        }
        return value
    }

    func directions(_ entry: Entry) throws -> [GridDirection] {
        var result: [GridDirection] = []
        for word in tokens(entry) {
            guard let d = GridDirection(rawValue: word.text) else {
                throw error("unknown action '\(word.text)'; valid actions: up, down, left, right",
                            line: entry.line, column: word.column)
            }
            guard !result.contains(d) else {
                throw error("action '\(word.text)' is listed twice", line: entry.line, column: word.column)
            }
            result.append(d)
        }
        guard result.count == 4 else {
            throw error("actions must list up, down, left and right, each exactly once",
                        line: entry.line, column: entry.valueColumn)
        }
        return result
    }
}

extension String {
    /// The string without trailing whitespace.
    func trimmedTrailing() -> String {
        var s = self[...]
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
