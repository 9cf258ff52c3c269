extension VarianceDecomposition {
    /// Σ_{t<t'} E[x_t · x_{t'}] for one episode, by a forward pass per state σ.
    ///
    /// With a tabular policy x_t · x_{t'} is zero unless s_t = s_{t'} = σ. Write u_t = e_{a_t} − π(·|σ)
    /// and G_t = R_{[t,t')} + γ^{t'−t} G_{t'} (R the discounted rewards in between). Given the
    /// history up to t' and a_{t'}, the future averages out:
    ///
    ///     E[x_t · x_{t'} | …] = γ^{2t'} (u_t · u_{t'}) (M_{t'} − b_{t'} Q_{t'}) + γ^{t'} (γᵗ u_t (R_{[t,t')} − b_t)) · u_{t'} (Q_{t'} − b_{t'}),
    ///
    /// so two forward messages per state suffice: P_k(s) = E[Σ_{t<k} 1{s_t = σ} u_t 1{s_k = s}] and
    /// R_k(s) = E[Σ_{t<k} 1{s_t = σ} γᵗ u_t (R_{[t,k)} − b_t) 1{s_k = s}], with
    /// R_{k+1} ← R_k + γᵏ r_k P_k along each transition, and a visit of σ at k adding u (to P) and
    /// γᵏ u (r_k − b_k) (to R).
    /// - Complexity: O(S · H · Σ outcomes · A).
    static func revisitMoment(model: TabularModel, table: PolicyTable, moments m: Moments, occupancy d: [Double],
                              baseline b: [Double], gamma: Double) -> Double {
        let S = model.stateCount, A = model.actionCount, H = d.count / max(S, 1), p = table.probabilities
        var total = 0.0
        var pNow = [Double](repeating: 0, count: S * A), rNow = pNow, pNext = pNow, rNext = pNow
        var live = [Bool](repeating: false, count: S), liveNext = live
        for sigma in 0..<S {
            var visited = false
            for t in 0..<H where d[t * S + sigma] > 0 { visited = true; break }
            guard visited else { continue }
            for i in pNow.indices { pNow[i] = 0; rNow[i] = 0 }
            for s in 0..<S { live[s] = false }
            let row = sigma * A
            var discount = 1.0
            for k in 0..<H {
                // Revisits: earlier visits of σ meet the visit at k.
                if live[sigma] {
                    var piP = 0.0, piR = 0.0
                    for a in 0..<A { piP += p[row + a] * pNow[row + a]; piR += p[row + a] * rNow[row + a] }
                    let base = (k * S + sigma) * A, bk = b[k * S + sigma]
                    for a in 0..<A {
                        let q = m.q[base + a], second = m.second[base + a]
                        total += p[row + a] * (discount * discount * (pNow[row + a] - piP) * (second - bk * q)
                                               + discount * (rNow[row + a] - piR) * (q - bk))
                    }
                }
                guard k + 1 < H else { break }
                for i in pNext.indices { pNext[i] = 0; rNext[i] = 0 }
                for s in 0..<S { liveNext[s] = false }
                let visit = d[k * S + sigma]
                for s in 0..<S where live[s] || (s == sigma && visit > 0) {
                    for a in 0..<A {
                        let k0 = s * A + a, pa = p[k0]
                        guard pa > 0 else { continue }
                        for o in model.offsets[k0]..<model.offsets[k0 + 1] where !model.terminated[o] {
                            let n = model.next[o], po = pa * model.probability[o], r = model.reward[o]
                            guard po > 0 else { continue }
                            let to = n * A
                            if live[s] {
                                for j in 0..<A {
                                    pNext[to + j] += po * pNow[s * A + j]
                                    rNext[to + j] += po * (rNow[s * A + j] + discount * r * pNow[s * A + j])
                                }
                            }
                            if s == sigma, visit > 0 {
                                let weight = visit * po, signal = discount * (r - b[k * S + sigma])
                                for j in 0..<A {
                                    let u = (j == a ? 1.0 : 0) - p[row + j]
                                    pNext[to + j] += weight * u
                                    rNext[to + j] += weight * signal * u
                                }
                            }
                            liveNext[n] = true
                        }
                    }
                }
                swap(&pNow, &pNext)
                swap(&rNow, &rNext)
                swap(&live, &liveNext)
                discount *= gamma
            }
        }
        return total
    }
}
