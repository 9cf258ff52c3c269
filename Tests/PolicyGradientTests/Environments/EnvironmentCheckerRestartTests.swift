@testable import PolicyGradient
import XCTest

/// A coin-flip walk whose `reset` leaks its episode count: from the `from`-th reset on, every
/// `period`-th episode pays 1 more from its `step`-th step (so only long enough episodes show it).
struct LeakyCounter: Environment {
    var id: String { "leaky" }
    var actionCount: Int { 2 }
    var stateCount: Int { 2 }
    var timeLimit: Int { 20 }
    let period: Int, step: Int
    var resets = 0, t = 0

    mutating func reset(using rng: inout RandomStream) -> Int {
        resets += 1  // the leak: nothing else depends on earlier episodes
        t = 0
        return 0
    }

    mutating func step(_ action: Int, using rng: inout RandomStream) -> StepResult {
        t += 1
        let done = rng.nextUniform() < 0.5
        let leak = resets % period == period - 1 && t >= step ? 1.0 : 0
        return StepResult(state: done ? 1 : 0, reward: Double(action) + leak, terminated: done)
    }
}

/// `reset-restarts` catches a leak for every seed; a NaN reward is a non-finite reward only.
final class EnvironmentCheckerRestartTests: XCTestCase {
    /// With one replay after five other episodes, these leaks passed for some seeds (the replayed
    /// episode ended before the leak showed, or the leaked count happened to agree). The longest
    /// of 64 episodes, each replayed after every count of earlier episodes modulo 8, catch them
    /// for each of 300 seeds.
    func testLeaksAreCaughtForEverySeed() {
        let leaks: [(String, any Environment)] = [
            ("step counter", Faulty(.leaksBetweenEpisodes)),
            ("every 4th episode, from step 3", LeakyCounter(period: 4, step: 3)),
            ("every 7th episode, from step 2", LeakyCounter(period: 7, step: 2)),
            ("every 2nd episode, from step 4", LeakyCounter(period: 2, step: 4)),
        ]
        for (what, env) in leaks {
            var missed: [UInt64] = []
            for seed: UInt64 in 1...300 where EnvironmentChecker.resetRestarts(env, seed: seed).passed { missed.append(seed) }
            XCTAssertEqual(missed, [], "\(what): not caught for seeds \(missed)")
        }
    }

    func testACorrectEnvironmentPassesForEverySeed() {
        for seed: UInt64 in 1...300 {
            let r = EnvironmentChecker.resetRestarts(Faulty(.none), seed: seed)
            XCTAssertTrue(r.passed, "seed \(seed): \(r.detail)")
        }
        XCTAssertEqual(EnvironmentChecker.resetRestarts(Faulty(.none), seed: 1).detail,
                       "8 episodes replayed 8 times each after others, identical to a fresh copy's")
    }

    /// A NaN reward fails `rewards-finite`, and nothing else: the same NaN twice is no
    /// difference between two runs.
    func testANaNRewardIsANonFiniteRewardNotNondeterminism() {
        for seed: UInt64 in [1, 2, 3] {
            let results = EnvironmentChecker.check(Faulty(.nanReward), seed: seed)
            XCTAssertEqual(results.filter { !$0.passed }.map(\.name), ["rewards-finite"], "seed \(seed)")
            XCTAssertTrue(results.first { $0.name == "rewards-finite" }?.detail.hasSuffix("step returned reward nan") == true)
        }
    }

    /// A cancellation request stops the sampling; the report ends with a failing `interrupted`.
    func testACancellationRequestStopsTheSampling() {
        Cancellation.request()
        defer { Cancellation.reset() }
        let results = EnvironmentChecker.check(Faulty(.none), steps: 1_000_000)
        XCTAssertEqual(results.last?.name, "interrupted")
        XCTAssertEqual(results.last?.passed, false)
        XCTAssertEqual(results.last?.detail, "stopped on request after 0 steps; the other checks did not run")
    }
}
