import Foundation

/// Reads a parsed tabular MDP file (format in ``TabularEnvironment/init(parsing:file:)``): the
/// keys, start distribution, time limit and names here, the table `P` in
/// `TabularFileParser+Table.swift`.
struct TabularFileParser {
    /// A value of the file, with its path in ``JSONParser/positions`` and its name in messages
    /// (`P[3][1]`, also when `P` is written as an object).
    struct Node {
        var value: JSONValue
        var path: String
        var label: String

        /// The `index`-th element of an array, as `child` of this node.
        func element(_ index: Int, _ child: JSONValue) -> Node {
            Node(value: child, path: path + "[\(index)]", label: label + "[\(index)]")
        }
    }

    /// The keys a file may have, in the order error messages list them.
    static let keys = ["type", "name", "description", "P", "initial_state_distrib", "max_episode_steps",
                       "action_names", "action_meanings", "state_names"]

    /// The size limits (``TabularEnvironment``'s, smaller in tests).
    struct Limits {
        var states = TabularEnvironment.maximumStates
        var actions = TabularEnvironment.maximumActions
        var outcomes = TabularEnvironment.maximumOutcomes
        var episodeSteps = TabularEnvironment.maximumEpisodeSteps
        var stateSteps = TabularEnvironment.maximumStateSteps
    }

    let file: String
    let positions: JSONPositions
    var limits = Limits()

    /// An error at the start of `node`'s value.
    func fail(_ node: Node, _ message: String) -> InputError {
        let p = positions[node.path] ?? positions[""] ?? (1, 1)
        return InputError(message, file: file, line: p.line, column: p.column)
    }

    /// A value as a message shows it: scalars as written, containers by kind.
    static func show(_ v: JSONValue) -> String {
        if case let .array(a) = v { return a.count == 1 ? "a list of 1 entry" : "a list of \(a.count) entries" }
        if case .object = v { return "an object" }
        return v.text
    }

    /// The integer a number denotes (`3` or `3.0`), or nil; never traps on large values.
    static func integer(_ v: JSONValue) -> Int? {
        if case let .int(n) = v { return n }
        if case let .double(d) = v, d == d.rounded(), abs(d) <= 9_007_199_254_740_992 { return Int(d) }
        return nil
    }

    // MARK: The file

    /// The environment a file's root value describes.
    func environment(_ root: JSONValue) throws -> TabularEnvironment {
        let top = Node(value: root, path: "", label: "")
        guard case let .object(fields) = root else {
            throw fail(top, "a tabular MDP file is a JSON object with \"P\", \"initial_state_distrib\" "
                       + "and \"max_episode_steps\"")
        }
        if let bad = fields.first(where: { !Self.keys.contains($0.0) }) {
            throw fail(node(bad.0, bad.1), "unknown key \"\(bad.0)\"; valid keys: \(Self.keys.joined(separator: ", "))")
        }
        func required(_ key: String) throws -> Node {
            guard let v = root[key] else { throw fail(top, "missing key \"\(key)\" (required: P, initial_state_distrib, max_episode_steps)") }
            return node(key, v)
        }
        let meta = try metadata(root)
        let outcomes = try table(required("P"))
        let start = try startDistribution(required("initial_state_distrib"), stateCount: outcomes.count)
        let limit = try timeLimit(required("max_episode_steps"), stateCount: outcomes.count)
        let model = TabularModel(start: start, outcomes: outcomes)
        return TabularEnvironment(id: meta.name, description: meta.description, model: model, timeLimit: limit,
                                  actionNames: try actionNames(root, count: model.actionCount),
                                  stateNames: try root["state_names"].map {
                                      try names(node("state_names", $0), count: model.stateCount, of: "state")
                                  })
    }

    func node(_ key: String, _ value: JSONValue) -> Node { Node(value: value, path: key, label: key) }

