import Foundation
@testable import PolicyGradient
import XCTest

/// ``VarianceDecomposition`` against a brute-force enumeration of every trajectory of a tiny
/// MDP (revisits, stochastic and terminating transitions, γ < 1): each component by the law of
/// total variance, and their sum equal to tr Cov of the one-episode estimate.
final class VarianceDecompositionTests: XCTestCase {
    /// One step of an enumerated trajectory.
    struct Step { var state: Int, action: Int, reward: Double }

    /// Every trajectory of `horizon` steps from the start distribution, with its probability.
    static func trajectories(_ m: TabularModel, probabilities p: [Double], horizon: Int) -> [(Double, [Step])] {
        let A = m.actionCount
        var out: [(Double, [Step])] = []
        func walk(_ s: Int, _ prob: Double, _ path: [Step]) {
            if path.count == horizon { out.append((prob, path)); return }
            for a in 0..<A where p[s * A + a] > 0 {
                for o in m.outcomes(state: s, action: a) where o.probability > 0 {
                    let next = path + [Step(state: s, action: a, reward: o.reward)]
                    let q = prob * p[s * A + a] * o.probability
                    if o.terminated { out.append((q, next)) } else { walk(o.next, q, next) }
                }
            }
        }
        for s in 0..<m.stateCount where m.start[s] > 0 { walk(s, m.start[s], []) }
        return out
    }

