import Foundation
import PolicyGradient
import XCTest

/// A bandit whose table promises more than its arms pay.
struct OverpromisingBandit: KnownDynamics {
    var id: String { "overpromising" }
    var actionCount: Int { 2 }
    var stateCount: Int { 1 }
    var timeLimit: Int { 1 }
    mutating func reset(using rng: inout RandomStream) -> Int { 0 }
    mutating func step(_ action: Int, using rng: inout RandomStream) -> StepResult {
        StepResult(state: 0, reward: rng.nextUniform() < 0.5 ? 1 : 0, terminated: true)
    }
    var model: TabularModel {
        TabularModel(start: [1], outcomes: [[[Outcome(probability: 1, next: 0, reward: 0.5, terminated: true)],
                                             [Outcome(probability: 1, next: 0, reward: 0.9, terminated: true)]]])
    }
}

/// An environment without actions.
struct NoActions: Environment {
    var id: String { "no-actions" }
    var actionCount: Int { 0 }
    var stateCount: Int { 1 }
    var timeLimit: Int { 1 }
    mutating func reset(using rng: inout RandomStream) -> Int { 0 }
    mutating func step(_ action: Int, using rng: inout RandomStream) -> StepResult { StepResult(state: 0, reward: 0, terminated: true) }
}

/// `pg check`: one PASS/FAIL line per check, exit status 0 or 1.
final class CheckCommandTests: XCTestCase {
    func testACorrectEnvironmentPassesWithStatus0() {
        let r = runPG(["check", "--env", "bernoulli", "--steps", "5000"])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.err, "")
        let lines = r.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 16)
        XCTAssertTrue(lines.dropLast().allSatisfy { $0.hasPrefix("PASS  ") }, r.out)
        XCTAssertEqual(lines.last, "bernoulli: all 15 checks passed")
        XCTAssertTrue(r.out.contains("PASS  steps-match-table: 5 state-action pairs sampled >= 30 times"), r.out)
    }

    func testABrokenRegisteredEnvironmentFailsWithStatus1() {
        EnvironmentRegistry.register(name: "overpromising-test", description: "broken on purpose") { _ in OverpromisingBandit() }
        defer { EnvironmentRegistry.unregister(name: "overpromising-test") }
        let r = runPG(["check", "--env", "overpromising-test"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.out.contains("\nFAIL  rewards-match-table: state 0, action 1: mean sampled reward 0."), r.out)
        XCTAssertTrue(r.out.hasSuffix("overpromising: 1 of 15 checks failed\n"), r.out)
    }

    func testHelpListsTheOptions() {
        let r = runPG(["check", "--help"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.out.hasPrefix("pg check — check that an environment keeps the Environment contract\n"), r.out)
        XCTAssertTrue(r.out.contains("  --steps N "), r.out)
    }

    func testTheTopLevelHelpListsCheck() {
        XCTAssertTrue(runPG(["help"]).out.contains("\n  check       check that an environment keeps the contract"))
    }

    /// Training refuses (status 2) and the checker reports (status 1) an environment without actions.
    func testAnEnvironmentWithoutActionsIsRefusedNotCrashedOn() {
        EnvironmentRegistry.register(name: "no-actions-test", description: "broken on purpose") { _ in NoActions() }
        defer { EnvironmentRegistry.unregister(name: "no-actions-test") }
        let train = runPG(["--env", "no-actions-test", "--iterations", "1"])
        XCTAssertEqual(train.status, 2)
        XCTAssertEqual(train.err, "pg: error: environment no-actions has actionCount 0; it must be at least 1 "
                           + "(pg check --env NAME lists the problems)\n")
        let check = runPG(["check", "--env", "no-actions-test"])
        XCTAssertEqual(check.status, 1)
        XCTAssertEqual(check.out, "FAIL  spaces: actionCount is 0; it must be at least 1\nno-actions: 1 of 1 check failed\n")
    }
}
