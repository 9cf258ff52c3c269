import Foundation

extension FactorisedCategorical {
    /// J = γ^{D−1} Σ_z p(z) (−f(z)), p(z) = Π_d π(z_d|s_d), and ∂J/∂π(k|s) =
    /// γ^{D−1} Σ_z Σ_{d: s_d = s, z_d = k} Π_{d′≠d} π(z_{d′}|s_{d′}) (−f(z)), by enumerating the
    /// K^D joint choices (the leave-one-out products from prefix and suffix products, so a zero
    /// probability needs no division).
    /// - Complexity: O(D · K^D) time, O(D + S·K) memory.
    public func exactObjective(probabilities: [Double], gamma: Double) -> (value: Double, gradient: [Double]) {
        let d = variables, k = categories
        precondition(probabilities.count == stateCount * k, "π must have \(stateCount) × \(k) entries")
        var gradient = [Double](repeating: 0, count: stateCount * k)
        var z = [Int](repeating: 0, count: d), prefix = [Double](repeating: 1, count: d + 1), suffix = prefix
        var value = 0.0
        repeat {
            var f = 0.0
            for v in 0..<d {
                let q = probabilities[row(v) + z[v]]
                prefix[v + 1] = prefix[v] * q
                f += costs[v * k + z[v]]
                if v > 0, z[v] != z[v - 1] { f += interaction }
            }
            for v in stride(from: d - 1, through: 0, by: -1) { suffix[v] = probabilities[row(v) + z[v]] * suffix[v + 1] }
            let r = -f
            value += prefix[d] * r
            for v in 0..<d { gradient[row(v) + z[v]] += prefix[v] * suffix[v + 1] * r }
        } while Self.advance(&z, radix: k)
        let scale = pow(gamma, Double(d - 1))
        return (value * scale, gradient.map { $0 * scale })
    }

    /// About 5 D K^D multiply-adds.
    public var exactObjectiveCost: Int {
        var n = 1
        for _ in 0..<variables { n *= categories }
        return 5 * variables * n
    }

    /// The best J of a stationary policy: γ^{D−1} max_z (−f(z)) when each variable has its own
    /// state (J is multilinear in the rows, so a deterministic policy attains it); with a shared
    /// state and no interaction, J is linear in the one row and the best is a category chosen by
    /// every variable; otherwise (a shared state with interaction) unknown, nil.
    public func optimalObjective(gamma: Double) -> Double? {
        let d = variables, k = categories, scale = pow(gamma, Double(d - 1))
        if sharesState {
            guard interaction == 0 else { return nil }
            let best = (0..<k).map { c in -(0..<d).reduce(0) { $0 + costs[$1 * k + c] } }.max()!
            return best * scale
        }
        var z = [Int](repeating: 0, count: d), best = -Double.infinity
        repeat { best = max(best, -loss(z)) } while Self.advance(&z, radix: k)
        return best * scale
    }

    /// The row of variable v's state in π.
    @inline(__always) func row(_ v: Int) -> Int { sharesState ? 0 : v * categories }

    /// The next joint choice in mixed-radix order (z_0 fastest); false after the last.
    static func advance(_ z: inout [Int], radix k: Int) -> Bool {
        for v in z.indices {
            z[v] += 1
            if z[v] < k { return true }
            z[v] = 0
        }
        return false
    }
}
