extension Checkpoint {
    /// Reads a checkpoint file.
    ///
    /// As hardened as every reader: a file larger than `limit` is refused before it is read;
    /// the JSON is parsed in linear time and memory (``JSONParser``); then every field is
    /// checked, and the first problem is one ``InputError`` with the file, line and column of
    /// the value and what is wrong: `format` must be `pg-checkpoint` and `format_version` 1
    /// (a later version is named as such); no unknown keys; counts are exact integers in
    /// 1...``maximumCount`` (`iteration` in 0...10¹²); the policy's keys fit its kind, its
    /// shape agrees with `environment`, `parameter_count` is what that shape has and
    /// `parameters` holds exactly that many finite numbers; `run` is a `{"type":"config"}`
    /// object. Nothing is allocated from a declared count.
    /// - Parameters:
    ///   - path: the file.
    ///   - limit: the largest size accepted, in bytes.
    /// - Returns: the checkpoint.
    /// - Throws: ``InputError`` as above.
    /// - Complexity: O(size of the file).
    public static func read(path: String, limit: Int = maximumFileSize) throws -> Checkpoint {
        try parse(InputFile.read(path: path, limit: limit, what: "the checkpoint"), file: path)
    }

    /// Reads a checkpoint from its bytes (see ``read(path:limit:)``); `file` names it in errors.
    /// - Throws: ``InputError`` with the file, line and column of the first problem.
    /// - Complexity: O(bytes.count).
    public static func parse(_ bytes: [UInt8], file: String? = nil) throws -> Checkpoint {
        var parser = JSONParser(bytes: bytes, file: file, recordingPositions: false)
        let root = try parser.parse()
        return try CheckpointReader(bytes: bytes, file: file, root: root).checkpoint()
    }
}

/// Checks a parsed checkpoint field by field. Positions are found only for the error (by
/// parsing again with positions), so that reading a large file records none.
struct CheckpointReader {
    let bytes: [UInt8]
    let file: String?
    let root: JSONValue

    static let keys = ["format", "format_version", "iteration", "status", "policy", "environment", "run", "parameters"]

    /// The error `message` at the value of `path` (`policy.states`, `parameters[3]`; `""` the root).
    func error(_ path: String, _ message: String) -> InputError {
        var p = JSONParser(bytes: bytes, file: file, recordingPositions: true)
        let position = (try? p.parse()).flatMap { _ in p.positions[path] }
        return InputError(message, file: file, line: position?.line, column: position?.column)
    }

    /// `"name" must be WANT, got VALUE` at `path`.
    func mismatch(_ path: String, _ want: String, _ got: JSONValue?) -> InputError {
        error(path, JSONValue.mismatch(path, want, got, file: nil, line: nil).message)
    }

    /// The value at `key` of the object at `path`, which must be present.
    func required(_ object: JSONValue, _ key: String, in path: String) throws -> JSONValue {
        let full = path.isEmpty ? key : path + "." + key
        guard let v = object[key] else {
            throw error(path, "\"\(full)\" is missing" + (path.isEmpty ? " from the checkpoint" : ""))
        }
        return v
    }

    /// An exact integer in `range` at `key` of the object at `path`.
    func int(_ object: JSONValue, _ key: String, in path: String, range: ClosedRange<Int> = 1...Checkpoint.maximumCount) throws -> Int {
        let v = try required(object, key, in: path), full = path.isEmpty ? key : path + "." + key
        guard let i = v.exactInt, range.contains(i) else {
            throw mismatch(full, "an integer in \(range.lowerBound)...\(range.upperBound)", v)
        }
        return i
    }

    /// A string at `key`, one of `choices` if given.
    func string(_ object: JSONValue, _ key: String, in path: String, choices: [String]? = nil) throws -> String {
        let v = try required(object, key, in: path), full = path.isEmpty ? key : path + "." + key
        guard let s = v.stringValue, !s.isEmpty, choices?.contains(s) ?? true else {
            throw mismatch(full, choices.map { "one of \($0.joined(separator: ", "))" } ?? "a non-empty string", v)
        }
        return s
    }

    /// Refuses keys of the object at `path` that are not in `valid`.
    func onlyKeys(_ object: JSONValue, _ valid: [String], in path: String) throws {
        guard case let .object(pairs) = object else { throw mismatch(path, "an object", object) }
        for (key, _) in pairs where !valid.contains(key) {
            let full = path.isEmpty ? key : path + "." + key
            throw error(full, "unknown key \"\(full)\"; valid: \(valid.joined(separator: ", "))")
        }
    }

