import Foundation
@testable import PolicyGradient
import XCTest

/// Tabular MDP files: a Gymnasium export loads, its exact J is the hand computation, the exact
/// gradient is the derivative of exact J, and reset and step sample the table.
final class TabularEnvironmentTests: XCTestCase {
    /// A 3-state chain as Python's `json.dump({"P": u.P, "initial_state_distrib": …,
    /// "max_episode_steps": 3}, f, default=lambda x: x.tolist())` writes it for a Gymnasium
    /// environment with that `P`: dicts keyed by strings, floats as `1.0`.
    ///
    /// States 0, 1, 2 (terminal); actions 0 (left), 1 (right). Right from 0 goes to 1; right
    /// from 1 reaches 2 with reward 1 (terminated) or stays, half and half; left goes to 0.
    static let chainExport = """
        {"P": {"0": {"0": [[1.0, 0, 0.0, false]], "1": [[1.0, 1, 0.0, false]]}, \
        "1": {"0": [[1.0, 0, 0.0, false]], "1": [[0.5, 2, 1.0, true], [0.5, 1, 0.0, false]]}, \
        "2": {"0": [[1.0, 2, 0.0, true]], "1": [[1.0, 2, 0.0, true]]}}, \
        "initial_state_distrib": [1.0, 0.0, 0.0], "max_episode_steps": 3}
        """

    /// The same chain with arrays, pg's own names and the optional keys.
    static let chainArrays = """
        {"type": "tabular", "name": "chain", "description": "three states",
         "action_names": ["left", "right"], "state_names": ["start", "middle", "end"],
         "max_episode_steps": 3, "initial_state_distrib": [1, 0, 0],
         "P": [[[[1, 0, 0, false]], [[1, 1, 0, false]]],
               [[[1, 0, 0, false]], [[0.5, 2, 1, true], [0.5, 1, 0, false]]],
               [[[1, 2, 0, true]], [[1, 2, 0, true]]]]}
        """

    /// A tabular policy with π(right | s) = 3/4 in every state.
    static func threeQuartersRight(_ env: TabularEnvironment) -> TabularPolicy {
        var policy = TabularPolicy(stateCount: env.stateCount, actionCount: 2)
        for s in 0..<env.stateCount { policy.parameters[s * 2 + 1] = log(3) }
        return policy
    }

    static func exactJ<P: Policy>(_ env: TabularEnvironment, _ policy: P, gamma: Double) -> Double {
        ExactGradient.evaluate(policy: policy, model: env.model, features: .oneHot(stateCount: env.stateCount),
                               horizon: env.timeLimit, gamma: gamma).value
    }

    /// With p = 3/4 and V_k the value with k steps left: V_1(1) = p/2 = 3/8, V_2(0) = p·V_1(1)
    /// = 9/32, V_2(1) = p·(1/2 + V_1(1)/2) = 33/64, J = V_3(0) = p·V_2(1) + (1 − p)·V_2(0)
    /// = 99/256 + 18/256 = 117/256. With γ = 0.9 every value after a step is discounted:
    /// V_2(0) = 0.9·p·3/8 = 0.253125, V_2(1) = p·(1/2 + 0.9·3/16) = 0.5015625,
    /// J = 0.9·(p·0.5015625 + (1 − p)·0.253125) = 0.3955078125.
    func testAGymnasiumExportLoadsAndItsExactJIsTheHandComputation() throws {
        let env = try TabularEnvironment(parsing: Self.chainExport, file: "/tmp/chain-export.json")
        XCTAssertEqual(env.id, "chain-export", "the name defaults to the file name")
        XCTAssertEqual([env.stateCount, env.actionCount, env.timeLimit], [3, 2, 3])
        XCTAssertEqual(env.actionNames, ["0", "1"])
        XCTAssertNil(env.stateNames)
        XCTAssertEqual(env.model.outcomes(state: 1, action: 1), [
            Outcome(probability: 0.5, next: 2, reward: 1, terminated: true),
            Outcome(probability: 0.5, next: 1, reward: 0, terminated: false),
        ])
        let policy = Self.threeQuartersRight(env)
        XCTAssertEqual(Self.exactJ(env, policy, gamma: 1), 117.0 / 256.0, accuracy: 1e-15)
        XCTAssertEqual(Self.exactJ(env, policy, gamma: 0.9), 0.3955078125, accuracy: 1e-15)
        XCTAssertEqual(ExactGradient.optimalValue(model: env.model, horizon: 3, gamma: 1), 0.75, accuracy: 1e-15,
                       "right, right, right: 1/2 + 1/4")
        XCTAssertTrue(EnvironmentChecker.passes(env, seed: 2, steps: 5000))
    }

    func testArraysAndObjectsGiveTheSameEnvironment() throws {
        let a = try TabularEnvironment(parsing: Self.chainArrays, file: "chain.json")
        let b = try TabularEnvironment(parsing: Self.chainExport, file: "chain.json")
        XCTAssertEqual(a.model, b.model)
        XCTAssertEqual(a.id, "chain")
        XCTAssertEqual(a.description, "three states")
        XCTAssertEqual(a.actionNames, ["left", "right"])
        XCTAssertEqual(a.stateNames, ["start", "middle", "end"])
        let meanings = Self.chainArrays.replacingOccurrences(of: "action_names", with: "action_meanings")
        XCTAssertEqual(try TabularEnvironment(parsing: meanings, file: "chain.json").actionNames, ["left", "right"])
        // Keys in any order, next states written as whole floats.
        let shuffled = #"{"max_episode_steps": 3, "initial_state_distrib": [1, 0, 0], "P": {"2": [[[1, 2.0, 0, true]], [[1, 2, 0, true]]], "#
            + #""0": [[[1, 0, 0, false]], [[1, 1, 0, false]]], "1": {"1": [[0.5, 2, 1, true], [0.5, 1, 0, false]], "0": [[1, 0, 0, false]]}}}"#
        XCTAssertEqual(try TabularEnvironment(parsing: shuffled, file: "c.json").model, a.model)
    }

