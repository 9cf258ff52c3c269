import ExampleEnvironments
import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// The example package's estimators are held to their claims by the same check as the built-ins,
/// and the coupled-draw example is measured by `pg variance` like a built-in.
final class ExampleConformanceTests: XCTestCase {
    override func setUp() {
        super.setUp()
        EstimatorRegistry.register(StateMeanBaseline.descriptor)
        EstimatorRegistry.register(AntitheticReinforce.descriptor)
    }

    override func tearDown() {
        EstimatorRegistry.unregister(name: "state-mean")
        EstimatorRegistry.unregister(name: "antithetic")
        super.tearDown()
    }

    func testTheExamplePackagesEstimatorsHoldTheirClaims() throws {
        for d in EstimatorRegistry.all where d.name == "state-mean" || d.name == "antithetic" {
            let report = try EstimatorConformance.check(d)
            XCTAssertTrue(report.holds, "\(d.name): \(report.failure ?? "")")
        }
    }

    /// The antithetic pair draws a_0 and a_1 from u and 1 − u: on the binary toy at the uniform
    /// policy (π = ½, ½) the two actions of a pair always differ.
    func testThePairsActionsAreAntithetic() throws {
        let env = Toy(binaryTarget: 0.45)
        var c = TrainingConfiguration()
        c.episodes = 64
        c.threads = 2
        let session = try AntitheticReinforce.descriptor.makeSession(
            environment: env, policy: TabularPolicy(stateCount: 1, actionCount: 2), configuration: c)
        var s = session
        let r = try s.step()
        // Every pair holds one of each action, so exactly half the first actions are the optimal one.
        XCTAssertEqual(r.meanReturn, (-(0.0 - 0.45) * (0.0 - 0.45) - (1.0 - 0.45) * (1.0 - 0.45)) / 2, accuracy: 1e-12)
    }

    /// `pg variance` measures it against the exact gradient like a built-in: unbiased, and below
    /// REINFORCE's variance with the same number of episodes on the binary toy (t = 0.45), where
    /// the reward is monotone in the action.
    func testVarianceMeasuresItLikeABuiltIn() throws {
        var out = "", err = ""
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("antithetic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let status = PGCommand.run(["variance", "--env", "toy", "--estimators", "antithetic,none", "--replicates", "2000",
                                    "--batch", "2", "--threads", "1", "--quiet", "--out", dir + "/v.jsonl"],
                                   output: Output(out: { out += $0 }, err: { err += $0 }), name: "pg")
        XCTAssertEqual(status, 0, err)
        let rows = try String(contentsOfFile: dir + "/v.jsonl", encoding: .utf8).split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["type"] as? String == "estimator" }
        XCTAssertEqual(rows.map { $0["estimator"] as? String }, ["antithetic", "none"])
        XCTAssertEqual(rows[0]["zero_bias_consistent"] as? Bool, true, out)
        let v = try XCTUnwrap(rows[0]["variance"] as? Double), none = try XCTUnwrap(rows[1]["variance"] as? Double)
        XCTAssertLessThan(v, none / 2, out)
        print(out)
    }
}
