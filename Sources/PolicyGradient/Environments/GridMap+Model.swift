extension GridMap {
    /// The start distribution: uniform over the `S` cells (Gymnasium's `initial_state_distrib`).
    public var startDistribution: [Double] {
        let count = Double(cells.reduce(0) { $0 + ($1 == .start ? 1 : 0) })
        return cells.map { $0 == .start ? 1 / count : 0 }
    }

    /// The transition table in Gymnasium's `P[s][a]` form and order, entries not merged.
    ///
    /// For a standable cell and action a: one entry per move (one move if `successRate == 1`,
    /// else the moves `actions[(a − 1) mod 4]`, `actions[a]`, `actions[(a + 1) mod 4]` with
    /// probabilities `(1 − rate)/2`, `rate`, `(1 − rate)/2`, Gymnasium's floats). Entering a
    /// restarting cliff gives one entry per start state instead. Walls, and never-occupied cells
    /// under ``TerminalRows/absorbing``, are self-loops `(1, s, 0, true)`.
    /// - Complexity: O(rows · columns + ``outcomeCount``); writes the table's flat arrays
    ///   directly (no per-state arrays).
    public func tabularModel() -> TabularModel {
        let start = startDistribution, starts = start.indices.filter { start[$0] > 0 }
        let n = outcomeCount
        var offsets = [Int](), p = [Double](), next = [Int](), r = [Double](), t = [Bool]()
        offsets.reserveCapacity(cells.count * actions.count + 1)
        p.reserveCapacity(n); next.reserveCapacity(n); r.reserveCapacity(n); t.reserveCapacity(n)
        offsets.append(0)
        for s in cells.indices {
            for a in actions.indices {
                forEachOutcome(state: s, action: a, starts: starts, start: start) { o in
                    p.append(o.probability); next.append(o.next); r.append(o.reward); t.append(o.terminated)
                }
                offsets.append(p.count)
            }
        }
        return TabularModel(start: start, actionCount: actions.count, offsets: offsets, probability: p, next: next,
                            reward: r, terminated: t)
    }

    /// The number of entries of ``tabularModel()``, counted without building it.
    /// - Complexity: O(rows · columns); allocates nothing.
    public var outcomeCount: Int {
        let starts = cells.reduce(0) { $0 + ($1 == .start ? 1 : 0) }
        let restart = cliff == .restart, moves = successRate == 1 ? 0...0 : -1...1
        var total = 0
        for s in cells.indices {
            let cell = cells[s]
            if !cell.isStandable, case .wall = cell { total += actions.count; continue }
            if !cell.isStandable && terminalRows == .absorbing { total += actions.count; continue }
            for a in actions.indices {
                for k in moves {
                    if restart, case .cliff = cells[target(of: s, moving: actions[(a + 4 + k) % 4])] { total += starts } else { total += 1 }
                }
            }
        }
        return total
    }

    /// Calls `body` with each outcome of action `a` in state `s`, in Gymnasium's order.
    func forEachOutcome(state s: Int, action a: Int, starts: [Int], start: [Double], _ body: (Outcome) -> Void) {
        let cell = cells[s]
        if !cell.isStandable, terminalRows == .absorbing || cell.isWall {
            return body(Outcome(probability: 1, next: s, reward: 0, terminated: true))
        }
        if successRate == 1 {
            return landing(from: s, moving: actions[a], probability: 1, starts: starts, start: start, body)
        }
        let side = (1 - successRate) / 2
        landing(from: s, moving: actions[(a + 3) % 4], probability: side, starts: starts, start: start, body)
        landing(from: s, moving: actions[a], probability: successRate, starts: starts, start: start, body)
        landing(from: s, moving: actions[(a + 1) % 4], probability: side, starts: starts, start: start, body)
    }

    /// The outcomes of one move made with probability `p`: usually one entry; a restarting
    /// cliff sends the agent to each start state `s′` with probability `p · start[s′]`.
    func landing(from s: Int, moving d: GridDirection, probability p: Double, starts: [Int], start: [Double],
                 _ body: (Outcome) -> Void) {
        let t = target(of: s, moving: d)
        switch cells[t] {
        case .start, .floor, .wall:
            body(Outcome(probability: p, next: t, reward: stepReward, terminated: false))
        case .goal:
            body(Outcome(probability: p, next: t, reward: goalReward, terminated: true))
        case .hole:
            body(Outcome(probability: p, next: t, reward: holeReward, terminated: true))
        case let .custom(_, reward, terminal):
            body(Outcome(probability: p, next: t, reward: reward, terminated: terminal))
        case .cliff where cliff == .terminate:
            body(Outcome(probability: p, next: t, reward: cliffReward, terminated: true))
        case .cliff:
            for s2 in starts { body(Outcome(probability: p * start[s2], next: s2, reward: cliffReward, terminated: false)) }
        }
    }
}
