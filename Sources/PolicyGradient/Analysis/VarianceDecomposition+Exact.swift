extension VarianceDecomposition {
    /// The exact components for one episode of REINFORCE with `baseline` under the tabular
    /// policy of `table`, by dynamic programming over (t, s).
    ///
    /// Backward: Q_t(s,a), V_t(s), the second moments M_t(s,a) = E[G_t² | s, a] (with each
    /// (s, a)'s reward variance) and W_t(s) = Σ_a π M_t(s,a); forward: d_t(s). With
    /// c_a = Q_t(s,a) − b, c̄ = Σ_a π_a c_a, g = π ⊙ (c − c̄) = E[x_t | s]/γᵗ and n_a = ‖e_a − π‖²:
    /// state = Σ_t (Σ_s d‖γᵗ g‖² − ‖Σ_s d γᵗ g‖²), action = Σ_t γ²ᵗ Σ_s d (Σ_a π_a n_a c_a² − ‖g‖²),
    /// trajectory = Σ_t γ²ᵗ Σ_s d Σ_a π_a n_a (M − Q²), and the noise of a leave-one-out
    /// baseline Σ_t γ²ᵗ Σ_s d Σ_a π_a n_a Var(G_t)/(K − 1). The covariance across steps comes
    /// from ``revisitMoment(_:)``.
    /// - Parameters:
    ///   - model: the known dynamics.
    ///   - table: the policy's probabilities (its parameters must be the logits: a tabular policy).
    ///   - horizon: H.
    ///   - gamma: γ.
    ///   - baseline: the baseline.
    ///   - rewardVariance: the variance of the reward of each (s, a) beyond its outcomes (a
    ///     bandit's Gaussian arms), row-major S × A; nil for none.
    /// - Returns: nil for a leave-one-out baseline when the start state is random (the episodes
    ///   of a context share it, which this computation does not follow).
    /// - Complexity: O(H · Σ outcomes) for the three parts, O(S · H · Σ outcomes · A) more for
    ///   the covariance across steps (within ``revisitBudget``); O(H · S · A) memory.
    public static func exact(model: TabularModel, table: PolicyTable, horizon: Int, gamma: Double, baseline: BaselineValues,
                             rewardVariance: [Double]? = nil) -> VarianceDecomposition? {
        let S = model.stateCount, A = model.actionCount, H = max(horizon, 1)
        if case .leaveOneOut = baseline, model.start.filter({ $0 > 0 }).count > 1 { return nil }
        let m = Moments(model: model, table: table, horizon: H, gamma: gamma, rewardVariance: rewardVariance)
        let d = ExactGradient.occupancy(table: table, model: model, horizon: H)
        let b = baselineValues(baseline, moments: m, occupancy: d, stateCount: S, horizon: H)
        let p = table.probabilities
        var state = 0.0, action = 0.0, trajectory = 0.0, noise = 0.0, meanSquares = 0.0
        var gradient = [Double](repeating: 0, count: S * A), g = [Double](repeating: 0, count: A)
        var discount = 1.0
        for t in 0..<H {
            let g2 = discount * discount
            for s in 0..<S {
                let w = d[t * S + s]
                guard w > 0 else { continue }
                let bt = b.value[t * S + s], row = s * A, base = (t * S + s) * A
                var cbar = 0.0, piSquare = 0.0
                for a in 0..<A { cbar += p[row + a] * (m.q[base + a] - bt); piSquare += p[row + a] * p[row + a] }
                var gNorm = 0.0, actionPart = 0.0, trajectoryPart = 0.0, scoreNorm = 0.0
                for a in 0..<A {
                    let pa = p[row + a], c = m.q[base + a] - bt
                    g[a] = pa * (c - cbar)
                    gNorm += g[a] * g[a]
                    let n = 1 - 2 * pa + piSquare
                    actionPart += pa * n * c * c
                    trajectoryPart += pa * n * (m.second[base + a] - m.q[base + a] * m.q[base + a])
                    scoreNorm += pa * n
                    gradient[row + a] += discount * w * g[a]
                }
                state += g2 * (w - w * w) * gNorm
                meanSquares += g2 * w * w * gNorm
                action += g2 * w * (actionPart - gNorm)
                trajectory += g2 * w * trajectoryPart
                noise += g2 * w * scoreNorm * b.noise[t]
            }
            discount *= gamma
        }
        var across: Double?
        let outcomes = Double(model.probability.count) / Double(max(S * A, 1))
        if Double(S) * Double(S) * Double(H) * Double(A * A) * outcomes <= revisitBudget {
            let norm2 = gradient.reduce(0) { $0 + $1 * $1 }
            across = 2 * revisitMoment(model: model, table: table, moments: m, occupancy: d, baseline: b.value, gamma: gamma)
                - (norm2 - meanSquares)
        }
        return VarianceDecomposition(state: state, action: action, trajectory: trajectory, baselineNoise: noise,
                                     acrossSteps: across)
    }

    /// b_t(s) (row-major H × S) and, for a leave-one-out baseline, its variance per step.
    static func baselineValues(_ baseline: BaselineValues, moments m: Moments, occupancy d: [Double], stateCount S: Int,
                               horizon H: Int) -> (value: [Double], noise: [Double]) {
        var value = [Double](repeating: 0, count: H * S), noise = [Double](repeating: 0, count: H)
        switch baseline {
        case .zero: break
        case let .constant(c): for i in value.indices { value[i] = c }
        case let .perState(b): for t in 0..<H { for s in 0..<S { value[t * S + s] = b[s] } }
        case let .perStepAndState(b): for i in 0..<min(b.count, H * S) { value[i] = b[i] }
        case let .leaveOneOut(k):
            for t in 0..<H {
                var mean = 0.0, square = 0.0
                for s in 0..<S { mean += d[t * S + s] * m.v[t * S + s]; square += d[t * S + s] * m.w[t * S + s] }
                for s in 0..<S { value[t * S + s] = mean }
                noise[t] = max(0, square - mean * mean) / Double(max(k - 1, 1))
            }
        }
        return (value, noise)
    }

    /// The converged `ema` and `mean` baselines at a fixed policy (running averages of the
    /// return-to-go of every step): the value averaged over all steps,
    /// Σ_{t,s} d_t(s) V_t(s) / Σ_{t,s} d_t(s).
    public static func stepAveragedValue(model: TabularModel, table: PolicyTable, horizon: Int, gamma: Double) -> Double {
        let S = model.stateCount, H = max(horizon, 1)
        let m = Moments(model: model, table: table, horizon: H, gamma: gamma, rewardVariance: nil)
        let d = ExactGradient.occupancy(table: table, model: model, horizon: H)
        var mass = 0.0, sum = 0.0
        for i in 0..<(H * S) { mass += d[i]; sum += d[i] * m.v[i] }
        return mass > 0 ? sum / mass : 0
    }

    /// The converged `nvil` baseline at a fixed policy: each state's value averaged over its
    /// visits, Σ_t d_t(s) V_t(s) / Σ_t d_t(s) (0 for a state never visited).
    public static func visitAveragedValues(model: TabularModel, table: PolicyTable, horizon: Int, gamma: Double) -> [Double] {
        let S = model.stateCount, H = max(horizon, 1)
        let m = Moments(model: model, table: table, horizon: H, gamma: gamma, rewardVariance: nil)
        let d = ExactGradient.occupancy(table: table, model: model, horizon: H)
        return (0..<S).map { s in
            var mass = 0.0, sum = 0.0
            for t in 0..<H { mass += d[t * S + s]; sum += d[t * S + s] * m.v[t * S + s] }
            return mass > 0 ? sum / mass : 0
        }
    }

    /// Q_t, V_t and the second moments of G_t, row-major over (t, s[, a]).
    struct Moments {
        var q: [Double], second: [Double], v: [Double], w: [Double]

        init(model: TabularModel, table: PolicyTable, horizon H: Int, gamma: Double, rewardVariance: [Double]?) {
            let S = model.stateCount, A = model.actionCount, p = table.probabilities
            q = [Double](repeating: 0, count: H * S * A)
            second = q
            v = [Double](repeating: 0, count: H * S)
            w = v
            for t in stride(from: H - 1, through: 0, by: -1) {
                for s in 0..<S {
                    var vs = 0.0, ws = 0.0
                    for a in 0..<A {
                        let k = s * A + a
                        var qa = 0.0, ma = rewardVariance?[k] ?? 0
                        for o in model.offsets[k]..<model.offsets[k + 1] {
                            let po = model.probability[o], r = model.reward[o]
                            var vNext = 0.0, wNext = 0.0
                            if !model.terminated[o], t + 1 < H {
                                vNext = v[(t + 1) * S + model.next[o]]
                                wNext = w[(t + 1) * S + model.next[o]]
                            }
                            qa += po * (r + gamma * vNext)
                            ma += po * (r * r + 2 * gamma * r * vNext + gamma * gamma * wNext)
                        }
                        q[(t * S + s) * A + a] = qa
                        second[(t * S + s) * A + a] = ma
                        vs += p[k] * qa
                        ws += p[k] * ma
                    }
                    v[t * S + s] = vs
                    w[t * S + s] = ws
                }
            }
        }
    }
}
