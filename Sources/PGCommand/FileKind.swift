import PolicyGradient

/// What a file pg writes turns out to be, told from its contents, so that a file given to the
/// wrong command is named for what it is — `runs/x.checkpoint.json is a checkpoint (pg train
/// saves it; pg eval, pg train --init, pg variance --at and pg plot --policy read it), not a
/// JSONL log` — instead of a parse error at the first place where the formats differ.
enum FileKind: Equatable {
    case checkpoint
    case trainingLog
    case compareFile
    case varianceLog
    case benchResult
    case environmentFile

    /// `a checkpoint`, `a training log`, …
    var name: String {
        switch self {
        case .checkpoint: return "a checkpoint"
        case .trainingLog: return "a training log"
        case .compareFile: return "a compare file"
        case .varianceLog: return "a variance log"
        case .benchResult: return "a bench result"
        case .environmentFile: return "an environment file"
        }
    }

    /// Which command writes it and which read it.
    var commands: String {
        switch self {
        case .checkpoint: return "pg train saves it; pg eval, pg train --init, pg variance --at and pg plot --policy read it"
        case .trainingLog: return "pg train writes it; pg plot and pg rerun read it"
        case .compareFile: return "pg compare writes it; pg plot, pg rerun and pg compare --merge read it"
        case .varianceLog: return "pg variance writes it; pg rerun reads it"
        case .benchResult: return "pg bench writes it; scripts/bench-peers.sh reads it"
        case .environmentFile: return "--env reads it"
        }
    }

    /// `PATH is KIND (WHO WRITES AND READS IT), not WANTED` (`wanted` such as `a checkpoint`),
    /// and what to do instead when there is a better file to give (`hint`).
    func error(path: String, wanted: String, hint: String = "") -> InputError {
        InputError("\(path) is \(name) (\(commands)), not \(wanted)\(hint)")
    }

    /// The kind of a file's contents, or nil when they are none of pg's files.
    /// - Complexity: O(bytes.count): the whole file is parsed as one JSON value, else its first
    ///   line is.
    static func of(_ bytes: [UInt8]) -> FileKind? {
        if let whole = try? JSONParser(bytes: bytes, recordingPositions: false).parsedValue(), let kind = of(whole) {
            return kind
        }
        let end = bytes.firstIndex(of: 0x0A) ?? bytes.count
        guard let first = try? JSONParser(bytes: Array(bytes[..<end]), recordingPositions: false).parsedValue() else { return nil }
        return of(first)
    }

    /// The kind of a file whose first JSON value (its only one, or its first line) is `value`.
    static func of(_ value: JSONValue) -> FileKind? {
        guard case .object = value else { return nil }
        if value["format"]?.stringValue == Checkpoint.format { return .checkpoint }
        if value["cores"] != nil, case .array? = value["rows"] { return .benchResult }
        if value["P"] != nil || value["arms"] != nil || ["tabular", "bandit"].contains(value["type"]?.stringValue) {
            return .environmentFile
        }
        switch value["type"]?.stringValue {
        case "config":
            switch value["command"]?.stringValue {
            case "train": return .trainingLog
            case "compare": return .compareFile
            case "variance": return .varianceLog
            default: return nil
            }
        case "iteration": return .trainingLog
        case "curve", "final": return .compareFile
        case "estimator": return .varianceLog
        default: return nil
        }
    }

    /// The kind of a file at `path` (read within `limit` bytes), or nil when it cannot be read or
    /// is none of pg's files.
    static func of(path: String, limit: Int = JSONLReader.maximumFileSize) -> FileKind? {
        (try? InputFile.read(path: path, limit: limit, what: "the file")).flatMap { of($0) }
    }
}

/// Reading a JSONL log that a command accepts, refusing other kinds of files by name.
enum LogFile {
    /// The lines of the JSONL file at `path` (see ``JSONLReader``), which must be one of
    /// `accepted` kinds (or of no kind pg knows, to be judged by the command): one of pg's other
    /// files is refused with ``FileKind/error(path:wanted:hint:)``, whether or not it parses as
    /// JSONL (a checkpoint does not; a bench result, one line of JSON, does).
    /// - Parameters:
    ///   - wanted: what the command reads, for the error (`a training log or compare file,
    ///     which pg plot draws`).
    ///   - hint: what to do instead with a file of that kind (`; pg plot --policy … draws its
    ///     policy`), appended to the error.
    /// - Throws: ``InputError`` naming the file.
    static func readLines(path: String, accepting accepted: [FileKind], wanted: String,
                          hint: (FileKind) -> String = { _ in "" }) throws -> [JSONLReader.Line] {
        let bytes = try InputFile.read(path: path, limit: JSONLReader.maximumFileSize, what: "the JSONL file")
        let lines: [JSONLReader.Line]
        do { lines = try JSONLReader.parseLines(bytes, file: path) } catch let e as InputError {
            if let kind = FileKind.of(bytes), !accepted.contains(kind) { throw kind.error(path: path, wanted: wanted, hint: hint(kind)) }
            throw e
        }
        if let first = lines.first, let kind = FileKind.of(first.value), !accepted.contains(kind) {
            throw kind.error(path: path, wanted: wanted, hint: hint(kind))
        }
        return lines
    }
}

extension JSONParser {
    /// ``parse()`` on a parser that is not kept.
    fileprivate func parsedValue() throws -> JSONValue {
        var copy = self
        return try copy.parse()
    }
}
