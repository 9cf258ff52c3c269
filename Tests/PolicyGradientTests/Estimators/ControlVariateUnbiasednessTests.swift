import Foundation
@testable import PolicyGradient
import XCTest

/// `rebar` and `relax` are unbiased for the exact gradient (Bonferroni z-test of
/// ``GradientStatistics/Comparison/isConsistentWithZeroBias``) on the binary toy (t = 0.45 and
/// 0.499), a 3-action toy, bandit10 (REBAR with a learned critic) and the slippery FrozenLake
/// 4x4, at the initial policy and at a policy trained by `ema`; and the test notices a missing
/// term: REBAR without −η ∇f(x̃) is flagged as biased.
final class ControlVariateUnbiasednessTests: XCTestCase {
    /// Small networks keep the debug build fast; the estimators are unbiased for any of them.
    let small: [String: SettingValue] = ["critic_hidden": .integers([8]), "surrogate_hidden": .integers([8])]

    /// The zero-bias comparison of `replicates` estimates of `name` after `warmUp` batches.
    func comparison(_ name: String, environment: any Environment, policy: any Policy, settings: [String: SettingValue] = [:],
                    episodes: Int, replicates: Int, warmUp: Int = 20) throws -> GradientStatistics.Comparison {
        let own = try EstimatorRegistry.descriptor(named: name).settings.map(\.key)
        let chosen = small.merging(settings) { $1 }.filter { own.contains($0.key) }
        var session = try makeSession(name, environment: environment, policy: policy, settings: chosen, episodes: episodes, seed: 19)
        try session.warmUp(batches: warmUp)
        return try comparison(of: &session, replicates: replicates)
    }

    func comparison(of session: inout any TrainingSession, replicates: Int) throws -> GradientStatistics.Comparison {
        let exact = try XCTUnwrap(session.exactGradient())
        var all: [Double] = []
        for r in 0..<replicates { all += try session.estimate(replicate: r, normalised: false) }
        let stats = GradientStatistics(estimates: all, count: replicates, dimension: exact.count, exactGradient: exact)
        return try XCTUnwrap(stats.exact)
    }

    func assertUnbiased(_ environment: any Environment, _ policy: any Policy, label: String, episodes: Int, replicates: Int,
                        file: StaticString = #filePath, line: UInt = #line) throws {
        for name in ["rebar", "relax"] {
            let c = try comparison(name, environment: environment, policy: policy, episodes: episodes, replicates: replicates)
            XCTAssertTrue(c.isConsistentWithZeroBias, "\(name) on \(label): max |z| \(c.maxAbsZ) > \(c.zThreshold), "
                          + "relative bias \(c.relativeBias) ± \(c.relativeBiasNoiseFloor)", file: file, line: line)
        }
    }

    /// The policy after `iterations` updates of `ema` (batch 32, Adam, lr 0.1) from the initial one.
    func trained(_ environment: any Environment, _ policy: any Policy, iterations: Int) throws -> any Policy {
        var s = try makeSession("ema", environment: environment, policy: policy, episodes: 32, seed: 3)
        for _ in 0..<iterations { _ = try s.step() }
        return s.policy
    }

    func testUnbiasedOnToy() throws {
        for env in [Toy(binaryTarget: 0.45), Toy(binaryTarget: 0.499), Toy(targets: [0.2, 0.3, 0.5])] {
            let initial = TabularPolicy(stateCount: 1, actionCount: env.actionCount)
            for (policy, at) in [(initial as any Policy, "initial"), (try trained(env, initial, iterations: 30), "trained")] {
                try assertUnbiased(env, policy, label: "toy \(env.targets), \(at) policy", episodes: 1, replicates: 4000)
            }
        }
    }

    func testUnbiasedOnBandit10() throws {
        let env = Bandit.tenArmedTestbed(seed: 3)
        let initial = TabularPolicy(stateCount: 1, actionCount: 10)
        for (policy, at) in [(initial as any Policy, "initial"), (try trained(env, initial, iterations: 30), "trained")] {
            try assertUnbiased(env, policy, label: "bandit10, \(at) policy", episodes: 4, replicates: 1000)
        }
    }

    func testUnbiasedOnFrozenLake() throws {
        let env = try Gridworld.load(path: repositoryRoot.appendingPathComponent("envs/FrozenLake-v1-4x4.txt").path)
        let initial = TabularPolicy(stateCount: 16, actionCount: 4)
        for (policy, at) in [(initial as any Policy, "initial"), (try trained(env, initial, iterations: 30), "trained")] {
            try assertUnbiased(env, policy, label: "FrozenLake 4x4, \(at) policy", episodes: 4, replicates: 300)
        }
    }

    /// Without its term −η ∇_θ f(x̃), REBAR's control variate no longer has mean zero: the same
    /// test that passes the whole estimator rejects it (binary toy, π(1) = 0.73, τ = 1; at the
    /// uniform policy the missing term's mean is only about 1.7 standard errors of 4000 estimates).
    func testMissingConditionalPathwiseTermIsFlagged() throws {
        let env = Toy(binaryTarget: 0.45)
        var policy = TabularPolicy(stateCount: 1, actionCount: 2)
        policy.parameters = [0, 1]
        var c = TrainingConfiguration()
        c.episodes = 1
        c.seed = 19
        c.threads = 1
        let context = try EstimatorContext(environment: env, configuration: c)
        for omits in [false, true] {
            let scale = ControlVariateScale(temperature: Schedule(initial: 1, minimum: nil, rate: 0), adaptsTau: false, eta: 1,
                                            etaMode: .moments, learningRate: ControlVariateScale.defaultLearningRate, momentDecay: 0.9)
            var rebar = Rebar(scale: scale, reward: RelaxedReward(context: context, settings: SettingValues()), stateCount: 1, horizon: 1)
            rebar.omitsConditionalPathwise = omits
            var session = try makeTrainingSession(environment: env, policy: policy, configuration: c, estimator: AnyEstimator(rebar))
            let result = try comparison(of: &session, replicates: 4000)
            XCTAssertEqual(result.isConsistentWithZeroBias, !omits, "omitting −η∇f(x̃): \(omits), max |z| \(result.maxAbsZ)")
        }
    }
}
