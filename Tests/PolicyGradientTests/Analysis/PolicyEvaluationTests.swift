import Foundation
@testable import PolicyGradient
import XCTest

/// Exact expected visits and values of a fixed policy (PolicyEvaluation) against hand
/// computations, and against ExactGradient's J on the shipped maps.
final class PolicyEvaluationTests: XCTestCase {
    /// Three states, two actions, start in 0:
    /// s0 a0 → s1 (r 1); s0 a1 → s0 (½, r 0) or terminates in s2 (½, r 2);
    /// s1 a0 terminates (r 3); s1 a1 → s0 (r −1); s2 absorbing.
    static let model = TabularModel(start: [1, 0, 0], outcomes: [
        [[Outcome(probability: 1, next: 1, reward: 1, terminated: false)],
         [Outcome(probability: 0.5, next: 0, reward: 0, terminated: false),
          Outcome(probability: 0.5, next: 2, reward: 2, terminated: true)]],
        [[Outcome(probability: 1, next: 1, reward: 3, terminated: true)],
         [Outcome(probability: 1, next: 0, reward: -1, terminated: false)]],
        [[Outcome(probability: 1, next: 2, reward: 0, terminated: true)],
         [Outcome(probability: 1, next: 2, reward: 0, terminated: true)]],
    ])
    /// π(·|s0) = (½, ½), π(·|s1) = (¼, ¾), π(·|s2) = (½, ½).
    static let policy = [0.5, 0.5, 0.25, 0.75, 0.5, 0.5]

    /// d0 = (1, 0, 0); d1 = (¼, ½, 0) (s0 stays w.p. ½·½, reaches s1 w.p. ½);
    /// d2 = (¼·¼ + ½·¾, ¼·½, 0) = (7/16, 1/8, 0). Visits: (27/16, 5/8, 0), which sum to the
    /// expected length 1 + ¾ + 9/16.
    func testExpectedVisitsByHand() {
        let v = PolicyEvaluation.expectedVisits(model: Self.model, probabilities: Self.policy, horizon: 3)
        XCTAssertEqual(v, [27.0 / 16, 5.0 / 8, 0])
        XCTAssertEqual(v.reduce(0, +), 1 + 0.75 + 9.0 / 16)
        XCTAssertEqual(PolicyEvaluation.expectedVisits(model: Self.model, probabilities: Self.policy, horizon: 1), [1, 0, 0])
        XCTAssertEqual(PolicyEvaluation.expectedVisits(model: Self.model, probabilities: Self.policy, horizon: 0), [0, 0, 0])
    }

    /// γ = ½, H = 3. One step left: V(s0) = ½·1 + ½·(½·2) = 1, V(s1) = ¼·3 + ¾·(−1) = 0.
    /// Two: V(s0) = ½(1 + ½·0) + ½(½·½·1 + ½·2) = 9/8, V(s1) = ¼·3 + ¾(−1 + ½·1) = 3/8.
    /// Three: V(s0) = ½(1 + ½·3/8) + ½(½·½·9/8 + 1) = 79/64, V(s1) = ¾ + ¾(−1 + 9/16) = 27/64.
    func testValuesByHand() {
        let m = Self.model, p = Self.policy
        XCTAssertEqual(PolicyEvaluation.values(model: m, probabilities: p, horizon: 1, gamma: 0.5), [1, 0, 0])
        XCTAssertEqual(PolicyEvaluation.values(model: m, probabilities: p, horizon: 2, gamma: 0.5), [9.0 / 8, 3.0 / 8, 0])
        XCTAssertEqual(PolicyEvaluation.values(model: m, probabilities: p, horizon: 3, gamma: 0.5), [79.0 / 64, 27.0 / 64, 0])
        XCTAssertEqual(PolicyEvaluation.objective(model: m, probabilities: p, horizon: 3, gamma: 0.5), 79.0 / 64)
        XCTAssertEqual(PolicyEvaluation.values(model: m, probabilities: p, horizon: 0, gamma: 0.5), [0, 0, 0])
    }

    /// On FrozenLake (holes end episodes) and CliffWalking (cliffs restart them), at a random
    /// policy: J from the values equals ExactGradient's J, and — the forward recursion against
    /// the backward one — Σ_s visits(s) Σ_a π(a|s) r̄(s, a) equals J for γ = 1.
    func testAgreesWithExactGradientOnShippedMaps() throws {
        let envs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("envs")
        for stem in ["FrozenLake-v1-4x4", "CliffWalking-v1"] {
            let world = try Gridworld.load(path: envs.appendingPathComponent(stem + ".txt").path)
            let m = world.model, A = m.actionCount, H = world.timeLimit
            var rng = RandomStream(seed: 7)
            var table = PolicyTable(stateCount: m.stateCount, actionCount: A)
            table.update(fromTable: (0..<(m.stateCount * A)).map { _ in rng.nextGaussian() })
            let p = table.probabilities
            let exact = ExactGradient.logitCotangent(table: table, model: m, horizon: H, gamma: 1).value
            let j = PolicyEvaluation.objective(model: m, probabilities: p, horizon: H, gamma: 1)
            XCTAssertEqual(j, exact, accuracy: 1e-9 * max(1, abs(exact)), stem)
            let visits = PolicyEvaluation.expectedVisits(model: m, probabilities: p, horizon: H)
            var forward = 0.0
            for s in 0..<m.stateCount {
                for a in 0..<A { forward += visits[s] * p[s * A + a] * m.expectedReward(state: s, action: a) }
            }
            XCTAssertEqual(forward, exact, accuracy: 1e-9 * max(1, abs(exact)), stem)
            XCTAssertLessThanOrEqual(visits.reduce(0, +), Double(H) + 1e-9, "visits sum to the expected length ≤ H")
        }
    }
}
