import Foundation
@testable import PolicyGradient
import XCTest

/// A small hand-made MDP with stochastic transitions, terminal transitions, rewards on both, a
/// start distribution over all states, and dense (not one-hot) features.
///
/// States 0, 1, 2; actions 0, 1.
/// - s0: a0 → s1 (0.8, r 1) | s0 (0.2, r 0); a1 → s2 (0.5, r 2, terminated) | s1 (0.5, r −0.5).
/// - s1: a0 → s0 (1, r 0.5); a1 → s2 (0.6, r 3, terminated) | s1 (0.4, r −1).
/// - s2: a0 → s0 (0.5, r 1) | s2 (0.5, r 0, terminated); a1 → s1 (1, r −2).
struct HandMDP: KnownDynamics, CustomFeatures {
    var id: String { "hand-mdp" }
    var actionCount: Int { 2 }
    var stateCount: Int { 3 }
    var featureCount: Int { 3 }
    let timeLimit: Int
    let model: TabularModel
    private var state = 0

    init(timeLimit: Int = 4) {
        self.timeLimit = timeLimit
        func o(_ p: Double, _ s: Int, _ r: Double, _ t: Bool = false) -> Outcome {
            Outcome(probability: p, next: s, reward: r, terminated: t)
        }
        model = TabularModel(start: [0.5, 0.3, 0.2], outcomes: [
            [[o(0.8, 1, 1), o(0.2, 0, 0)], [o(0.5, 2, 2, true), o(0.5, 1, -0.5)]],
            [[o(1, 0, 0.5)], [o(0.6, 2, 3, true), o(0.4, 1, -1)]],
            [[o(0.5, 0, 1), o(0.5, 2, 0, true)], [o(1, 1, -2)]],
        ])
    }

    /// Dense features: no state is one-hot, so linear and MLP policies share weights across states.
    func features(of state: Int, into out: inout MutableSpan<Double>) {
        let rows: [[Double]] = [[1, 0.5, -0.3], [0.2, -1, 0.7], [-0.6, 0.4, 1]]
        for j in 0..<3 { out[j] = rows[state][j] }
    }

    mutating func reset(using rng: inout RandomStream) -> Int {
        state = model.sampleStart(using: &rng)
        return state
    }

    mutating func step(_ action: Int, using rng: inout RandomStream) -> StepResult {
        let i = model.sampleOutcome(state: state, action: action, using: &rng)
        state = model.next[i]
        return StepResult(state: state, reward: model.reward[i], terminated: model.terminated[i])
    }
}

/// Exact J and ∇J (Estimators.md) against closed forms, brute-force enumeration of trajectories,
/// and finite differences.
final class ExactGradientTests: XCTestCase {
    private func gaussians(_ n: Int, _ rng: inout RandomStream, sd: Double = 1) -> [Double] {
        (0..<n).map { _ in sd * rng.nextGaussian() }
    }

    private func probabilities<P: Policy>(_ p: P, features: StateFeatures, states: Int) -> [[Double]] {
        (0..<states).map { s in (0..<p.actionCount).map { exp(p.logProbability(of: $0, state: s, features: features)) } }
    }

    /// J by enumerating every trajectory up to the horizon: Σ_τ P(τ) Σ_t γᵗ r_t.
    private func bruteForceJ<P: Policy>(_ p: P, model m: TabularModel, features: StateFeatures,
                                        horizon: Int, gamma: Double) -> (value: Double, trajectories: Int) {
        let pi = probabilities(p, features: features, states: m.stateCount)
        var total = 0.0, leaves = 0
        func walk(_ s: Int, t: Int, probability: Double, discount: Double, ret: Double) {
            if t == horizon { total += probability * ret; leaves += 1; return }
            for a in 0..<m.actionCount {
                for o in m.outcomes(state: s, action: a) {
                    let q = probability * pi[s][a] * o.probability
                    let r = ret + discount * o.reward
                    if o.terminated { total += q * r; leaves += 1 }
                    else { walk(o.next, t: t + 1, probability: q, discount: discount * gamma, ret: r) }
                }
            }
        }
        for s in 0..<m.stateCount where m.start[s] > 0 { walk(s, t: 0, probability: m.start[s], discount: 1, ret: 0) }
        return (total, leaves)
    }

    private func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        let n = { (v: [Double]) in v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        let scale = max(n(a), n(b))
        return scale == 0 ? 0 : n(zip(a, b).map { $0 - $1 }) / scale
    }

