import PolicyGradient

/// Output paths given by flags (`--out`, `--plot`): checked before a command runs or prints
/// anything, so that it never works for minutes only to fail at its last step, and every
/// problem is reported under the flag that named the path (`--plot: runs/x is a directory, …`).
enum OutputFlag {
    /// Runs `body`, reporting an ``InputError`` that names no setting under `--flag` (when a
    /// flag is given: nil for a default path).
    static func under<T>(_ flag: String?, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as InputError where e.field == nil && flag != nil {
            throw InputError(field: flag!, e.description)
        }
    }

    /// Checks `--flag PATH` of a whole-file output (an SVG, a JSON result): it could be created
    /// (or, with `replacing`, replaced) under ``OutputFile``'s rules. Nothing when not given.
    static func checkFile(_ a: Arguments, _ flag: String, replacing: Bool, protecting inputs: [String] = []) throws {
        guard let path = a.string(flag) else { return }
        try under(flag) { try OutputFile.check(path, replacing: replacing, protecting: inputs) }
    }

    /// Checks `--flag PATH` of a JSONL log created in `mode` (see ``JSONLWriter/check(path:mode:protecting:)``).
    /// Nothing when not given.
    static func checkLog(_ a: Arguments, _ flag: String, mode: JSONLWriter.Mode, protecting inputs: [String] = []) throws {
        guard let path = a.string(flag) else { return }
        try under(flag) { try JSONLWriter.check(path: path, mode: mode, protecting: inputs) }
    }
}
