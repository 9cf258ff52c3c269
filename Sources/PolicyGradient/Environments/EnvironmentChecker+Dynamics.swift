import Foundation

extension EnvironmentChecker {
    /// The checks of a ``KnownDynamics`` environment's table, and of the table against sampled steps:
    /// * `model-shape`: the table has the environment's numbers of states and actions.
    /// * `start-distribution`: non-negative, sums to 1 within 1e-9.
    /// * `probabilities`: every (s, a) has non-negative outcome probabilities summing to 1 within 1e-9.
    /// * `table-values`: next states in range, rewards finite.
    /// * `reset-matches-start`: sampled start frequencies agree with the start distribution.
    /// * `steps-match-table`: for every (s, a) sampled at least ``minimumVisits`` times, the
    ///   frequency of each (next state, terminated) is within ``tolerance`` standard errors
    ///   √(p(1 − p)/n) of the table's probability, and no outcome of probability 0 occurs.
    /// * `rewards-match-table`: the mean sampled reward is within ``tolerance`` standard errors
    ///   of the table's expected reward Σ pᵢ rᵢ.
    static func checkDynamics<E: Environment>(_ env: E, model m: TabularModel, sample: CheckSample) -> [CheckResult] {
        guard m.stateCount == env.stateCount, m.actionCount == env.actionCount else {
            return [CheckResult("model-shape", passed: false,
                                detail: "the table has \(m.stateCount) states x \(m.actionCount) actions; "
                                    + "the environment \(env.stateCount) x \(env.actionCount)")]
        }
        return [CheckResult("model-shape", passed: true, detail: "\(m.stateCount) states x \(m.actionCount) actions"),
                startDistribution(m), probabilities(m), tableValues(m),
                resetMatchesStart(m, sample: sample), stepsMatchTable(m, sample: sample),
                rewardsMatchTable(m, sample: sample)]
    }

    static func startDistribution(_ m: TabularModel) -> CheckResult {
        let sum = m.start.reduce(0, +)
        if let s = m.start.firstIndex(where: { !($0 >= 0) }) {
            return CheckResult("start-distribution", passed: false, detail: "start[\(s)] = \(m.start[s]) is negative")
        }
        let ok = abs(sum - 1) <= 1e-9
        return CheckResult("start-distribution", passed: ok,
                           detail: ok ? "non-negative, sums to 1" : "sums to \(sum), not 1")
    }

    static func probabilities(_ m: TabularModel) -> CheckResult {
        for s in 0..<m.stateCount {
            for a in 0..<m.actionCount {
                let o = m.outcomes(state: s, action: a)
                if let bad = o.first(where: { !($0.probability >= 0) }) {
                    return CheckResult("probabilities", passed: false,
                                       detail: "state \(s), action \(a): probability \(bad.probability) is negative")
                }
                let sum = o.reduce(0) { $0 + $1.probability }
                if abs(sum - 1) > 1e-9 {
                    return CheckResult("probabilities", passed: false,
                                       detail: "state \(s), action \(a): outcome probabilities sum to \(sum), not 1")
                }
            }
        }
        return CheckResult("probabilities", passed: true,
                           detail: "\(m.stateCount * m.actionCount) state-action pairs, each summing to 1")
    }

    static func tableValues(_ m: TabularModel) -> CheckResult {
        for i in m.next.indices {
            if !(0..<m.stateCount).contains(m.next[i]) {
                return CheckResult("table-values", passed: false, detail: "outcome \(i): next state \(m.next[i]) out of range")
            }
            if !m.reward[i].isFinite {
                return CheckResult("table-values", passed: false, detail: "outcome \(i): reward \(m.reward[i]) is not finite")
            }
        }
        return CheckResult("table-values", passed: true, detail: "\(m.next.count) outcomes, next states in range, rewards finite")
    }

