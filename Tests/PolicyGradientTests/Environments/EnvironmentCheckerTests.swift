@testable import PolicyGradient
import XCTest

/// A coin-flip environment that can be broken in one way at a time.
///
/// Correct version: two states, two actions, start in 0; each step goes to state 1 (and
/// terminates) with probability ½, else stays in 0; the reward is the action's index.
struct Faulty: KnownDynamics, CustomFeatures {
    var featureCount: Int { 1 }
    enum Fault: CaseIterable { case none, probabilitiesDoNotSum, tableDisagrees, rewardDisagrees, nanReward,
                               stateOutOfRange, resetOutOfRange, nondeterministic, leaksBetweenEpisodes,
                               nanFeatures, actionNames }
    final class Counter: @unchecked Sendable { var n = 0 }

    var fault = Fault.none
    var id: String { "faulty" }
    var actionCount: Int { 2 }
    var stateCount: Int { 2 }
    var timeLimit: Int { 3 }
    var actionNames: [String] { fault == .actionNames ? ["left"] : ["left", "right"] }
    let shared = Counter()
    var steps = 0

    init(_ fault: Fault) { self.fault = fault }

    mutating func reset(using rng: inout RandomStream) -> Int { fault == .resetOutOfRange ? 5 : 0 }

    mutating func step(_ action: Int, using rng: inout RandomStream) -> StepResult {
        steps += 1
        shared.n += 1
        let done = rng.nextUniform() < (fault == .tableDisagrees ? 0.7 : 0.5)
            || (fault == .leaksBetweenEpisodes && steps > 6)
        var reward = Double(action) * (fault == .rewardDisagrees ? 2 : 1)
        if fault == .nanReward && action == 1 { reward = .nan }
        if fault == .nondeterministic { reward += Double(shared.n % 2) }
        return StepResult(state: done ? (fault == .stateOutOfRange ? 2 : 1) : 0, reward: reward, terminated: done)
    }

    func features(of state: Int, into out: inout MutableSpan<Double>) {
        for i in out.indices { out[i] = i == state ? 1 : 0 }
        if fault == .nanFeatures && state == 1 { out[0] = .nan }
    }

    var model: TabularModel {
        let stay = fault == .probabilitiesDoNotSum ? 0.4 : 0.5
        return TabularModel(start: [1, 0], outcomes: (0..<2).map { _ in
            (0..<2).map { a in [Outcome(probability: 0.5, next: 1, reward: Double(a), terminated: true),
                                Outcome(probability: stay, next: 0, reward: Double(a), terminated: false)] }
        })
    }
}

/// ``Toy`` with a gradient that is twice too large.
struct WrongGradient: KnownDynamics, DifferentiableReward {
    var toy = Toy(targets: [0.2, 0.3, 0.5])
    var id: String { "wrong-gradient" }
    var actionCount: Int { toy.actionCount }
    var stateCount: Int { 1 }
    var timeLimit: Int { 1 }
    var model: TabularModel { toy.model }
    mutating func reset(using rng: inout RandomStream) -> Int { toy.reset(using: &rng) }
    mutating func step(_ action: Int, using rng: inout RandomStream) -> StepResult { toy.step(action, using: &rng) }
    func reward(relaxed x: Span<Double>, state: Int) -> Double { toy.reward(relaxed: x, state: state) }
    func rewardGradient(relaxed x: Span<Double>, state: Int, into gradient: inout MutableSpan<Double>) {
        toy.rewardGradient(relaxed: x, state: state, into: &gradient)
        for k in gradient.indices { gradient[k] *= 2 }
    }
}

/// Never terminates; only the time limit ends its episodes.
struct EndlessWalk: Environment {
    var id: String { "endless" }
    var actionCount: Int { 2 }
    var stateCount: Int { 5 }
    var timeLimit: Int { 50_000 }
    var position = 0
    mutating func reset(using rng: inout RandomStream) -> Int { position = 0; return 0 }
    mutating func step(_ action: Int, using rng: inout RandomStream) -> StepResult {
        position = (position + (action == 1 ? 1 : 4)) % 5
        return StepResult(state: position, reward: Double(position), terminated: false)
    }
}

final class EnvironmentCheckerTests: XCTestCase {
    func failed(_ env: any Environment, seed: UInt64 = 1) -> [String] {
        EnvironmentChecker.check(env, seed: seed).filter { !$0.passed }.map(\.name)
    }

