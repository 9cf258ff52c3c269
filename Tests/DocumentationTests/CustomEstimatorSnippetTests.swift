import ExampleEnvironments
import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// The estimators of CustomEstimators.md do what the article says: the contract example with
/// c = 0 is REINFORCE without a baseline, estimate for estimate, and unbiased for any c; an
/// estimator's setting is a flag, a list of variants, a line of the config, and a value from Swift.
final class CustomEstimatorSnippetTests: XCTestCase {
    override func setUp() {
        super.setUp()
        EstimatorRegistry.register(FixedBaselineReinforce.descriptor)
        EstimatorRegistry.register(StateEMABaseline.descriptor)
        EnvironmentRegistry.register(name: "chain", description: "slippery chain walk") { _ in Chain() }
    }

    override func tearDown() {
        EstimatorRegistry.unregister(name: "fixed-baseline")
        EstimatorRegistry.unregister(name: "state-ema")
        EnvironmentRegistry.unregister(name: "chain")
        super.tearDown()
    }

    private func run(_ args: [String]) -> (status: Int32, out: String, err: String) {
        var out = "", err = ""
        let status = PGCommand.run(args, output: Output(out: { out += $0 }, err: { err += $0 }))
        return (status, out, err)
    }

    private func lines(_ path: String) throws -> [JSONValue] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { try JSONParser.parse(String($0)) }
    }

    func testTheContractExampleIsReinforce() throws {
        let dir = NSTemporaryDirectory() + "pg-estimator-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, c) in [("zero", "0"), ("half", "0.5")] {
            let r = run(["variance", "--env", "chain", "--estimators", "fixed-baseline,none", "--fixed-baseline", c,
                         "--replicates", "300", "--batch", "8", "--threads", "1", "--quiet", "--out", dir + "/\(name).jsonl"])
            XCTAssertEqual(r.status, 0, r.err)
        }
        let zero = try lines(dir + "/zero.jsonl").filter { $0["type"]?.stringValue == "estimator" }
        XCTAssertEqual(zero.map { $0["label"]?.stringValue }, ["fixed-baseline", "none"])
        XCTAssertEqual(zero[0]["shared_draws"], zero[1]["shared_draws"], "the same episodes")
        for field in ["variance", "relative_bias", "mean_norm", "max_abs_z"] {
            XCTAssertEqual(zero[0][field], zero[1][field], "c = 0 is REINFORCE without a baseline: \(field)")
        }
        let half = try lines(dir + "/half.jsonl").filter { $0["type"]?.stringValue == "estimator" }
        XCTAssertEqual(half[0]["zero_bias_consistent"], .bool(true), "unbiased for any fixed c")
        XCTAssertNotEqual(half[0]["variance"], half[1]["variance"])
    }

    func testASettingIsAFlagVariantsAndAConfigEntry() throws {
        let dir = NSTemporaryDirectory() + "pg-estimator-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = run(["compare", "--env", "chain", "--estimators", "state-ema,none", "--state-decay", "0.5,0.9", "--seeds", "2",
                     "--iterations", "5", "--quiet", "--no-plot", "--out", dir + "/c.jsonl"])
        XCTAssertEqual(r.status, 0, r.err)
        let config = try lines(dir + "/c.jsonl")[0]
        guard case let .array(estimators)? = config["estimators"] else { return XCTFail("no estimators") }
        XCTAssertEqual(estimators.map { $0["label"]?.stringValue }, ["state-ema state_decay=0.5", "state-ema state_decay=0.9", "none"])
        XCTAssertEqual(estimators[0]["settings"], .object([("state_decay", .double(0.5))]))
        let bad = run(["--env", "chain", "--estimator", "state-ema", "--state-decay", "1"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.err, "pg: error: --state-decay: the decay must be in [0, 1), got 1\n")
        let session = try stateEMASession()
        XCTAssertEqual(session.iteration, 1)
    }
}