    /// `type`, `name` (default: the file name) and `description`.
    func metadata(_ root: JSONValue) throws -> (name: String, description: String) {
        for key in ["type", "name", "description"] {
            if let v = root[key], v.stringValue == nil { throw fail(node(key, v), "\(key) must be a string, got \(Self.show(v))") }
        }
        if let type = root["type"]?.stringValue, type != "tabular" {
            throw fail(node("type", root["type"]!), "type must be \"tabular\" in a file with \"P\", got \"\(type)\"")
        }
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        if let v = root["name"], let name = v.stringValue, name != stem {
            throw fail(node("name", v), "name '\(name)' differs from the file name '\(stem)': an environment file's id is its "
                           + "file name (drop the name key or rename the file)")
        }
        return (stem, root["description"]?.stringValue ?? "")
    }

    /// `initial_state_distrib`: one probability per state, summing to 1.
    func startDistribution(_ node: Node, stateCount: Int) throws -> [Double] {
        guard case let .array(items) = node.value else {
            throw fail(node, "initial_state_distrib must be a list of \(stateCount) probabilities, got \(Self.show(node.value))")
        }
        guard items.count == stateCount else {
            throw fail(node, "initial_state_distrib has \(items.count) entries but P has \(stateCount) states")
        }
        var start = [Double]()
        start.reserveCapacity(stateCount)
        for (i, v) in items.enumerated() {
            guard let p = v.doubleValue, p >= 0, p <= 1 else {
                throw fail(node.element(i, v), "\(node.label)[\(i)] must be a probability in [0, 1], got \(Self.show(v))")
            }
            start.append(p)
        }
        try checkSum(start, node: node, what: "initial_state_distrib sums to")
        return start
    }

    /// Probabilities summing to 1 within ``TabularEnvironment/probabilityTolerance``.
    func checkSum(_ p: [Double], node: Node, what: String) throws {
        let sum = p.reduce(0, +)
        guard abs(sum - 1) < TabularEnvironment.probabilityTolerance else {
            throw fail(node, "\(what) \(sum); it must be 1 (within \(TabularEnvironment.probabilityTolerance))")
        }
    }

    /// `max_episode_steps`: a positive integer, small enough for the exact gradient's table.
    func timeLimit(_ node: Node, stateCount: Int) throws -> Int {
        if case .null = node.value {
            throw fail(node, "max_episode_steps is null (the environment has no time limit); pg computes exact "
                       + "gradients for a finite horizon: give a positive integer")
        }
        guard let h = Self.integer(node.value), h >= 1, h <= limits.episodeSteps else {
            throw fail(node, "max_episode_steps must be an integer in 1...\(limits.episodeSteps), got \(Self.show(node.value))")
        }
        if h > limits.stateSteps / stateCount {  // h · S > L exactly when h > ⌊L / S⌋; no overflow
            throw fail(node, "max_episode_steps \(h) * \(stateCount) states is more than \(limits.stateSteps): exact J "
                       + "keeps a probability for every step and state; give a shorter time limit")
        }
        return h
    }

    /// `action_names` or `action_meanings` (not both), if given.
    func actionNames(_ root: JSONValue, count: Int) throws -> [String]? {
        if root["action_names"] != nil, let both = root["action_meanings"] {
            throw fail(node("action_meanings", both), "give action_names or action_meanings, not both")
        }
        for key in ["action_names", "action_meanings"] {
            if let v = root[key] {
                let list = try names(node(key, v), count: count, of: "action")
                var seen = Set<String>()
                if let dup = list.indices.first(where: { !seen.insert(list[$0]).inserted }) {
                    throw fail(node(key, v).element(dup, .null), "\(key)[\(dup)]: action \"\(list[dup])\" is named twice")
                }
                return list
            }
        }
        return nil
    }

    /// A list of `count` non-empty strings.
    func names(_ node: Node, count: Int, of noun: String) throws -> [String] {
        guard case let .array(items) = node.value, items.count == count else {
            throw fail(node, "\(node.label) must be a list of \(count) names, one per \(noun), got \(Self.show(node.value))")
        }
        return try items.enumerated().map { i, v in
            guard let s = v.stringValue, !s.isEmpty else {
                throw fail(node.element(i, v), "\(node.label)[\(i)] must be a non-empty string, got \(Self.show(v))")
            }
            return s
        }
    }
}
