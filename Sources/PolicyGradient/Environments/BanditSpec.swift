import Foundation

extension Bandit {
    /// Reads a bandit from a JSON spec file (format in the Environments article):
    /// `{"name": …, "description": …, "arms": [{"distribution": "gaussian", "mean": 1, "sd": 1}, …]}`
    /// with distributions `gaussian` (mean, sd), `bernoulli` (p), `uniform` (low, high) and
    /// `constant` (value).
    /// - Returns: the bandit and its one-line description.
    /// - Throws: ``InputError`` with the file, line and column of the first problem.
    public static func load(specAt path: String) throws -> (bandit: Bandit, description: String) {
        let bytes = try InputFile.read(path: path, limit: InputFile.maximumJSONSize, what: "the bandit spec")
        guard let text = String(data: Data(bytes), encoding: .utf8) else { throw InputError("\(path) is not UTF-8 text") }
        return try parse(spec: text, file: path)
    }

    /// Parses a bandit spec from text (see ``load(specAt:)``).
    public static func parse(spec text: String, file: String) throws -> (bandit: Bandit, description: String) {
        var parser = JSONParser(text, file: file)
        let root = try parser.parse()
        let pos = parser.positions
        func fail(_ path: String, _ message: String) -> InputError {
            let p = pos[path] ?? (1, 1)
            return InputError(message, file: file, line: p.line, column: p.column)
        }
        guard case let .object(fields) = root else { return try { throw fail("", "a bandit spec is a JSON object") }() }
        let known = ["name", "description", "type", "arms"]
        if let bad = fields.first(where: { !known.contains($0.0) }) {
            throw fail(bad.0, "unknown key \"\(bad.0)\"; valid keys: \(known.joined(separator: ", "))")
        }
        for key in ["name", "description", "type"] where root[key] != nil && root[key]?.stringValue == nil {
            throw fail(key, "\"\(key)\" must be a string")
        }
        if let type = root["type"]?.stringValue, type != "bandit" {
            throw fail("type", "\"type\" must be \"bandit\", got \"\(type)\"")
        }
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        if let given = root["name"]?.stringValue, given != stem {
            throw fail("name", "\"name\": '\(given)' differs from the file name '\(stem)': an environment file's id is its "
                           + "file name (drop the name key or rename the file)")
        }
        let name = stem
        let description = root["description"]?.stringValue ?? "bandit from \(file)"
        guard let armsValue = root["arms"] else { throw fail("", "a bandit spec needs an \"arms\" array") }
        guard case let .array(items) = armsValue else {
            throw fail("arms", "\"arms\" must be an array of arms, e.g. [{\"distribution\": \"bernoulli\", \"p\": 0.5}]")
        }
        if items.isEmpty { throw fail("arms", "\"arms\" must have at least one arm") }
        let arms = try items.indices.map { try arm(items[$0], path: "arms[\($0)]", fail: fail) }
        return (Bandit(id: name, arms: arms), description)
    }

    private static func arm(_ v: JSONValue, path: String,
                            fail: (String, String) -> InputError) throws -> ArmDistribution {
        let kinds = ["gaussian", "bernoulli", "uniform", "constant"]
        guard case let .object(fields) = v else {
            throw fail(path, "each arm is an object such as {\"distribution\": \"bernoulli\", \"p\": 0.5}")
        }
        guard let kind = v["distribution"]?.stringValue else {
            throw fail(path, "each arm needs \"distribution\": one of \(kinds.joined(separator: ", "))")
        }
        let keys = ["gaussian": ["mean", "sd"], "bernoulli": ["p"], "uniform": ["low", "high"], "constant": ["value"]]
        if let valid = keys[kind], let bad = fields.first(where: { $0.0 != "distribution" && !valid.contains($0.0) }) {
            throw fail(path + "." + bad.0, "unknown key \"\(bad.0)\" for a \(kind) arm; valid keys: distribution, "
                           + valid.joined(separator: ", "))
        }
        func number(_ key: String) throws -> Double {
            guard let x = v[key]?.doubleValue else {
                throw fail(v[key] == nil ? path : path + "." + key, "\(kind) arm needs a number \"\(key)\"")
            }
            return x
        }
        switch kind {
        case "gaussian":
            let sd = try number("sd")
            if sd < 0 { throw fail(path + ".sd", "sd must be >= 0, got \(sd)") }
            return .gaussian(mean: try number("mean"), standardDeviation: sd)
        case "bernoulli":
            let p = try number("p")
            if !(0...1).contains(p) { throw fail(path + ".p", "p must be in [0, 1], got \(p)") }
            return .bernoulli(p: p)
        case "uniform":
            let lo = try number("low"), hi = try number("high")
            if lo > hi { throw fail(path, "uniform arm needs low <= high, got \(lo) > \(hi)") }
            return .uniform(low: lo, high: hi)
        case "constant":
            return .constant(try number("value"))
        default:
            throw fail(path + ".distribution", "unknown distribution \"\(kind)\"; valid: \(kinds.joined(separator: ", "))")
        }
    }
}