    /// J(φ) by the library and by enumeration agree, and ∇J equals central differences of the enumerated J.
    private func assertExact<P: Policy, E: KnownDynamics>(_ policy: P, _ env: E, gamma: Double, _ label: String,
                                                          file: StaticString = #filePath, line: UInt = #line) {
        let x = try! env.stateFeatures(), m = env.model, h = env.timeLimit
        let exact = ExactGradient.evaluate(policy: policy, model: m, features: x, horizon: h, gamma: gamma)
        let brute = bruteForceJ(policy, model: m, features: x, horizon: h, gamma: gamma)
        XCTAssertEqual(exact.value, brute.value, accuracy: 1e-12, "\(label): J", file: file, line: line)
        let step = 1e-5
        let fd = (0..<policy.parameterCount).map { i -> Double in
            var plus = policy, minus = policy
            plus.parameters[i] += step
            minus.parameters[i] -= step
            return (bruteForceJ(plus, model: m, features: x, horizon: h, gamma: gamma).value
                - bruteForceJ(minus, model: m, features: x, horizon: h, gamma: gamma).value) / (2 * step)
        }
        XCTAssertEqual(exact.gradient.count, policy.parameterCount, label, file: file, line: line)
        XCTAssertLessThan(relativeError(exact.gradient, fd), 1e-6, "\(label): ∇J vs FD", file: file, line: line)
        XCTAssertGreaterThan(fd.map(abs).max()!, 1e-3, "\(label): a vanishing gradient checks nothing", file: file, line: line)
    }

    // MARK: Bandits

    func testBanditJIsExpectedArmValueAndGradientMatchesClosedForm() {
        for seed: UInt64 in [1, 2, 3] {
            let env = Bandit.tenArmedTestbed(seed: seed, mean: 1)
            var rng = RandomStream(seed: seed).split(3)
            var p = TabularPolicy(stateCount: 1, actionCount: 10)
            p.parameters = gaussians(10, &rng)
            let pi = probabilities(p, features: .oneHot(stateCount: 1), states: 1)[0]
            let q = env.arms.map(\.mean)
            let j = zip(pi, q).reduce(0) { $0 + $1.0 * $1.1 }
            let exact = ExactGradient.evaluate(policy: p, model: env.model, features: .oneHot(stateCount: 1), horizon: 1, gamma: 1)
            XCTAssertEqual(exact.value, j, accuracy: 1e-12, "seed \(seed)")
            // ∂J/∂z_k = π_k (q_k − J) for a single-state softmax.
            for k in 0..<10 { XCTAssertEqual(exact.gradient[k], pi[k] * (q[k] - j), accuracy: 1e-12, "seed \(seed) arm \(k)") }
            assertExact(p, env, gamma: 1, "bandit10 tabular seed \(seed)")
            var lin = LinearPolicy(featureCount: 1, actionCount: 10)
            lin.parameters = gaussians(lin.parameterCount, &rng)
            assertExact(lin, env, gamma: 1, "bandit10 linear seed \(seed)")
        }
        var p = TabularPolicy(stateCount: 1, actionCount: 3)
        p.parameters = [0.2, -0.4, 0.9]
        assertExact(p, Bandit.bernoulli([0.1, 0.5, 0.9]), gamma: 1, "bernoulli")
        var t = TabularPolicy(stateCount: 1, actionCount: 2)
        t.parameters = [0.3, -0.1]
        assertExact(t, Toy(binaryTarget: 0.45), gamma: 1, "toy")
        let toyJ = ExactGradient.evaluate(policy: t, model: Toy(binaryTarget: 0.45).model, features: .oneHot(stateCount: 1),
                                          horizon: 1, gamma: 1).value
        let p1 = 1 / (1 + exp(0.3 - (-0.1)))  // π(b = 1)
        XCTAssertEqual(toyJ, -(p1 * 0.55 * 0.55 + (1 - p1) * 0.45 * 0.45), accuracy: 1e-14)
    }

    // MARK: A small MDP: stochastic transitions, termination, γ < 1, a time limit

    func testHandMDPTabular() {
        for seed: UInt64 in [1, 2, 3] {
            var rng = RandomStream(seed: seed)
            for horizon in [1, 3, 5] {
                var p = TabularPolicy(stateCount: 3, actionCount: 2)
                p.parameters = gaussians(6, &rng)
                assertExact(p, HandMDP(timeLimit: horizon), gamma: 0.9, "tabular H \(horizon) seed \(seed)")
            }
        }
    }

