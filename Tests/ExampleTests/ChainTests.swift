import ExampleEnvironments
import Foundation
import PGCommand
import PolicyGradient
import XCTest

/// The worked example: a custom environment from a user's package, trained through the
/// library and through the `pg` front end with every estimator.
final class ChainTests: XCTestCase {
    override func setUp() {
        super.setUp()
        EnvironmentRegistry.register(name: "chain", description: "slippery 3-state chain walk") { _ in Chain() }
    }

    /// The registry is process-wide: leave it as other test classes expect it.
    override func tearDown() {
        EnvironmentRegistry.unregister(name: "chain")
        super.tearDown()
    }

    /// Every estimator pg ships.
    static var estimators: [String] { EstimatorRegistry.builtins.map(\.name) }

    /// K = 2 for an estimator whose default group its sampler cannot draw on the chain's two
    /// actions (K distinct first actions), else nothing: the setting and its value.
    static func groupOfTwo(_ name: String) throws -> (setting: Setting, value: Int)? {
        let d = try EstimatorRegistry.descriptor(named: name)
        let context = try EstimatorContext(environment: Chain(), configuration: TrainingConfiguration())
        guard let k = d.groupSizeSetting, d.incompatibility(context) == nil, (try? d.makeEstimator(context: context)) == nil else {
            return nil
        }
        return (k, 2)
    }

    func exactJ(_ chain: Chain, policy: TabularPolicy, gamma: Double) -> Double {
        ExactGradient.evaluate(policy: policy, model: chain.model, features: .oneHot(stateCount: chain.stateCount),
                               horizon: chain.timeLimit, gamma: gamma).value
    }

    /// Uniform policy: a symmetric walk reflected at 0 (left and right are equally likely
    /// whatever the slip). With a_t, b_t the probabilities of being at 0 and 1 at step t,
    /// the goal is reached at step t with probability b_t / 2; (a, b) goes (1, 0) → (½, ½)
    /// → (½, ¼) → (⅜, ¼), so P(goal at t = 1, 2, 3) = ¼, ⅛, ⅛ and J = ½ (γ = 1), and
    /// J = 0.9·¼ + 0.81·⅛ + 0.729·⅛ = 0.417375 (γ = 0.9).
    func testExactJOfTheUniformPolicyMatchesAHandComputation() {
        for slip in [0.0, 0.1, 0.3] {
            let chain = Chain(slip: slip)
            let uniform = TabularPolicy(stateCount: 3, actionCount: 2)
            XCTAssertEqual(exactJ(chain, policy: uniform, gamma: 1), 0.5, accuracy: 1e-12, "slip \(slip)")
            XCTAssertEqual(exactJ(chain, policy: uniform, gamma: 0.9), 0.417375, accuracy: 1e-12, "slip \(slip)")
        }
    }

    /// Always right without slip reaches the goal at step 1: J = γ. With slip 0.1 the optimum
    /// (always right) gives P(goal at t = 1, 2, 3) = 0.81, 0.081, 0.081: J* = 0.972.
    func testExactJOfGreedyPoliciesMatchesAHandComputation() throws {
        var right = TabularPolicy(stateCount: 3, actionCount: 2)
        right.parameters = [-40, 40, -40, 40, -40, 40]
        XCTAssertEqual(exactJ(Chain(slip: 0), policy: right, gamma: 0.9), 0.9, accuracy: 1e-12)
        XCTAssertEqual(exactJ(Chain(slip: 0.1), policy: right, gamma: 1), 0.972, accuracy: 1e-12)
        let session = try EstimatorSpec("none").makeSession(environment: Chain(), policy: right, configuration: TrainingConfiguration())
        XCTAssertEqual(try XCTUnwrap(session.optimalJ), 0.972, accuracy: 1e-12)
    }

