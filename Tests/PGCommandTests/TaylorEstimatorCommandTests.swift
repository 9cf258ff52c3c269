import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// A walk whose dynamics are not exposed (no `KnownDynamics`).
struct HiddenDynamicsWalk: Environment {
    var id: String { "hidden-walk" }
    var actionCount: Int { 2 }
    var stateCount: Int { 3 }
    var timeLimit: Int { 10 }
    var position = 0
    mutating func reset(using rng: inout RandomStream) -> Int { position = 0; return 0 }
    mutating func step(_ action: Int, using rng: inout RandomStream) -> StepResult {
        position = (position + action + 1) % 3
        return StepResult(state: position, reward: Double(position), terminated: position == 2)
    }
}

/// `muprop`, `darn`, `st` and `exact` through `pg variance`, `pg compare` and `pg train`.
final class TaylorEstimatorCommandTests: XCTestCase {
    func testVarianceMeasuresTheNewEstimatorsOnToy() throws {
        let dir = try temporaryDirectory(self)
        let out = dir + "/v.jsonl"
        let r = runPG(["variance", "--env", "toy", "--estimators", "none,ema,muprop,darn,st,exact", "--replicates", "400",
                       "--batch", "8", "--threads", "1", "--quiet", "--out", out])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("  shared draws: none, ema, muprop, darn, st, exact saw the same episodes\n"), r.out)
        let rows = try jsonLines(out).filter { $0["type"]?.stringValue == "estimator" }
        XCTAssertEqual(rows.map { $0["estimator"]?.stringValue ?? "" }, ["none", "ema", "muprop", "darn", "st", "exact"])
        let verdicts = rows.map { $0["zero_bias_consistent"] }
        // st is unbiased at the uniform policy of the binary toy; darn's mean is 0 there.
        XCTAssertEqual(verdicts, [.bool(true), .bool(true), .bool(true), .bool(false), .bool(true), .bool(true)], r.out)
        let exact = try XCTUnwrap(rows.last)
        XCTAssertEqual(exact["variance"]?.doubleValue, 0)
        XCTAssertEqual(exact["relative_bias"]?.doubleValue, 0)
    }

    func testVarianceWithACriticOnBandit10AfterTraining() throws {
        let dir = try temporaryDirectory(self)
        let r = runPG(["variance", "--env", "bandit10", "--estimators", "muprop,darn,st,exact", "--replicates", "200",
                       "--batch", "8", "--at", "after:10", "--warm-up", "5", "--critic-steps", "3", "--threads", "1",
                       "--quiet", "--out", dir + "/v.jsonl"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("warmed up for 5 batches at this policy: muprop, darn, st"), r.out)
        let rows = try jsonLines(dir + "/v.jsonl").filter { $0["type"]?.stringValue == "estimator" }
        XCTAssertEqual(rows.map { $0["label"]?.stringValue ?? "" }, ["muprop", "darn", "st", "exact"])
        XCTAssertEqual(rows.first?["zero_bias_consistent"], .bool(true), r.out)
        XCTAssertEqual(rows.last?["zero_bias_consistent"], .bool(true), r.out)
    }

    func testCompareAcceptsTheNamesAndDrawsExact() throws {
        let dir = try temporaryDirectory(self)
        let r = runPG(["compare", "--env", "toy", "--estimators", "none,muprop,darn,st,exact", "--seeds", "3",
                       "--iterations", "6", "--batch", "4", "--quiet", "--out", dir + "/c.jsonl"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.hasPrefix("pg compare: toy, 5 estimators x 3 seeds x 6 iterations, 4 episodes per update\n"), r.out)
        let finals = try jsonLines(dir + "/c.jsonl").filter { $0["type"]?.stringValue == "final" }
        XCTAssertEqual(finals.map { $0["variant"]?.stringValue ?? "" }, ["none", "muprop", "darn", "st", "exact"])
        let svg = try String(contentsOfFile: dir + "/c.svg", encoding: .utf8)
        XCTAssertTrue(svg.contains(">exact<"), "the legend names exact")
        XCTAssertTrue(svg.contains(##"stroke="#000000" stroke-width="2.6""##), "exact is drawn as the reference: black, solid, 2.6 px")
    }

    func testCompareOnFrozenLakeWithTheCritic() throws {
        let dir = try temporaryDirectory(self)
        let r = runPG(["compare", "--env", "FrozenLake-v1", "--estimators", "muprop,exact", "--seeds", "2",
                       "--iterations", "3", "--batch", "4", "--critic-steps", "2", "--quiet", "--out", dir + "/c.jsonl"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("\nexact "), r.out)
    }

    func testTrainLogsTheEstimatorFields() throws {
        let dir = try temporaryDirectory(self)
        for (name, fields) in [("muprop", ["surrogate", "residual_rms"]), ("darn", ["surrogate", "residual_rms"]),
                               ("st", ["surrogate"])] {
            let path = dir + "/\(name).jsonl"
            let r = runPG(["--env", "bandit10", "--estimator", name, "--iterations", "4", "--batch", "8", "--critic-steps", "2",
                           "--quiet", "--out", path])
            XCTAssertEqual(r.status, 0, r.err)
            let iterations = try jsonLines(path).filter { $0["type"]?.stringValue == "iteration" }
            XCTAssertEqual(iterations.count, 4)
            for key in fields { XCTAssertNotNil(iterations.last?[key]?.doubleValue, "\(name): \(key)") }
        }
    }

    func testExactRefusesAnEnvironmentWithoutDynamicsInOneLine() {
        EnvironmentRegistry.register(name: "hidden-walk-test", description: "no transition table") { _ in HiddenDynamicsWalk() }
        defer { EnvironmentRegistry.unregister(name: "hidden-walk-test") }
        let r = runPG(["--env", "hidden-walk-test", "--estimator", "exact", "--iterations", "2", "--quiet",
                       "--out", NSTemporaryDirectory() + "pg-hidden-walk-never-written.jsonl"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.err, "pg: error: exact cannot run on hidden-walk: it needs known dynamics (an environment "
                       + "conforming to KnownDynamics: a transition table, or to ExactObjective)\n")
    }
}
