@testable import PolicyGradient
import XCTest

/// Evaluation episodes of a fixed policy: the greedy policy, exact agreement with J where
/// nothing is random, and agreement within standard errors where it is.
final class PolicyEvaluationEpisodeTests: XCTestCase {
    func testGreedyTakesTheFirstMostProbableAction() {
        XCTAssertEqual(PolicyEvaluation.greedy(probabilities: [0.2, 0.5, 0.3, 0.4, 0.4, 0.2, 0.25, 0.25, 0.5], actionCount: 3),
                       [0, 1, 0, 1, 0, 0, 0, 0, 1])
    }

    /// The deterministic FrozenLake with the shortest path (down, down, right, down, right,
    /// right; actions 1 down, 2 right): every episode returns J = 1 in 6 steps.
    func testADeterministicGreedyPolicyReturnsExactlyJ() throws {
        let world = try Gridworld.load(path: shippedEnvs + "/FrozenLake-v1-4x4-deterministic.txt")
        var p = [Double](repeating: 0.25, count: 64)
        for (state, action) in [(0, 1), (4, 1), (8, 2), (9, 1), (13, 2), (14, 2)] {
            for a in 0..<4 { p[state * 4 + a] = a == action ? 0.7 : 0.1 }
        }
        let greedy = PolicyEvaluation.greedy(probabilities: p, actionCount: 4)
        let j = PolicyEvaluation.objective(model: world.model, probabilities: greedy, horizon: world.timeLimit, gamma: 0.9)
        XCTAssertEqual(j, 0.9 * 0.9 * 0.9 * 0.9 * 0.9, accuracy: 1e-15, "reward 1 on the sixth step, γ⁵")
        let s = try PolicyEvaluation.episodes(world, probabilities: greedy, count: 20, gamma: 0.9, seed: 4)
        XCTAssertEqual(s.returns.count, 20)
        XCTAssertEqual(s.meanReturn, j)
        XCTAssertEqual(s.standardError, 0)
        XCTAssertEqual(s.lengths.mean, 6)
        XCTAssertEqual(s.truncatedFraction, 0)
    }

    /// Slippery FrozenLake under a sampled policy: the mean return is within 4 standard errors
    /// of exact J, for several seeds; the same seed gives the same summary.
    func testSampledEpisodesAgreeWithExactJWithinStandardErrors() throws {
        let world = try Gridworld.load(path: shippedEnvs + "/FrozenLake-v1-4x4.txt")
        var p = [Double](repeating: 0, count: 64)
        for s in 0..<16 { p[s * 4 + 0] = 0.1; p[s * 4 + 1] = 0.4; p[s * 4 + 2] = 0.4; p[s * 4 + 3] = 0.1 }
        let j = PolicyEvaluation.objective(model: world.model, probabilities: p, horizon: world.timeLimit, gamma: 1)
        for seed: UInt64 in 1...3 {
            let s = try PolicyEvaluation.episodes(world, probabilities: p, count: 2000, gamma: 1, seed: seed)
            XCTAssertLessThan(abs(s.meanReturn - j), 4 * s.standardError, "seed \(seed): \(s.meanReturn) vs J = \(j)")
            XCTAssertEqual(s, try PolicyEvaluation.episodes(world, probabilities: p, count: 2000, gamma: 1, seed: seed))
        }
    }

    /// A time limit cuts episodes: a policy that always goes left never ends on its own.
    func testTruncatedEpisodesAreCounted() throws {
        let world = try Gridworld.load(path: shippedEnvs + "/FrozenLake-v1-4x4-deterministic.txt")
        let left = (0..<64).map { $0 % 4 == 0 ? 1.0 : 0.0 }
        let s = try PolicyEvaluation.episodes(world, probabilities: left, count: 3, gamma: 1, seed: 1)
        XCTAssertEqual(s.truncatedFraction, 1)
        XCTAssertEqual(s.lengths.mean, Double(world.timeLimit))
        XCTAssertEqual(s.meanReturn, 0)
    }
}