    func testCorrectEnvironmentsPassOverSeveralSeeds() {
        for seed: UInt64 in [1, 2, 3, 4] {
            let envs: [any Environment] = [Faulty(.none), Toy(), Toy(targets: [0.1, 0.6, 0.3]),
                                           Bandit.tenArmedTestbed(seed: seed), Bandit.bernoulli([0.1, 0.9])]
            for env in envs {
                let bad = EnvironmentChecker.check(env, seed: seed).filter { !$0.passed }
                XCTAssertEqual(bad.map(\.description), [], "\(env.id), seed \(seed)")
            }
        }
    }

    func testTheCorrectEnvironmentRunsEveryCheck() {
        let names = EnvironmentChecker.check(Faulty(.none)).map(\.name)
        XCTAssertEqual(names, ["spaces", "features", "reset", "step-states", "rewards-finite", "episodes", "determinism",
                               "reset-restarts", "model-shape", "start-distribution", "probabilities", "table-values",
                               "reset-matches-start", "steps-match-table", "rewards-match-table"])
        XCTAssertEqual(EnvironmentChecker.check(Toy()).last?.name, "relaxed-reward")
    }

    /// Each fault fails the check that is about it.
    func testEachFaultFailsTheRightCheck() {
        let expected: [Faulty.Fault: String] = [
            .probabilitiesDoNotSum: "probabilities", .tableDisagrees: "steps-match-table",
            .rewardDisagrees: "rewards-match-table", .nanReward: "rewards-finite", .stateOutOfRange: "step-states",
            .resetOutOfRange: "reset", .nondeterministic: "determinism", .leaksBetweenEpisodes: "reset-restarts",
            .nanFeatures: "features", .actionNames: "spaces",
        ]
        XCTAssertEqual(expected.count, Faulty.Fault.allCases.count - 1)
        for seed: UInt64 in [1, 2] {
            for (fault, check) in expected {
                XCTAssertTrue(failed(Faulty(fault), seed: seed).contains(check),
                              "\(fault) should fail \(check) (seed \(seed)); failed: \(failed(Faulty(fault), seed: seed))")
            }
        }
    }

    func testStepsDisagreeingWithTheTableAreReportedWithTheirStateAndAction() throws {
        let r = try XCTUnwrap(EnvironmentChecker.check(Faulty(.tableDisagrees)).first { $0.name == "steps-match-table" })
        XCTAssertFalse(r.passed)
        XCTAssertTrue(r.detail.hasPrefix("state 0, action "), r.detail)
        XCTAssertTrue(r.description.hasPrefix("FAIL  steps-match-table: state 0"), r.description)
    }

    func testProbabilitiesNotSummingToOneAreReportedWithTheirSum() throws {
        let r = try XCTUnwrap(EnvironmentChecker.check(Faulty(.probabilitiesDoNotSum)).first { $0.name == "probabilities" })
        XCTAssertEqual(r.detail, "state 0, action 0: outcome probabilities sum to 0.9, not 1")
    }

    func testAWrongRelaxedGradientFails() {
        XCTAssertEqual(failed(WrongGradient()), ["relaxed-reward"])
    }

    func testAnInvalidShapeStopsAfterTheFirstCheck() {
        let results = EnvironmentChecker.check(Faulty(.actionNames))
        XCTAssertEqual(results.map(\.name), ["spaces"])
        XCTAssertEqual(results.first?.detail, "actionNames has 1 names for 2 actions")
    }

    func testTheReportIsReproducible() {
        XCTAssertEqual(EnvironmentChecker.check(Faulty(.none), seed: 9), EnvironmentChecker.check(Faulty(.none), seed: 9))
    }

    /// A time limit longer than the step budget: sampling runs on until an episode is cut.
    func testALongTimeLimitStillGivesACompleteEpisode() throws {
        let results = EnvironmentChecker.check(EndlessWalk(), steps: 1000)
        XCTAssertEqual(results.filter { !$0.passed }.map(\.description), [])
        let episodes = try XCTUnwrap(results.first { $0.name == "episodes" })
        XCTAssertEqual(episodes.detail, "1 episode: 0 terminated, 0 truncated by the environment, 1 cut at the time limit (50000)")
    }
}