    /// ExactGradientTests' hand-made MDP written as a file is that MDP, and on it the exact
    /// gradient equals central differences of exact J, parameter by parameter.
    func testExactGradientMatchesFiniteDifferencesOfExactJ() throws {
        let text = """
            {"max_episode_steps": 4, "initial_state_distrib": [0.5, 0.3, 0.2], "P": [
             [[[0.8, 1, 1, false], [0.2, 0, 0, false]], [[0.5, 2, 2, true], [0.5, 1, -0.5, false]]],
             [[[1, 0, 0.5, false]], [[0.6, 2, 3, true], [0.4, 1, -1, false]]],
             [[[0.5, 0, 1, false], [0.5, 2, 0, true]], [[1, 1, -2, false]]]]}
            """
        let env = try TabularEnvironment(parsing: text, file: "hand.json")
        XCTAssertEqual(env.model, HandMDP().model)
        var rng = RandomStream(seed: 5)
        var policy = TabularPolicy(stateCount: 3, actionCount: 2)
        policy.parameters = (0..<6).map { _ in rng.nextGaussian() }
        let x = StateFeatures.oneHot(stateCount: 3)
        let exact = ExactGradient.evaluate(policy: policy, model: env.model, features: x,
                                           horizon: 4, gamma: 0.9)
        let h = 1e-5
        for i in 0..<6 {
            var plus = policy, minus = policy
            plus.parameters[i] += h
            minus.parameters[i] -= h
            let fd = (Self.exactJ(env, plus, gamma: 0.9) - Self.exactJ(env, minus, gamma: 0.9)) / (2 * h)
            XCTAssertEqual(exact.gradient[i], fd, accuracy: 1e-8, "parameter \(i)")
        }
        XCTAssertGreaterThan(exact.gradient.map(abs).max()!, 0.01, "a gradient that is not zero")
    }

    // MARK: Sampling

    /// Frequencies of reset states and of step outcomes within 4 standard errors of the table,
    /// for a few seeds.
    func testResetAndStepSampleTheTable() throws {
        let text = """
            {"max_episode_steps": 5, "initial_state_distrib": [0.2, 0.5, 0.3],
             "P": [[[[0.1, 0, 1, false], [0.6, 1, 2, false], [0.3, 2, 3, true]]],
                   [[[1, 0, 0, false]]], [[[1, 2, 0, true]]]]}
            """
        let env = try TabularEnvironment(parsing: text, file: "sample.json"), n = 20_000
        for seed: UInt64 in [1, 2, 3] {
            var e = env, rng = RandomStream(seed: seed)
            var starts = [0, 0, 0], nexts = [0, 0, 0]
            for _ in 0..<n {
                starts[e.reset(using: &rng)] += 1
                e.state = 0
                let r = e.step(0, using: &rng)
                nexts[r.state] += 1
                XCTAssertEqual(r.reward, Double(r.state + 1))
                XCTAssertEqual(r.terminated, r.state == 2)
                XCTAssertFalse(r.truncated)
            }
            for (counts, p) in [(starts, [0.2, 0.5, 0.3]), (nexts, [0.1, 0.6, 0.3])] {
                for s in 0..<3 {
                    let freq = Double(counts[s]) / Double(n)
                    XCTAssertLessThan(abs(freq - p[s]), 4 * (p[s] * (1 - p[s]) / Double(n)).squareRoot(), "seed \(seed), state \(s)")
                }
            }
        }
    }

    // MARK: Registry

    /// A `.json` file with `P` (or `"type": "tabular"`) is a tabular MDP, without it a bandit spec.
    func testTheRegistryTellsTabularFilesFromBanditSpecs() throws {
        let dir = NSTemporaryDirectory() + "pg-tabular-\(ProcessInfo.processInfo.processIdentifier)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.chainArrays.write(toFile: dir + "/chain.json", atomically: true, encoding: .utf8)
        try Self.chainExport.write(toFile: dir + "/export.json", atomically: true, encoding: .utf8)
        try #"{"arms": [{"distribution": "bernoulli", "p": 0.5}]}"#.write(toFile: dir + "/coin.json", atomically: true, encoding: .utf8)
        try #"{"type": "tabular"}"#.write(toFile: dir + "/typed.json", atomically: true, encoding: .utf8)
        var options = EnvironmentOptions()
        options.directories = [dir]
        XCTAssertEqual((try EnvironmentRegistry.make("chain", options: options) as? TabularEnvironment)?.id, "chain")
        XCTAssertNotNil(try EnvironmentRegistry.make(dir + "/export.json") as? TabularEnvironment)
        XCTAssertNotNil(try EnvironmentRegistry.make("coin", options: options) as? Bandit)
        XCTAssertThrowsError(try EnvironmentRegistry.make("typed", options: options)) {
            XCTAssertEqual($0 as? InputError, InputError("missing key \"P\" (required: P, initial_state_distrib, max_episode_steps)",
                                                         file: dir + "/typed.json", line: 1, column: 1))
        }
        let listed = Dictionary(uniqueKeysWithValues: EnvironmentRegistry.list(directories: [dir]).map { ($0.name, $0.description) })
        XCTAssertEqual(listed["chain"], "three states")
        XCTAssertEqual(listed["export"], "tabular MDP: 3 states, 2 actions, time limit 3")
        XCTAssertEqual(listed["coin"], "bandit from \(dir)/coin.json")
        XCTAssertEqual(listed["typed"]?.hasPrefix("(does not load: "), true)
    }
}
