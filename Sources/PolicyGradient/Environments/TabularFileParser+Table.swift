extension TabularFileParser {
    /// `P`: its shape and sizes are checked first, then every outcome is read.
    func table(_ p: Node) throws -> [[[Outcome]]] {
        let lists = try shape(p)
        let stateCount = lists.count
        return try lists.map { row in try row.map { try outcomeList($0, stateCount: stateCount) } }
    }

    /// The outcome lists `P[s][a]`, after checking that every state has the same non-zero
    /// number of actions, that every list is a non-empty list, and the size limits.
    func shape(_ p: Node) throws -> [[Node]] {
        let states = try elements(p, limit: limits.states, noun: "state")
        guard !states.isEmpty else { throw fail(p, "P has no states") }
        var rows = [[Node]](), actionCount = 0, total = 0
        rows.reserveCapacity(states.count)
        for (s, state) in states.enumerated() {
            let actions = try elements(state, limit: limits.actions, noun: "action")
            if s == 0 {
                guard !actions.isEmpty else { throw fail(state, "P[0] has no actions") }
                actionCount = actions.count
            } else if actions.count != actionCount {
                throw fail(state, "\(state.label) has \(actions.count) actions but P[0] has \(actionCount); "
                           + "every state needs the same number of actions")
            }
            for list in actions {
                guard case let .array(items) = list.value else {
                    throw fail(list, "\(list.label) must be a list of outcomes [probability, next_state, reward, "
                               + "terminated], got \(Self.show(list.value))")
                }
                guard !items.isEmpty else { throw fail(list, "\(list.label) has no outcomes; every action needs at least one") }
                total += items.count
                if total > limits.outcomes {
                    throw fail(list, "P lists more than \(limits.outcomes) outcomes in all "
                               + "(the most pg reads) by \(list.label)")
                }
            }
            rows.append(actions)
        }
        return rows
    }

    /// The elements of `P` or of a `P[s]`: an array, or an object with the keys `"0"`…`"n-1"`
    /// (Python's `json.dump` of a dict such as Gymnasium's `P`), in index order.
    func elements(_ node: Node, limit: Int, noun: String) throws -> [Node] {
        let count: Int
        switch node.value {
        case let .array(items): count = items.count
        case let .object(pairs): count = pairs.count
        default:
            throw fail(node, "\(node.label) must be a list with one entry per \(noun), got \(Self.show(node.value))")
        }
        if count > limit { throw fail(node, "\(node.label) has \(count) \(noun)s; pg reads at most \(limit)") }
        if case let .array(items) = node.value { return items.enumerated().map { node.element($0, $1) } }
        guard case let .object(pairs) = node.value else { return [] }
        var slots = [Node?](repeating: nil, count: count)
        for (key, value) in pairs {
            let child = Node(value: value, path: node.path + "." + key, label: node.label + "[\"\(key)\"]")
            guard let i = Int(key), String(i) == key, i >= 0, i < count else {
                throw fail(child, "\(node.label) has the key \"\(key)\"; written as an object it needs the keys "
                           + "\"0\" to \"\(count - 1)\", one per \(noun)")
            }
            slots[i] = Node(value: value, path: child.path, label: node.label + "[\(i)]")
        }
        return slots.compactMap { $0 }  // all there: the keys are distinct (the JSON parser refuses duplicates)
    }

    /// The outcomes of one `P[s][a]`, whose probabilities sum to 1.
    func outcomeList(_ list: Node, stateCount: Int) throws -> [Outcome] {
        guard case let .array(items) = list.value else { throw fail(list, "\(list.label) must be a list of outcomes") }
        var outcomes = [Outcome]()
        outcomes.reserveCapacity(items.count)
        for (i, v) in items.enumerated() {
            outcomes.append(try outcome(list.element(i, v), stateCount: stateCount))
        }
        try checkSum(outcomes.map(\.probability), node: list, what: "\(list.label): the outcome probabilities sum to")
        return outcomes
    }

    /// One outcome `[probability, next_state, reward, terminated]`.
    func outcome(_ node: Node, stateCount: Int) throws -> Outcome {
        guard case let .array(f) = node.value, f.count == 4 else {
            throw fail(node, "\(node.label) must be [probability, next_state, reward, terminated], got \(Self.show(node.value))")
        }
        func field(_ i: Int, _ name: String, _ requirement: String) -> InputError {
            let n = node.element(i, f[i])
            return fail(n, "\(n.label) (\(name)) must be \(requirement), got \(Self.show(f[i]))")
        }
        guard let p = f[0].doubleValue, p >= 0, p <= 1 else { throw field(0, "probability", "a number in [0, 1]") }
        guard let next = Self.integer(f[1]), next >= 0, next < stateCount else {
            throw field(1, "next state", "an integer in 0...\(stateCount - 1)")
        }
        guard let reward = f[2].doubleValue else { throw field(2, "reward", "a number") }
        guard case let .bool(terminated) = f[3] else { throw field(3, "terminated", "true or false") }
        return Outcome(probability: p, next: next, reward: reward, terminated: terminated)
    }
}