    func testTheCheckerPassesTheChain() {
        for seed: UInt64 in [1, 2, 3] {
            let results = EnvironmentChecker.check(Chain(), seed: seed)
            XCTAssertEqual(results.filter { !$0.passed }.map(\.description), [], "seed \(seed)")
            XCTAssertTrue(results.contains { $0.name == "steps-match-table" })
        }
    }

    /// Through the library: every estimator improves J from ½ (the Gumbel ones with a critic,
    /// since the chain has no differentiable reward).
    func testTrainsWithEveryEstimatorThroughTheLibrary() throws {
        for estimator in Self.estimators {
            var c = TrainingConfiguration()
            c.threads = 1
            c.seed = 3
            var values = SettingValues()
            if let g = try Self.groupOfTwo(estimator) { values.set(g.setting, .integer(g.value)) }
            var session = try EstimatorSpec(estimator, settings: values).makeSession(environment: Chain(),
                                                                                     policy: TabularPolicy(stateCount: 3, actionCount: 2),
                                                                                     configuration: c)
            for _ in 0..<40 { _ = try session.step() }
            let j = try XCTUnwrap(session.exactJ())
            XCTAssertGreaterThan(j, 0.7, estimator)
        }
    }

    /// Through the command line, as `custom-env-example --env chain …` runs it.
    func testTrainsWithEveryEstimatorThroughPGCommand() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chain-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for estimator in Self.estimators {
            let path = "\(dir)/\(estimator).jsonl"
            var out = "", err = ""
            let group = try Self.groupOfTwo(estimator).map { ["--" + $0.setting.flag, String($0.value)] } ?? []
            let status = PGCommand.run(["--env", "chain", "--estimator", estimator,
                                        "--iterations", "40", "--threads", "1", "--seed", "3", "--out", path, "--quiet"] + group,
                                       output: Output(out: { out += $0 }, err: { err += $0 }))
            let what = estimator
            XCTAssertEqual(status, 0, "\(what): \(err)")
            XCTAssertEqual(err, "", what)
            XCTAssertTrue(out.hasPrefix("pg: chain, "), what)
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { try JSONParser.parse(String($0)) }
            XCTAssertEqual(lines.count, 42, what)
            XCTAssertEqual(lines.first?["env"]?.stringValue, "chain", what)
            XCTAssertEqual(lines.last?["status"]?.stringValue, "completed", what)
            XCTAssertEqual(try XCTUnwrap(lines[1]["exact_j"]?.doubleValue, what), 0.5, accuracy: 1e-12, what)
            XCTAssertGreaterThan(try XCTUnwrap(lines.last?["final_exact_j"]?.doubleValue, what), 0.7, what)
        }
    }

    func testEnvsListsAndCheckPassesTheRegisteredEnvironment() {
        var out = ""
        XCTAssertEqual(PGCommand.run(["envs"],
                                     output: Output(out: { out += $0 }, err: { _ in })), 0)
        XCTAssertTrue(out.hasPrefix("chain "), out)
        out = ""
        XCTAssertEqual(PGCommand.run(["check", "--env", "chain"], output: Output(out: { out += $0 }, err: { _ in })), 0, out)
        XCTAssertFalse(out.contains("FAIL"), out)
    }
}

/// The `custom-env-example` executable itself: its `main.swift` registers `chain` and runs pg.
final class CustomEnvironmentExampleTests: XCTestCase {
    func testTheExampleExecutableTrainsTheChain() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [Bundle.main.bundleURL.appendingPathComponent("custom-env-example"),
                          Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("custom-env-example"),
                          root.appendingPathComponent(".build/debug/custom-env-example")]
        guard let exe = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("custom-env-example was not built")
        }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("chain-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let p = Process()
        p.executableURL = exe
        p.arguments = ["--env", "chain", "--baseline", "vimco", "--iterations", "30", "--threads", "1", "--out", log, "--quiet"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, printed)
        XCTAssertTrue(printed.hasPrefix("pg: chain, reinforce + vimco baseline"), printed)
        XCTAssertTrue(printed.contains("exact J: 0.5 -> "), printed)
    }
}