    /// x_t of a trajectory (logit space), zero after it ended.
    static func steps(_ path: [Step], p: [Double], S: Int, A: Int, H: Int, gamma: Double,
                      baseline: (Int, Int) -> Double) -> [[Double]] {
        (0..<H).map { t in
            var x = [Double](repeating: 0, count: S * A)
            guard t < path.count else { return x }
            var g = 0.0
            for (i, step) in path[t...].enumerated() { g += pow(gamma, Double(i)) * step.reward }
            let s = path[t].state
            for j in 0..<A {
                x[s * A + j] = pow(gamma, Double(t)) * ((j == path[t].action ? 1 : 0) - p[s * A + j]) * (g - baseline(t, s))
            }
            return x
        }
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    /// The components by enumeration: per step, the law of total variance over (s_t, a_t, rest).
    static func bruteForce(_ m: TabularModel, table: PolicyTable, horizon H: Int, gamma: Double,
                           baseline: @escaping (Int, Int) -> Double) -> (state: Double, action: Double, trajectory: Double, total: Double) {
        let S = m.stateCount, A = m.actionCount, p = table.probabilities
        let paths = trajectories(m, probabilities: p, horizon: H)
        let xs = paths.map { steps($0.1, p: p, S: S, A: A, H: H, gamma: gamma, baseline: baseline) }
        var state = 0.0, action = 0.0, trajectory = 0.0
        for t in 0..<H {
            // Groups: by s_t (−1 once ended) and by (s_t, a_t).
            var byState: [Int: (Double, [Double])] = [:], byPair: [Int: (Double, [Double])] = [:]
            var mean = [Double](repeating: 0, count: S * A), second = 0.0
            for (i, (prob, path)) in paths.enumerated() {
                let x = xs[i][t]
                let s = t < path.count ? path[t].state : -1, pair = t < path.count ? path[t].state * A + path[t].action : -1
                byState[s, default: (0, [Double](repeating: 0, count: S * A))].0 += prob
                byPair[pair, default: (0, [Double](repeating: 0, count: S * A))].0 += prob
                for k in x.indices {
                    byState[s]!.1[k] += prob * x[k]
                    byPair[pair]!.1[k] += prob * x[k]
                    mean[k] += prob * x[k]
                }
                second += prob * dot(x, x)
            }
            let stateMeans = byState.values.reduce(0.0) { $0 + dot($1.1, $1.1) / $1.0 }
            let pairMeans = byPair.values.reduce(0.0) { $0 + dot($1.1, $1.1) / $1.0 }
            state += stateMeans - dot(mean, mean)
            action += pairMeans - stateMeans
            trajectory += second - pairMeans
        }
        var mean = [Double](repeating: 0, count: S * A), second = 0.0
        for (i, (prob, _)) in paths.enumerated() {
            let x = xs[i].reduce(into: [Double](repeating: 0, count: S * A)) { for k in $0.indices { $0[k] += $1[k] } }
            for k in x.indices { mean[k] += prob * x[k] }
            second += prob * dot(x, x)
        }
        return (state, action, trajectory, second - dot(mean, mean))
    }

    /// 2 states, 2 actions, H = 4: stochastic and terminating transitions, state 0 revisited.
    static let tiny = TabularModel(start: [0.7, 0.3], outcomes: [
        [[Outcome(probability: 0.6, next: 1, reward: 1, terminated: false), Outcome(probability: 0.4, next: 0, reward: 0, terminated: false)],
         [Outcome(probability: 0.8, next: 0, reward: -0.5, terminated: false), Outcome(probability: 0.2, next: 1, reward: 2, terminated: true)]],
        [[Outcome(probability: 0.5, next: 0, reward: 2, terminated: false), Outcome(probability: 0.5, next: 1, reward: 0, terminated: true)],
         [Outcome(probability: 1, next: 0, reward: 0.3, terminated: false)]],
    ])

    func testComponentsMatchEnumeration() throws {
        var table = PolicyTable(stateCount: 2, actionCount: 2)
        table.update(fromTable: [0.4, -0.3, 1.1, 0.2])
        let cases: [(VarianceDecomposition.BaselineValues, (Int, Int) -> Double)] = [
            (.zero, { _, _ in 0 }), (.constant(0.7), { _, _ in 0.7 }), (.perState([0.3, -0.2]), { _, s in [0.3, -0.2][s] }),
        ]
        for gamma in [1.0, 0.9] {
            for (baseline, b) in cases {
                let exact = try XCTUnwrap(VarianceDecomposition.exact(model: Self.tiny, table: table, horizon: 4, gamma: gamma,
                                                                      baseline: baseline))
                let brute = Self.bruteForce(Self.tiny, table: table, horizon: 4, gamma: gamma, baseline: b)
                let label = "\(baseline), γ \(gamma)"
                XCTAssertEqual(exact.state, brute.state, accuracy: 1e-12, label)
                XCTAssertEqual(exact.action, brute.action, accuracy: 1e-12, label)
                XCTAssertEqual(exact.trajectory, brute.trajectory, accuracy: 1e-12, label)
                XCTAssertEqual(exact.baselineNoise, 0)
                XCTAssertEqual(try XCTUnwrap(exact.total), brute.total, accuracy: 1e-12, "the parts sum to tr Cov: \(label)")
                XCTAssertNotEqual(try XCTUnwrap(exact.acrossSteps), 0, accuracy: 1e-6, "revisits make steps covary")
            }
        }
    }

    /// A leave-one-out baseline (K = 2): its mean m_t acts as a per-step baseline and its noise
    /// Var(G_t) adds Σ_t E‖γᵗ u_t‖² Var(G_t); checked per step against pairs of enumerated
    /// episodes (the estimate's episode and the other one of its context).
    func testLeaveOneOutNoiseMatchesPairedEnumeration() throws {
        let m = TabularModel(start: [1, 0], outcomes: Self.tiny.outcomes(allOf: Self.tiny))
        var table = PolicyTable(stateCount: 2, actionCount: 2)
        table.update(fromTable: [0.4, -0.3, 1.1, 0.2])
        let exact = try XCTUnwrap(VarianceDecomposition.exact(model: m, table: table, horizon: 3, gamma: 1, baseline: .leaveOneOut(samples: 2)))
        let paths = Self.trajectories(m, probabilities: table.probabilities, horizon: 3)
        func returnToGo(_ path: [Step], _ t: Int) -> Double { t < path.count ? path[t...].reduce(0) { $0 + $1.reward } : 0 }
        // Σ_t Var(x_t) with b_t = the other episode's G_t.
        var perStep = 0.0
        for t in 0..<3 {
            var mean = [Double](repeating: 0, count: 4), second = 0.0
            for (p1, e1) in paths {
                for (p2, e2) in paths {
                    let x = Self.steps(e1, p: table.probabilities, S: 2, A: 2, H: 3, gamma: 1) { t, _ in returnToGo(e2, t) }[t]
                    for k in 0..<4 { mean[k] += p1 * p2 * x[k] }
                    second += p1 * p2 * Self.dot(x, x)
                }
            }
            perStep += second - Self.dot(mean, mean)
        }
        XCTAssertEqual(exact.state + exact.action + exact.trajectory + exact.baselineNoise, perStep, accuracy: 1e-12)
        XCTAssertGreaterThan(exact.baselineNoise, 0)
        XCTAssertNil(VarianceDecomposition.exact(model: Self.tiny, table: table, horizon: 3, gamma: 1, baseline: .leaveOneOut(samples: 2)),
                     "contexts share a random start: not computed")
    }

    /// A bandit: one step, so Var(x) = state 0, action Var_a(u (q_a − b)), trajectory Σ π_a n_a σ_a².
    func testBanditWithRewardNoiseByHand() throws {
        let model = TabularModel(start: [1], outcomes: [[[Outcome(probability: 1, next: 0, reward: 1, terminated: true)],
                                                          [Outcome(probability: 1, next: 0, reward: 3, terminated: true)]]])
        var table = PolicyTable(stateCount: 1, actionCount: 2)
        table.update(fromTable: [0, log(3)])
        let e = try XCTUnwrap(VarianceDecomposition.exact(model: model, table: table, horizon: 1, gamma: 1, baseline: .zero,
                                                          rewardVariance: [1, 4]))
        // π = (1/4, 3/4); u_a = e_a − π has ‖u‖² = 2 (1 − π_a)²; E[x] = π ⊙ (q − q̄), q̄ = 2.5.
        let n = [2 * 0.75 * 0.75, 2 * 0.25 * 0.25], pi = [0.25, 0.75], q = [1.0, 3]
        let meanNorm = 0.25 * 0.25 * 1.5 * 1.5 + 0.75 * 0.75 * 0.5 * 0.5
        XCTAssertEqual(e.state, 0, accuracy: 1e-15)
        XCTAssertEqual(e.action, pi[0] * n[0] * q[0] * q[0] + pi[1] * n[1] * q[1] * q[1] - meanNorm, accuracy: 1e-12)
        XCTAssertEqual(e.trajectory, pi[0] * n[0] * 1 + pi[1] * n[1] * 4, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(e.acrossSteps), 0, accuracy: 1e-12)
    }
}

/// The decomposition against sampling: REINFORCE's measured tr Cov on FrozenLake 4x4 (where
/// states are revisited) matches the exact sum of the parts within 4 standard errors, for no
/// baseline and for `vimco` (whose other-episode covariance is small there), and `pg variance`'s
/// rows carry the parts.
final class VarianceDecompositionStudyTests: XCTestCase {
    func testMeasuredVarianceMatchesTheParts() throws {
        let env = try EnvironmentRegistry.make("FrozenLake-v1-4x4", options: testEnvironmentOptions)
        var c = TrainingConfiguration()
        c.episodes = 8
        c.seed = 4
        c.threads = 1
        let policy = ZeroBiasCalibration.randomPolicy(env, scale: 1, seed: 3)
        let rows = try VarianceStudy.run(environment: env, policy: policy, variants: [
            SweepVariant(estimator: EstimatorSpec("none"), configuration: c),
            SweepVariant(estimator: EstimatorSpec("vimco", settings: try estimatorSettings("vimco", ["samples": .integer(2)])),
                         configuration: c),
            SweepVariant(estimator: EstimatorSpec("exact"), configuration: c),
        ], replicates: 1500, decompose: true)
        for r in rows.prefix(2) {
            let d = try XCTUnwrap(r.decomposition, r.label)
            let total = try XCTUnwrap(d.total)
            XCTAssertEqual(r.statistics.variance, total, accuracy: 4 * r.statistics.varianceStandardError,
                           "\(r.label): measured \(r.statistics.variance) ± \(r.statistics.varianceStandardError), parts \(d)")
            XCTAssertGreaterThan(d.trajectory, d.state)
        }
        XCTAssertGreaterThan(rows[1].decomposition?.baselineNoise ?? 0, 0)
        XCTAssertNil(rows[2].decomposition, "exact is not a REINFORCE baseline")
    }

