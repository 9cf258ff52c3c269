extension RunHeader {
    /// The facts a run header records about a file it read: `("NAME_file", path)` when
    /// `recordingPath`, then `("NAME_sha256", its SHA-256)` (omitted when the file cannot be read
    /// any more), so that a rerun can tell an edited file from the one the run used.
    /// - Parameters:
    ///   - name: the prefix (`env` gives `env_file` and `env_sha256`; `init` gives `init_sha256`).
    ///   - path: the file.
    ///   - recordingPath: whether to record the path too (false when a setting holds it).
    /// - Returns: the facts, in that order.
    /// - Complexity: O(size of the file).
    public static func fileFacts(_ name: String, path: String, recordingPath: Bool = true) -> [(String, JSONValue)] {
        var f: [(String, JSONValue)] = recordingPath ? [(name + "_file", .string(path))] : []
        if let digest = try? SHA256.hexDigest(ofFile: path) { f.append((name + "_sha256", .string(digest))) }
        return f
    }
}
