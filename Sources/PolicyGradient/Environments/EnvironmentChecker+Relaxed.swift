extension EnvironmentChecker {
    /// `relaxed-reward`: f(x) and ∇ₓf(x) are finite at the vertices and the centre of the
    /// simplex, ∇ₓf matches a central finite difference at the centre, and, with known dynamics,
    /// f(onehot(a)) equals the table's expected reward of (s, a).
    static func relaxedReward(_ env: any DifferentiableReward, model: TabularModel?) -> CheckResult {
        let a = env.actionCount, states = min(env.stateCount, 1000)
        var x = [Double](repeating: 0, count: a), g = x, probe = x
        for s in 0..<states {
            for vertex in -1..<a {
                for k in 0..<a { x[k] = vertex < 0 ? 1 / Double(a) : (k == vertex ? 1 : 0) }
                let f = env.reward(relaxed: x.span, state: s)
                var gs = g.mutableSpan
                env.rewardGradient(relaxed: x.span, state: s, into: &gs)
                let at = vertex < 0 ? "the centre of the simplex" : "one-hot action \(vertex)"
                if !f.isFinite || !g.allSatisfy(\.isFinite) {
                    return CheckResult("relaxed-reward", passed: false, detail: "state \(s), \(at): f or its gradient is not finite")
                }
                if vertex >= 0, let m = model {
                    let r = m.expectedReward(state: s, action: vertex)
                    if abs(f - r) > 1e-9 * max(1, abs(r)) {
                        return CheckResult("relaxed-reward", passed: false,
                                           detail: "state \(s), \(at): f = \(format(f)) but the table's reward is \(format(r))")
                    }
                } else if vertex < 0 {
                    for k in 0..<a {
                        let h = 1e-5
                        probe = x; probe[k] += h
                        let up = env.reward(relaxed: probe.span, state: s)
                        probe[k] -= 2 * h
                        let down = env.reward(relaxed: probe.span, state: s)
                        let fd = (up - down) / (2 * h)
                        if abs(fd - g[k]) > 1e-4 * max(1, abs(fd)) {
                            return CheckResult("relaxed-reward", passed: false,
                                               detail: "state \(s), \(at): df/dx[\(k)] = \(format(g[k])), finite difference \(format(fd))")
                        }
                    }
                }
            }
        }
        return CheckResult("relaxed-reward", passed: true,
                           detail: "finite, gradient matches finite differences" + (model == nil ? "" : ", equals the table at one-hot actions"))
    }
}
