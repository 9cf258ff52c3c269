extension GridMap {
    /// The start distribution: uniform over the `S` cells (Gymnasium's `initial_state_distrib`).
    public var startDistribution: [Double] {
        let isStart = cells.map { $0 == .start ? 1.0 : 0.0 }
        let count = isStart.reduce(0, +)
        return isStart.map { $0 / count }
    }

    /// The transition table in Gymnasium's `P[s][a]` form and order, entries not merged.
    ///
    /// For a standable cell and action a: one entry per move (one move if `successRate == 1`,
    /// else the moves `actions[(a − 1) mod 4]`, `actions[a]`, `actions[(a + 1) mod 4]` with
    /// probabilities `(1 − rate)/2`, `rate`, `(1 − rate)/2`, Gymnasium's floats). Entering a
    /// restarting cliff gives one entry per start state instead. Walls, and never-occupied cells
    /// under ``TerminalRows/absorbing``, are self-loops `(1, s, 0, true)`.
    /// - Complexity: O(rows · columns); builds the table once.
    public func tabularModel() -> TabularModel {
        let start = startDistribution
        let table = cells.indices.map { s in
            actions.indices.map { a in outcomes(state: s, action: a, start: start) }
        }
        return TabularModel(start: start, outcomes: table)
    }

    /// The outcomes of action `a` in state `s`, in Gymnasium's order.
    func outcomes(state s: Int, action a: Int, start: [Double]) -> [Outcome] {
        let cell = cells[s]
        if cell == .wall || (!cell.isStandable && terminalRows == .absorbing) {
            return [Outcome(probability: 1, next: s, reward: 0, terminated: true)]
        }
        if successRate == 1 {
            return landing(from: s, moving: actions[a], probability: 1, start: start)
        }
        let side = (1 - successRate) / 2
        return landing(from: s, moving: actions[(a + 3) % 4], probability: side, start: start)
            + landing(from: s, moving: actions[a], probability: successRate, start: start)
            + landing(from: s, moving: actions[(a + 1) % 4], probability: side, start: start)
    }

    /// The outcomes of one move made with probability `p`: usually one entry; a restarting
    /// cliff sends the agent to each start state `s′` with probability `p · start[s′]`.
    func landing(from s: Int, moving d: GridDirection, probability p: Double, start: [Double]) -> [Outcome] {
        let t = target(of: s, moving: d)
        switch cells[t] {
        case .start, .floor, .wall:
            return [Outcome(probability: p, next: t, reward: stepReward, terminated: false)]
        case .goal:
            return [Outcome(probability: p, next: t, reward: goalReward, terminated: true)]
        case .hole:
            return [Outcome(probability: p, next: t, reward: holeReward, terminated: true)]
        case let .custom(_, reward, terminal):
            return [Outcome(probability: p, next: t, reward: reward, terminated: terminal)]
        case .cliff where cliff == .terminate:
            return [Outcome(probability: p, next: t, reward: cliffReward, terminated: true)]
        case .cliff:
            return start.indices.filter { start[$0] > 0 }.map {
                Outcome(probability: p * start[$0], next: $0, reward: cliffReward, terminated: false)
            }
        }
    }
}