    func checkpoint() throws -> Checkpoint {
        guard case .object = root else { throw error("", "a checkpoint is a JSON object {\"format\":\"pg-checkpoint\", …}") }
        let format = try required(root, "format", in: "")
        guard format.stringValue == Checkpoint.format else {
            throw mismatch("format", "\"\(Checkpoint.format)\" (not a pg checkpoint?)", format)
        }
        let version = try int(root, "format_version", in: "", range: 1...Int.max)
        guard version == Checkpoint.formatVersion else {
            throw error("format_version", "format_version \(version) is newer than this pg reads (\(Checkpoint.formatVersion))")
        }
        try onlyKeys(root, Self.keys, in: "")
        let iteration = try int(root, "iteration", in: "", range: 0...1_000_000_000_000)
        let status = try string(root, "status", in: "", choices: Checkpoint.statuses)
        let environment = try environmentShape()
        let policy = try policySpec(environment)
        let run = try required(root, "run", in: "")
        guard run["type"]?.stringValue == "config" else {
            throw mismatch("run", "the run's {\"type\":\"config\"} line", run)
        }
        let parameters = try parameterValues(count: try parameterCount(policy, environment))
        return Checkpoint(policy: policy, parameters: parameters, environment: environment, iteration: iteration,
                          status: status, run: run)
    }

    func environmentShape() throws -> Checkpoint.EnvironmentShape {
        let e = try required(root, "environment", in: "")
        try onlyKeys(e, ["id", "states", "actions", "features", "time_limit"], in: "environment")
        return Checkpoint.EnvironmentShape(id: try string(e, "id", in: "environment"), states: try int(e, "states", in: "environment"),
                                           actions: try int(e, "actions", in: "environment"),
                                           features: try int(e, "features", in: "environment"),
                                           timeLimit: try int(e, "time_limit", in: "environment"))
    }

    /// The policy's kind and shape, checked against the environment's.
    func policySpec(_ e: Checkpoint.EnvironmentShape) throws -> PolicySpec {
        let p = try required(root, "policy", in: "")
        guard case .object = p else { throw mismatch("policy", "an object", p) }
        let kind = PolicyKind(rawValue: try string(p, "kind", in: "policy", choices: PolicyKind.allCases.map(\.rawValue)))!
        var spec = PolicySpec(kind: kind)
        let size = kind == .tabular ? "states" : "features"
        try onlyKeys(p, ["kind", size] + (kind == .mlp ? ["hidden", "activation"] : []) + ["actions", "parameter_count"], in: "policy")
        if kind == .mlp {
            let hidden = try required(p, "hidden", in: "policy")
            var widths: [Int] = []
            if case let .array(items) = hidden, items.allSatisfy({ $0.exactInt != nil }) { widths = items.compactMap(\.exactInt) }
            guard PolicySpec.checkWidths(widths) == nil else {
                throw mismatch("policy.hidden", "one or two layer widths in 1...100000, e.g. [32] or [64,64]", hidden)
            }
            spec.hidden = widths
            spec.activation = Activation(rawValue: try string(p, "activation", in: "policy",
                                                              choices: Activation.allCases.map(\.rawValue)))!
        }
        for (key, want) in [(size, kind == .tabular ? e.states : e.features), ("actions", e.actions)] {
            let n = try int(p, key, in: "policy")
            guard n == want else {
                throw error("policy.\(key)", "\"policy.\(key)\" is \(n), but \"environment.\(key)\" is \(want)")
            }
        }
        return spec
    }

    /// `policy.parameter_count`, which must be what the shape has.
    func parameterCount(_ spec: PolicySpec, _ e: Checkpoint.EnvironmentShape) throws -> Int {
        let declared = try int(root["policy"]!, "parameter_count", in: "policy", range: 1...Int.max)
        guard let expected = Checkpoint.parameterCount(spec, e), expected == declared else {
            let shape = spec.kind == .tabular ? "\(e.states) states" : "\(e.features) features"
            let hidden = spec.kind == .mlp ? ", hidden \(spec.hidden.map(String.init).joined(separator: ","))" : ""
            throw error("policy.parameter_count", "\"policy.parameter_count\" is \(declared), but a \(spec.kind.rawValue) policy of "
                        + "\(shape) x \(e.actions) actions\(hidden) has \(Checkpoint.parameterCount(spec, e).map(String.init) ?? "too many")")
        }
        return declared
    }

    /// The parameters: exactly `count` finite numbers.
    func parameterValues(count: Int) throws -> [Double] {
        let v = try required(root, "parameters", in: "")
        guard case let .array(items) = v else { throw mismatch("parameters", "an array of \(count) numbers", v) }
        guard items.count == count else {
            throw error("parameters", "\"parameters\" holds \(items.count) numbers; the policy has \(count)")
        }
        var out = [Double](repeating: 0, count: count)
        for (k, item) in items.enumerated() {
            guard let x = item.doubleValue, x.isFinite else { throw mismatch("parameters[\(k)]", "a finite number", item) }
            out[k] = x
        }
        return out
    }
}
