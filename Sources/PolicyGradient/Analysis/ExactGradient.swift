/// Exact J(φ) and ∇J(φ) for environments with known dynamics, by dynamic programming over
/// (time, state) for the finite horizon H that the time limit sets.
///
/// J(φ) = E[Σ_{t<H} γᵗ r_t]. With d_t(s) the probability of being in s at step t with the
/// episode still running, and Q_t, V_t the values with H − t steps left,
/// ∇J = Σ_t γᵗ Σ_s d_t(s) Σ_a π(a|s) (Q_t(s,a) − V_t(s)) ∇log π(a|s),
/// which is back-propagated through the policy once per state. REINFORCE with reward-to-go
/// and the γᵗ weight is unbiased for exactly this quantity.
public enum ExactGradient {
    /// J(φ) and ∇_φ J.
    /// - Parameters:
    ///   - policy: any categorical policy.
    ///   - model: the transition table.
    ///   - features: the states' features.
    ///   - horizon: H, the number of steps before truncation.
    ///   - gamma: the discount γ ∈ [0, 1].
    /// - Complexity: O(H · Σ_{s,a} outcomes(s,a)) plus S backward passes.
    public static func evaluate<P: Policy>(policy: P, model: TabularModel, features: StateFeatures,
                                           horizon: Int, gamma: Double) -> (value: Double, gradient: [Double]) {
        var table = PolicyTable(stateCount: model.stateCount, actionCount: model.actionCount)
        table.update(from: policy, features: features)
        let cot = logitCotangent(table: table, model: model, horizon: horizon, gamma: gamma)
        var grad = [Double](repeating: 0, count: policy.parameterCount)
        policy.backpropagate(logitCotangents: cot.cotangent, features: features, into: &grad)
        return (cot.value, grad)
    }

    /// J and the gradient with respect to the logits of every state (row-major S × A), for
    /// the policy given as a table.
    public static func logitCotangent(table: PolicyTable, model: TabularModel, horizon: Int,
                                      gamma: Double) -> (value: Double, cotangent: [Double]) {
        let S = model.stateCount, A = model.actionCount
        let d = occupancy(table: table, model: model, horizon: horizon)
        var cot = [Double](repeating: 0, count: S * A)
        var vNext = [Double](repeating: 0, count: S), v = vNext, q = [Double](repeating: 0, count: A)
        var discount = [Double](repeating: 1, count: max(horizon, 1))
        for t in stride(from: 1, to: horizon, by: 1) { discount[t] = discount[t - 1] * gamma }
        for t in stride(from: horizon - 1, through: 0, by: -1) {
            for s in 0..<S {
                var vs = 0.0
                for k in 0..<A {
                    q[k] = actionValue(model: model, state: s, action: k, next: vNext, gamma: gamma)
                    vs += table.probabilities[s * A + k] * q[k]
                }
                v[s] = vs
                let w = discount[t] * d[t * S + s]
                if w != 0 {
                    for k in 0..<A { cot[s * A + k] += w * table.probabilities[s * A + k] * (q[k] - vs) }
                }
            }
            swap(&v, &vNext)
        }
        var j = 0.0
        for s in 0..<S { j += model.start[s] * vNext[s] }
        return (j, cot)
    }

    /// The best expected return within `horizon` steps from the start distribution (backward
    /// induction with a max; the maximising policy may depend on the steps left).
    public static func optimalValue(model: TabularModel, horizon: Int, gamma: Double) -> Double {
        let S = model.stateCount, A = model.actionCount
        var vNext = [Double](repeating: 0, count: S), v = vNext
        for _ in 0..<horizon {
            for s in 0..<S {
                // max over the actions, as `max()` picks it (the first of equals), without an array per state.
                var best = actionValue(model: model, state: s, action: 0, next: vNext, gamma: gamma)
                for a in 1..<max(A, 1) {
                    let q = actionValue(model: model, state: s, action: a, next: vNext, gamma: gamma)
                    if best < q { best = q }
                }
                v[s] = best
            }
            swap(&v, &vNext)
        }
        return (0..<S).reduce(0) { $0 + model.start[$1] * vNext[$1] }
    }

    /// Q(s, a) = Σ_o p_o (r_o + γ (1 − terminated_o) V(next_o)).
    @inlinable
    static func actionValue(model: TabularModel, state: Int, action: Int, next v: [Double], gamma: Double) -> Double {
        let k = state * model.actionCount + action
        var q = 0.0
        for i in model.offsets[k]..<model.offsets[k + 1] {
            q += model.probability[i] * (model.reward[i] + (model.terminated[i] ? 0 : gamma * v[model.next[i]]))
        }
        return q
    }

    /// d_t(s) for t < horizon: probability of being in s at step t with the episode running.
    static func occupancy(table: PolicyTable, model: TabularModel, horizon: Int) -> [Double] {
        let S = model.stateCount, A = model.actionCount
        var d = [Double](repeating: 0, count: max(horizon, 1) * S)
        for s in 0..<S { d[s] = model.start[s] }
        for t in stride(from: 1, to: horizon, by: 1) {
            for s in 0..<S {
                let mass = d[(t - 1) * S + s]
                if mass == 0 { continue }
                for a in 0..<A {
                    let pa = mass * table.probabilities[s * A + a]
                    let k = s * A + a
                    for i in model.offsets[k]..<model.offsets[k + 1] where !model.terminated[i] {
                        d[t * S + model.next[i]] += pa * model.probability[i]
                    }
                }
            }
        }
        return d
    }
}
