/// Exact per-state quantities of a fixed policy on a known finite-horizon MDP, by dynamic
/// programming from its ``TabularModel``: where the agent spends its time, and what each state
/// is worth.
///
/// The policy is given by its probabilities π(a|s) (row-major S × A), so any policy can be
/// evaluated: a ``PolicyTable``'s `probabilities`, a checkpoint's softmax, or a hand-written
/// table. The horizon H is the number of steps before truncation (the environment's time limit).
///
/// With d_t(s) the probability of being in s at step t with the episode still running
/// (d_0 = the start distribution; a terminating outcome removes its mass; a non-terminating one
/// moves it to its next state, also a cliff's restart):
///
///     visits(s) = Σ_{t<H} d_t(s)             (Σ_s visits(s) = E[episode length])
///     V_H(s) = 0,  V_t(s) = Σ_a π(a|s) Σ_o p_o (r_o + γ (1 − terminated_o) V_{t+1}(next_o))
///     J = Σ_s start(s) V_0(s)
///
/// These are the recursions ``ExactGradient`` uses for J and ∇J (Sutton & Barto,
/// Reinforcement Learning: An Introduction, 2nd ed., 2018, §4.1, for a finite horizon).
public enum PolicyEvaluation {
    /// The expected number of visits to each state in one episode, Σ_{t<H} d_t(s).
    ///
    /// A state counts as visited at step t when the agent stands in it and acts; the state an
    /// episode terminates in is not visited (it is never acted in), and neither is the state
    /// reached when the episode is truncated after H steps.
    /// - Parameters:
    ///   - model: the transition table and start distribution.
    ///   - probabilities: π(a|s), row-major S × A.
    ///   - horizon: H ≥ 0, the number of steps before truncation.
    /// - Returns: one expected visit count per state; the counts sum to the expected episode length.
    /// - Precondition: `probabilities.count == model.stateCount * model.actionCount`, `horizon >= 0`.
    /// - Complexity: O(H · Σ_{s,a} outcomes(s, a)) time, O(S) memory.
    public static func expectedVisits(model: TabularModel, probabilities: [Double], horizon: Int) -> [Double] {
        check(model, probabilities, horizon)
        let S = model.stateCount, A = model.actionCount
        var d = model.start, dNext = [Double](repeating: 0, count: S)
        var visits = [Double](repeating: 0, count: S)
        for t in 0..<horizon {
            for s in 0..<S { visits[s] += d[s] }
            if t == horizon - 1 { break }
            for s in 0..<S { dNext[s] = 0 }
            for s in 0..<S where d[s] != 0 {
                for a in 0..<A {
                    let mass = d[s] * probabilities[s * A + a]
                    if mass == 0 { continue }
                    let k = s * A + a
                    for i in model.offsets[k]..<model.offsets[k + 1] where !model.terminated[i] {
                        dNext[model.next[i]] += mass * model.probability[i]
                    }
                }
            }
            swap(&d, &dNext)
        }
        return visits
    }

    /// The value V_0(s) of each state with the whole horizon ahead: the expected discounted
    /// return Σ_{t<H} γᵗ r_t of an episode started in s and run for at most H steps.
    /// - Parameters:
    ///   - model: the transition table (its start distribution is not used).
    ///   - probabilities: π(a|s), row-major S × A.
    ///   - horizon: H ≥ 0, the number of steps before truncation.
    ///   - gamma: the discount γ ∈ [0, 1].
    /// - Returns: one value per state; Σ_s start(s) · V_0(s) is J.
    /// - Precondition: `probabilities.count == model.stateCount * model.actionCount`, `horizon >= 0`.
    /// - Complexity: O(H · Σ_{s,a} outcomes(s, a)) time, O(S) memory.
    public static func values(model: TabularModel, probabilities: [Double], horizon: Int, gamma: Double) -> [Double] {
        check(model, probabilities, horizon)
        let S = model.stateCount, A = model.actionCount
        var v = [Double](repeating: 0, count: S), vNext = v
        for _ in 0..<horizon {
            for s in 0..<S {
                var sum = 0.0
                for a in 0..<A {
                    let p = probabilities[s * A + a]
                    if p == 0 { continue }
                    let k = s * A + a
                    var q = 0.0
                    for i in model.offsets[k]..<model.offsets[k + 1] {
                        let future = model.terminated[i] ? 0 : gamma * vNext[model.next[i]]
                        q += model.probability[i] * (model.reward[i] + future)
                    }
                    sum += p * q
                }
                v[s] = sum
            }
            swap(&v, &vNext)
        }
        return vNext
    }

    /// J = Σ_s start(s) · V_0(s), the expected discounted return of an episode.
    /// - Parameters:
    ///   - model: the transition table and start distribution.
    ///   - probabilities: π(a|s), row-major S × A.
    ///   - horizon: H ≥ 0, the number of steps before truncation.
    ///   - gamma: the discount γ ∈ [0, 1].
    /// - Returns: J.
    /// - Precondition: as for ``values(model:probabilities:horizon:gamma:)``.
    /// - Complexity: that of ``values(model:probabilities:horizon:gamma:)``.
    public static func objective(model: TabularModel, probabilities: [Double], horizon: Int, gamma: Double) -> Double {
        let v = values(model: model, probabilities: probabilities, horizon: horizon, gamma: gamma)
        return zip(model.start, v).reduce(0) { $0 + $1.0 * $1.1 }
    }

    static func check(_ model: TabularModel, _ probabilities: [Double], _ horizon: Int) {
        precondition(probabilities.count == model.stateCount * model.actionCount,
                     "probabilities must be row-major S × A (\(model.stateCount) × \(model.actionCount))")
        precondition(horizon >= 0, "the horizon must be non-negative")
    }
}
