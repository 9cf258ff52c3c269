/// J(π) of a tabular policy on a ``TabularModel`` by backward induction, cheaply enough to log
/// every update: the policy is folded into the transitions once per call, so each of the H
/// backward steps costs one multiply-add per distinct (state, next state) pair.
///
/// With R(s, a) = Σ_o p_o r_o, r_π(s) = Σ_a π(a|s) R(s, a) and
/// P_π(s′|s) = Σ_a π(a|s) Σ_{o: next_o = s′, not terminated} p_o,
/// V_H = 0, V_t = r_π + γ P_π V_{t+1}, J = Σ_s start(s) V_0(s).
/// The same quantity as ``ExactGradient/logitCotangent(table:model:horizon:gamma:)``'s value,
/// to rounding (the sums are grouped differently); that function also gives ∇J and costs
/// about three times as much.
///
/// The sparsity pattern of P_π (which next states each state can reach) is built once; an
/// evaluation allocates nothing.
public struct ExactValue: Sendable {
    /// States S and actions A of the model.
    public let stateCount: Int, actionCount: Int
    /// The horizon H and discount γ.
    public let horizon: Int, gamma: Double
    /// The fixed tables, as one array of integers: `rowStart` (S + 1: `rowStart[s] ..< rowStart[s + 1]`
    /// index the distinct continuing next states of s), `column` (the next state of each entry
    /// of P_π), `entry` (for each outcome of the model, in model order, its entry of P_π, or −1
    /// if it terminates) and the model's outcome offsets (S·A + 1).
    let ints: [Int]
    let columnBase: Int, entryBase: Int, offsetBase: Int, entries: Int, outcomes: Int
    /// The fixed numbers: R(s, a) (S·A), the outcome probabilities and the start distribution;
    /// then per-call storage: P_π's values, r_π, V_t and V_{t+1}.
    var doubles: [Double]
    let probabilityBase: Int, startBase: Int, weightBase: Int, rewardBase: Int, valueBase: Int

    /// The evaluator of `model` over `horizon` steps with discount `gamma`.
    /// - Complexity: O(outcomes) time and memory.
    public init(model m: TabularModel, horizon: Int, gamma: Double) {
        stateCount = m.stateCount
        actionCount = m.actionCount
        self.horizon = horizon
        self.gamma = gamma
        var rowStart = [0], column: [Int] = [], entry = [Int](repeating: -1, count: m.next.count)
        var slot = [Int](repeating: -1, count: m.stateCount)  // slot[s′]: the entry of s′ once seen in this row
        for s in 0..<m.stateCount {
            let first = column.count
            for k in (s * m.actionCount)..<((s + 1) * m.actionCount) {
                for i in m.offsets[k]..<m.offsets[k + 1] where !m.terminated[i] {
                    let n = m.next[i]
                    if slot[n] < first {
                        slot[n] = column.count
                        column.append(n)
                    }
                    entry[i] = slot[n]
                }
            }
            rowStart.append(column.count)
        }
        entries = column.count
        outcomes = m.next.count
        columnBase = rowStart.count
        entryBase = columnBase + column.count
        offsetBase = entryBase + entry.count
        ints = rowStart + column + entry + m.offsets
        let sa = m.stateCount * m.actionCount
        probabilityBase = sa
        startBase = probabilityBase + outcomes
        weightBase = startBase + m.stateCount
        rewardBase = weightBase + entries
        valueBase = rewardBase + m.stateCount
        doubles = (0..<sa).map { m.expectedReward(state: $0 / m.actionCount, action: $0 % m.actionCount) }
            + m.probability + m.start + [Double](repeating: 0, count: entries + 3 * m.stateCount)
    }

    /// Multiply-adds of one evaluation (the cost that ``Trainer`` budgets against its rollouts).
    public var cost: Int { outcomes + horizon * (entries + stateCount) }

    /// J of the policy whose probabilities π(a|s) are `p` (row-major S × A).
    /// - Complexity: O(outcomes + H · (S + nnz(P_π))); allocates nothing.
    /// Exact J of the policy whose table is `table`.
    /// - Precondition: the table has the model's shape.
    public mutating func evaluate(table: PolicyTable) -> Double {
        precondition(table.stateCount == stateCount && table.actionCount == actionCount, "a table of another shape")
        return table.probabilities.withUnsafeBufferPointer { evaluate(probabilities: $0) }
    }

    @usableFromInline mutating func evaluate(probabilities p: UnsafeBufferPointer<Double>) -> Double {
        precondition(p.count == stateCount * actionCount, "a policy table of another size")
        let S = stateCount, A = actionCount, g = gamma, h = horizon
        let (cb, eb, ob, pb, sb) = (columnBase, entryBase, offsetBase, probabilityBase, startBase)
        let (wb, rb, vb, n) = (weightBase, rewardBase, valueBase, entries)
        return ints.withUnsafeBufferPointer { z in
            doubles.withUnsafeMutableBufferPointer { d in
                let w = d.baseAddress! + wb, r = d.baseAddress! + rb
                for j in 0..<n { w[j] = 0 }
                // P_π and r_π: the policy folded into the transitions.
                for s in 0..<S {
                    var expected = 0.0
                    for k in (s * A)..<((s + 1) * A) {
                        let pa = p[k]
                        expected += pa * d[k]
                        for i in z[ob + k]..<z[ob + k + 1] where z[eb + i] >= 0 { w[z[eb + i]] += pa * d[pb + i] }
                    }
                    r[s] = expected
                }
                for j in 0..<n { w[j] *= g }
                // V_t = r_π + γ P_π V_{t+1}, from V_H = 0.
                var cur = d.baseAddress! + vb, next = cur + S
                for s in 0..<S { next[s] = 0 }
                for _ in 0..<h {
                    for s in 0..<S {
                        var x = r[s]
                        for j in z[s]..<z[s + 1] { x += w[j] * next[z[cb + j]] }
                        cur[s] = x
                    }
                    swap(&cur, &next)
                }
                var j = 0.0
                for s in 0..<S { j += d[sb + s] * next[s] }
                return j
            }
        }
    }
}
