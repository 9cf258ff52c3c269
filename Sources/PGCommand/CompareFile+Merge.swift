import PolicyGradient

extension CompareFile {
    /// The config fields that may differ between shards of one sweep: which shard a file holds
    /// (and what a merge recorded), the thread count (results do not depend on it), and paths
    /// (the same file may be reached by another path on another node).
    static let shardFields: Set<String> = ["shard_index", "merged_from", "missing_shards", "threads", "env_file", "envs_dir"]

    /// The first setting in which two config lines differ, besides ``shardFields``: its path
    /// (`lr`, `env_settings.bandit_mean`, `estimators[1].settings.tau`) and both values as
    /// written (`missing` for an absent one). `env` given as a path compares by file name.
    /// - Complexity: O(size of the config lines).
    static func mismatch(_ a: JSONValue, _ b: JSONValue) -> (field: String, values: (String, String))? {
        guard case let .object(x) = a, case let .object(y) = b else { return difference(a, b, at: "config") }
        var keys = x.map(\.0)
        for (k, _) in y where !keys.contains(k) { keys.append(k) }
        for key in keys where !shardFields.contains(key) {
            var u = a[key] ?? .null, v = b[key] ?? .null
            if key == "env", let p = u.stringValue, let q = v.stringValue, isPath(p) || isPath(q) {
                (u, v) = (.string(fileName(p)), .string(fileName(q)))
            }
            if let d = difference(u, v, at: key) { return d }
        }
        return nil
    }

    /// The first place where two values differ, named by its path below `path`.
    static func difference(_ a: JSONValue, _ b: JSONValue, at path: String) -> (field: String, values: (String, String))? {
        switch (a, b) {
        case let (.object(x), .object(y)):
            var keys = x.map(\.0)
            for (k, _) in y where !keys.contains(k) { keys.append(k) }
            for key in keys {
                if let d = difference(a[key] ?? .null, b[key] ?? .null, at: path + "." + key) { return d }
            }
            return nil
        case let (.array(x), .array(y)) where x.count == y.count:
            for i in x.indices {
                if let d = difference(x[i], y[i], at: path + "[\(i)]") { return d }
            }
            return nil
        default:
            return a == b ? nil : (path, (shown(a), shown(b)))
        }
    }

    /// A value as a merge error shows it.
    static func shown(_ v: JSONValue) -> String { v == .null ? "missing" : v.text }

    /// Whether an `env` value is a file path.
    static func isPath(_ env: String) -> Bool { env.contains("/") || env.hasSuffix(".txt") || env.hasSuffix(".json") }

    /// The last component of a path.
    static func fileName(_ path: String) -> String { String(path.split(separator: "/").last ?? Substring(path)) }

    /// Compare files grouped for plotting: shards (a shard count above 1) with the same
    /// ``gridFields`` form one group, to be merged (``merge(_:)`` then refuses shards whose
    /// settings differ); any other file is a group of its own, unless an earlier whole file
    /// has exactly the same settings. Groups keep the order of their first file.
    static func groups(_ files: [CompareFile]) -> [[CompareFile]] {
        var groups: [[CompareFile]] = []
        for f in files {
            let i = groups.firstIndex { g in
                let first = g[0]
                if f.shard.count > 1 || first.shard.count > 1 {
                    return f.shard.count > 1 && first.shard.count > 1
                        && gridFields.allSatisfy { (f.config[$0] ?? .null) == (first.config[$0] ?? .null) }
                }
                return mismatch(f.config, first.config) == nil
            }
            if let i { groups[i].append(f) } else { groups.append([f]) }
        }
        return groups
    }
}
