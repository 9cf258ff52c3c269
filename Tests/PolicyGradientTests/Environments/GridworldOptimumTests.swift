import Foundation
@testable import PolicyGradient
import XCTest

/// Exact J of the shipped FrozenLake maps against Gymnasium's reference optima.
final class GridworldOptimumTests: XCTestCase {
    struct Reference: Decodable {
        struct FiniteHorizon: Decodable { var optimal_start_value_by_horizon: [String: Double] }
        struct ValueIteration: Decodable { var greedy_actions: [[Int]]; var optimal_start_value: Double }
        var finite_horizon_gamma1: FiniteHorizon
        var value_iteration: [String: ValueIteration]
    }

    static let tests = repositoryRoot.appendingPathComponent("Tests/PolicyGradientTests")

    func load(_ stem: String, _ reference: String) throws -> (Gridworld, Reference) {
        let env = try Gridworld.load(path: repositoryRoot.appendingPathComponent("envs/\(stem).txt").path)
        let data = try Data(contentsOf: Self.tests.appendingPathComponent("Fixtures/gym/\(reference).json"))
        return (env, try JSONDecoder().decode(Reference.self, from: data))
    }

    /// The exact J of a deterministic tabular policy (logits ±60: π(a) = 1 − 1e-25).
    func exactJ(_ env: Gridworld, actions: [Int], horizon: Int) -> Double {
        var policy = TabularPolicy(stateCount: env.stateCount, actionCount: env.actionCount)
        for s in 0..<env.stateCount { policy.parameters[s * env.actionCount + actions[s]] = 60 }
        return ExactGradient.evaluate(policy: policy, model: env.model, features: .oneHot(stateCount: env.stateCount),
                                      horizon: horizon, gamma: 1).value
    }

    /// Backward induction over the time limit reproduces Gymnasium's finite-horizon optimum
    /// (4x4 slippery: 0.74419 in 100 steps; 8x8: 0.64072 in 100, 0.91322 in 200).
    func testFiniteHorizonOptimaMatchGymnasium() throws {
        for (stem, ref) in [("FrozenLake-v1-4x4", "FrozenLake-v1_4x4_slippery"),
                            ("FrozenLake-v1-8x8", "FrozenLake-v1_8x8_slippery")] {
            let (env, r) = try load(stem, ref)
            for (h, value) in r.finite_horizon_gamma1.optimal_start_value_by_horizon {
                let mine = ExactGradient.optimalValue(model: env.model, horizon: Int(h)!, gamma: 1)
                XCTAssertEqual(mine, value, accuracy: 1e-12, "\(stem), \(h) steps")
            }
        }
    }

    /// Gymnasium's greedy (γ = 1) policy, run as a deterministic tabular policy for 100 steps,
    /// gets an exact J (0.74016) at most the finite-horizon optimum and within 1% of it; over a very
    /// long horizon it approaches the infinite-horizon value 14/17.
    func testGreedyPolicyExactJ() throws {
        let (env, r) = try load("FrozenLake-v1-4x4", "FrozenLake-v1_4x4_slippery")
        let greedy = try XCTUnwrap(r.value_iteration["1.0"]).greedy_actions.map { $0[0] }  // first of the tied maximisers
        let optimum = try XCTUnwrap(r.finite_horizon_gamma1.optimal_start_value_by_horizon["100"])
        let j = exactJ(env, actions: greedy, horizon: 100)
        XCTAssertLessThanOrEqual(j, optimum + 1e-12)
        XCTAssertGreaterThan(j, optimum * 0.99, "greedy policy J = \(j), optimum \(optimum)")
        XCTAssertEqual(exactJ(env, actions: greedy, horizon: 5000), 14.0 / 17.0, accuracy: 1e-9)
    }
}