    static func resetMatchesStart(_ m: TabularModel, sample: CheckSample) -> CheckResult {
        let n = Double(sample.starts.values.reduce(0, +))
        guard n > 0 else { return CheckResult("reset-matches-start", passed: false, detail: "no valid reset") }
        var worst = 0.0
        for s in 0..<m.stateCount {
            let p = m.start[s], f = Double(sample.starts[s] ?? 0) / n
            if p <= 0 && f > 0 {
                return CheckResult("reset-matches-start", passed: false,
                                   detail: "reset gave state \(s), whose start probability is 0")
            }
            let z = standardScore(frequency: f, probability: p, count: n)
            if z > tolerance {
                return CheckResult("reset-matches-start", passed: false,
                                   detail: "state \(s): sampled start frequency \(format(f)) vs table \(format(p)) "
                                       + "over \(Int(n)) resets (\(format(z)) standard errors)")
            }
            worst = max(worst, z)
        }
        return CheckResult("reset-matches-start", passed: true,
                           detail: "\(Int(n)) resets, largest deviation \(format(worst)) standard errors")
    }

    static func stepsMatchTable(_ m: TabularModel, sample: CheckSample) -> CheckResult {
        var worst = 0.0, pairs = 0
        for (sa, t) in sample.tallies.sorted(by: { $0.key < $1.key }) {
            let (s, a) = (sa / m.actionCount, sa % m.actionCount)
            var table: [CheckSample.OutcomeKey: Double] = [:]
            for o in m.outcomes(state: s, action: a) {
                table[CheckSample.OutcomeKey(next: o.next, terminated: o.terminated), default: 0] += o.probability
            }
            for (key, count) in t.outcomes where (table[key] ?? 0) <= 0 {
                return CheckResult("steps-match-table", passed: false,
                                   detail: "state \(s), action \(a): step gave next state \(key.next) (terminated: "
                                       + "\(key.terminated)) \(count) times; the table gives it probability 0")
            }
            guard t.visits >= minimumVisits else { continue }
            pairs += 1
            let n = Double(t.visits)
            for (key, p) in table.sorted(by: { ($0.key.next, $0.key.terminated ? 1 : 0) < ($1.key.next, $1.key.terminated ? 1 : 0) }) {
                let f = Double(t.outcomes[key] ?? 0) / n
                let z = standardScore(frequency: f, probability: p, count: n)
                if z > tolerance {
                    return CheckResult("steps-match-table", passed: false,
                                       detail: "state \(s), action \(a): next state \(key.next) (terminated: \(key.terminated)) "
                                           + "sampled with frequency \(format(f)), table \(format(p)), over \(t.visits) steps "
                                           + "(\(format(z)) standard errors)")
                }
                worst = max(worst, z)
            }
        }
        return CheckResult("steps-match-table", passed: true,
                           detail: "\(pairs) state-action pairs sampled >= \(minimumVisits) times, "
                               + "largest deviation \(format(worst)) standard errors")
    }

    static func rewardsMatchTable(_ m: TabularModel, sample: CheckSample) -> CheckResult {
        var worst = 0.0, pairs = 0, nonFinite = 0
        for (sa, t) in sample.tallies.sorted(by: { $0.key < $1.key }) where t.visits >= minimumVisits {
            if t.finiteRewards < t.visits { nonFinite += 1; continue }  // rewards-finite reports those
            let (s, a) = (sa / m.actionCount, sa % m.actionCount)
            let n = Double(t.visits), mean = t.rewardMean
            let se = (t.rewardSquares / (n - 1) / n).squareRoot()
            let expected = m.expectedReward(state: s, action: a)
            let slack = 1e-9 * max(1, abs(expected))
            pairs += 1
            let gap = abs(mean - expected)
            if !(gap <= tolerance * se + slack) {
                return CheckResult("rewards-match-table", passed: false,
                                   detail: "state \(s), action \(a): mean sampled reward \(format(mean)) vs table \(format(expected)) "
                                       + "over \(t.visits) steps (standard error \(format(se)))")
            }
            if se > 0 { worst = max(worst, gap / se) }
        }
        return CheckResult("rewards-match-table", passed: true,
                           detail: "\(pairs) state-action pairs, largest deviation \(format(worst)) standard errors"
                               + (nonFinite > 0 ? " (\(nonFinite) with non-finite rewards left to rewards-finite)" : ""))
    }

    /// |f − p| / √(p(1 − p)/n), 0 when they agree exactly, infinite when p is 0 or 1 and f is not.
    static func standardScore(frequency f: Double, probability p: Double, count n: Double) -> Double {
        let gap = abs(f - p)
        if gap <= 1e-12 { return 0 }
        let se = (p * (1 - p) / n).squareRoot()
        return se > 0 ? gap / se : .infinity
    }

    static func format(_ x: Double) -> String { String(format: "%.4g", x) }
}
