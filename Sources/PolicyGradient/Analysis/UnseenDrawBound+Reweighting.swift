extension UnseenDrawBound {
    /// The score-function expectation over trajectories reweighted by w = Π (1 − f(s_t, a_t)),
    /// normalised by E[w], per state's logits, by dynamic programming over (t, s).
    ///
    /// With π̃(a|s) = (1 − f(s,a)) π(a|s) (sub-stochastic), d̃_t(s) the weighted occupancy,
    /// Ŵ_t(s) = E[Π_{t'≥t} w_{t'} | s_t = s] (1 at the horizon and after termination),
    /// W̃_t(s,a) = Σ_o p_o Ŵ_{t+1}(next_o), Q̃_t(s,a) = Σ_o p_o (r_o Ŵ_{t+1}(next_o) + γ Ṽ_{t+1}(next_o))
    /// (terms of a terminating outcome: r_o alone) and Ṽ_t(s) = Σ_a π̃(a|s) Q̃_t(s,a):
    ///
    ///     mean[s, j]        = Σ_t γᵗ d̃_t(s) (π̃_j Q̃_t(s,j) − π_j Ṽ_t(s)) / Z,
    ///     sensitivity[s, j] = Σ_t γᵗ d̃_t(s) (π̃_j W̃_t(s,j) − π_j Ŵ_t(s)) / Z,   Z = Σ_s start(s) Ŵ_0(s),
    ///
    /// so that E[w ĝ]/E[w] = mean − b · sensitivity for a constant baseline b (for a tabular
    /// policy, whose parameters are the logits). With f = 0 everywhere, mean is ∇J's logit
    /// cotangent and sensitivity is 0.
    struct Reweighting {
        /// m(0) per state's logits (row-major S × A).
        var mean: [Double]
        /// ω per state's logits.
        var sensitivity: [Double]
        /// Σ_t |ω_t| per state's logits (for a baseline that varies with t).
        var absoluteSensitivity: [Double]

        /// - Parameter fractions: f(s,a), row-major S × A, in [0, 1].
        /// - Complexity: O(H · Σ_{s,a} outcomes(s,a)) time, O(H · S) memory.
        init(model: TabularModel, table: PolicyTable, horizon: Int, gamma: Double, fractions f: [Double]) {
            let S = model.stateCount, A = model.actionCount, p = table.probabilities
            let kept = (0..<(S * A)).map { p[$0] * (1 - f[$0]) }
            let d = Self.occupancy(model: model, policy: kept, horizon: horizon)
            mean = [Double](repeating: 0, count: S * A)
            sensitivity = mean
            absoluteSensitivity = mean
            var wNext = [Double](repeating: 1, count: S), vNext = [Double](repeating: 0, count: S)
            var w = wNext, v = vNext, q = [Double](repeating: 0, count: A), wa = q
            var discount = [Double](repeating: 1, count: max(horizon, 1))
            for t in stride(from: 1, to: horizon, by: 1) { discount[t] = discount[t - 1] * gamma }
            for t in stride(from: horizon - 1, through: 0, by: -1) {
                for s in 0..<S {
                    var ws = 0.0, vs = 0.0
                    for k in 0..<A {
                        let i = s * A + k
                        var qk = 0.0, wk = 0.0
                        for o in model.offsets[i]..<model.offsets[i + 1] {
                            let po = model.probability[o]
                            if model.terminated[o] {
                                qk += po * model.reward[o]
                                wk += po
                            } else {
                                let n = model.next[o]
                                qk += po * (model.reward[o] * wNext[n] + gamma * vNext[n])
                                wk += po * wNext[n]
                            }
                        }
                        q[k] = qk
                        wa[k] = wk
                        ws += kept[i] * wk
                        vs += kept[i] * qk
                    }
                    w[s] = ws
                    v[s] = vs
                    let mass = discount[t] * d[t * S + s]
                    guard mass > 0 else { continue }
                    for j in 0..<A {
                        let i = s * A + j
                        mean[i] += mass * (kept[i] * q[j] - p[i] * vs)
                        let omega = mass * (kept[i] * wa[j] - p[i] * ws)
                        sensitivity[i] += omega
                        absoluteSensitivity[i] += abs(omega)
                    }
                }
                swap(&w, &wNext)
                swap(&v, &vNext)
            }
            var z = 0.0
            for s in 0..<S { z += model.start[s] * wNext[s] }
            if z > 0 {
                for i in mean.indices {
                    mean[i] /= z
                    sensitivity[i] /= z
                    absoluteSensitivity[i] /= z
                }
            }
        }

        /// d̃_t(s) for t < H under the sub-stochastic `policy` (row-major S × A).
        static func occupancy(model: TabularModel, policy: [Double], horizon: Int) -> [Double] {
            let S = model.stateCount, A = model.actionCount
            var d = [Double](repeating: 0, count: max(horizon, 1) * S)
            for s in 0..<S { d[s] = model.start[s] }
            for t in stride(from: 1, to: horizon, by: 1) {
                for s in 0..<S {
                    let mass = d[(t - 1) * S + s]
                    if mass == 0 { continue }
                    for a in 0..<A {
                        let k = s * A + a, pa = mass * policy[k]
                        if pa == 0 { continue }
                        for i in model.offsets[k]..<model.offsets[k + 1] where !model.terminated[i] {
                            d[t * S + model.next[i]] += pa * model.probability[i]
                        }
                    }
                }
            }
            return d
        }
    }
}