    func testHandMDPLinearAndMLP() {
        for seed: UInt64 in [1, 2] {
            var rng = RandomStream(seed: seed)
            let env = HandMDP(timeLimit: 4)
            var lin = LinearPolicy(featureCount: 3, actionCount: 2)
            lin.parameters = gaussians(lin.parameterCount, &rng)
            assertExact(lin, env, gamma: 0.9, "linear seed \(seed)")
            for hidden in [[4], [3, 3]] {
                var mlp = MLPPolicy(featureCount: 3, actionCount: 2, hidden: hidden, activation: .tanh, using: &rng)
                mlp.parameters = gaussians(mlp.parameterCount, &rng)
                assertExact(mlp, env, gamma: 0.9, "mlp \(hidden) seed \(seed)")
            }
        }
    }

    func testEnumerationVisitsManyTrajectories() {
        let env = HandMDP(timeLimit: 4)
        let b = bruteForceJ(TabularPolicy(stateCount: 3, actionCount: 2), model: env.model, features: try! env.stateFeatures(),
                            horizon: 4, gamma: 0.9)
        XCTAssertGreaterThan(b.trajectories, 100)
    }

    func testUndiscountedAndZeroDiscount() {
        let env = HandMDP(timeLimit: 3)
        var p = TabularPolicy(stateCount: 3, actionCount: 2)
        p.parameters = [0.5, -0.5, 1, 0, -1, 0.3]
        assertExact(p, env, gamma: 1, "γ = 1")
        // γ = 0: J is the expected first reward.
        let x = try! env.stateFeatures()
        let pi = probabilities(p, features: x, states: 3)
        var first = 0.0
        for s in 0..<3 { for a in 0..<2 { first += env.model.start[s] * pi[s][a] * env.model.expectedReward(state: s, action: a) } }
        let j0 = ExactGradient.evaluate(policy: p, model: env.model, features: x, horizon: 3, gamma: 0).value
        XCTAssertEqual(j0, first, accuracy: 1e-14)
    }

    // MARK: optimalValue by hand

    /// s0: a0 → s0 (r 1), a1 → s1 (r 0); s1: a0 → terminal (r 3), a1 → s1 (r 2); γ = 0.9, start (½, ½).
    /// V¹ = (1, 3); V² = (max(1.9, 2.7), max(3, 4.7)) = (2.7, 4.7);
    /// V³ = (max(1 + 2.43, 4.23), max(3, 2 + 4.23)) = (4.23, 6.23); J* = (4.23 + 6.23)/2 = 5.23.
    func testOptimalValueByHand() {
        let m = TabularModel(start: [0.5, 0.5], outcomes: [
            [[Outcome(probability: 1, next: 0, reward: 1, terminated: false)],
             [Outcome(probability: 1, next: 1, reward: 0, terminated: false)]],
            [[Outcome(probability: 1, next: 1, reward: 3, terminated: true)],
             [Outcome(probability: 1, next: 1, reward: 2, terminated: false)]],
        ])
        XCTAssertEqual(ExactGradient.optimalValue(model: m, horizon: 0, gamma: 0.9), 0)
        XCTAssertEqual(ExactGradient.optimalValue(model: m, horizon: 1, gamma: 0.9), 2, accuracy: 1e-12)
        XCTAssertEqual(ExactGradient.optimalValue(model: m, horizon: 2, gamma: 0.9), 3.7, accuracy: 1e-12)
        XCTAssertEqual(ExactGradient.optimalValue(model: m, horizon: 3, gamma: 0.9), 5.23, accuracy: 1e-12)
        // No stationary deterministic policy beats it; the best one for H = 3 (s0 → a1, s1 → a1) gets
        // s0: 0.9 (2 + 0.9 · 2) = 3.42, s1: 2 + 0.9 · 2 + 0.81 · 2 = 5.42, J = 4.42 < 5.23.
        var best = -Double.infinity
        for a0 in 0..<2 {
            for a1 in 0..<2 {
                var p = TabularPolicy(stateCount: 2, actionCount: 2)
                p.parameters = [a0 == 0 ? 60 : -60, a0 == 0 ? -60 : 60, a1 == 0 ? 60 : -60, a1 == 0 ? -60 : 60]
                let j = ExactGradient.evaluate(policy: p, model: m, features: .oneHot(stateCount: 2),
                                               horizon: 3, gamma: 0.9).value
                best = max(best, j)
            }
        }
        XCTAssertEqual(best, 4.42, accuracy: 1e-9)
        // Bandits: the best arm's mean.
        let env = Bandit.tenArmedTestbed(seed: 4)
        XCTAssertEqual(ExactGradient.optimalValue(model: env.model, horizon: 1, gamma: 1), env.arms[env.optimalAction].mean)
    }
}