    /// The reference row: `optimal`'s b*_t(s) minimises each step's action part given its state, so
    /// its action part is the least of every baseline's; no baseline changes the state and
    /// trajectory parts.
    func testOptimalBaselineHasTheLeastActionPart() throws {
        let env = try EnvironmentRegistry.make("FrozenLake-v1-4x4", options: testEnvironmentOptions)
        let policy = ZeroBiasCalibration.randomPolicy(env, scale: 1, seed: 3)
        var c = TrainingConfiguration()
        c.episodes = 8
        let parts = try ["optimal", "none", "ema", "nvil", "vimco"].map { name in
            try XCTUnwrap(VarianceStudy.decomposition(of: EstimatorSpec(name), environment: env, policy: policy,
                                                      features: try env.stateFeatures(), configuration: c), name)
        }
        for p in parts.dropFirst() {
            XCTAssertLessThan(parts[0].action, p.action)
            XCTAssertEqual(p.state, parts[0].state, accuracy: 1e-12 * parts[0].state)
            XCTAssertEqual(p.trajectory, parts[0].trajectory, accuracy: 1e-12 * parts[0].trajectory)
        }
    }
}

extension TabularModel {
    /// The outcome lists of `m` (to rebuild it with another start).
    func outcomes(allOf m: TabularModel) -> [[[Outcome]]] {
        (0..<m.stateCount).map { s in (0..<m.actionCount).map { m.outcomes(state: s, action: $0) } }
    }
}
