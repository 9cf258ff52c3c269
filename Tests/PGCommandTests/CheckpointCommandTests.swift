import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// Checkpoints on the command line: `pg train` saves them, `--init` and `--at` load them bit
/// for bit, `pg eval` evaluates them, `pg plot --policy` draws them; misfits are refused.
final class CheckpointCommandTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws { dir = try temporaryDirectory(self) }

    /// Trains NAME.jsonl (and NAME.checkpoint.json) with `args`.
    @discardableResult
    func train(_ name: String, _ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Checkpoint {
        let r = runPG(args + ["--out", dir + "/\(name).jsonl", "--quiet", "--threads", "1"])
        XCTAssertEqual(r.status, 0, r.err, file: file, line: line)
        XCTAssertTrue(r.out.hasSuffix("  checkpoint: \(dir!)/\(name).checkpoint.json\n"), r.out, file: file, line: line)
        return try Checkpoint.read(path: dir + "/\(name).checkpoint.json")
    }

    func bits(_ x: [Double]) -> [UInt64] { x.map(\.bitPattern) }

    static let kinds: [(String, [String])] = [("tabular", []), ("linear", ["--policy", "linear"]),
                                              ("mlp", ["--policy", "mlp", "--hidden", "8", "--activation", "relu"])]

    /// The saved parameters are those of the same training done with the library; `--init`
    /// loads them bit for bit (0 more updates save them again unchanged; more updates start
    /// from them); `--at` measures at them.
    func testRoundTripForEveryPolicyKind() throws {
        let env = try Gridworld.load(path: EnvsDirectory.shipped + "/CliffWalking-v1.txt")
        for (kind, flags) in Self.kinds {
            let saved = try train(kind, ["--env", "CliffWalking-v1", "--baseline", "ema", "--iterations", "6", "--batch", "8"] + flags)
            XCTAssertEqual(saved.policy.kind.rawValue, kind)
            XCTAssertEqual([saved.iteration], [6])
            XCTAssertEqual(saved.run, try jsonLines(dir + "/\(kind).jsonl")[0], "the run header it came from")

            var c = TrainingConfiguration()
            c.iterations = 6
            c.episodes = 8
            c.threads = 1
            let d = try EstimatorRegistry.descriptor(named: "ema")
            var session = try d.makeSession(environment: env, policy: saved.policy.make(for: env, seed: 1), configuration: c,
                                            settings: SettingValues().completed(with: d.settings))
            for _ in 0..<6 { _ = try session.step() }
            XCTAssertEqual(bits(saved.parameters), bits(session.policy.parameters), "\(kind): the trained parameters, bit for bit")

            let path = dir + "/\(kind).checkpoint.json"
            let again = try train("\(kind)-init0", ["--init", path, "--iterations", "0"])
            XCTAssertEqual(bits(again.parameters), bits(saved.parameters), "\(kind): --init loads every bit")
            XCTAssertEqual(again.policy, saved.policy, "the policy flags come from the checkpoint")
            let finalJ = try jsonLines(dir + "/\(kind).jsonl").last?["final_exact_j"]
            let continued = try train("\(kind)-more", ["--init", path, "--iterations", "2", "--batch", "8"])
            let log = try jsonLines(dir + "/\(kind)-more.jsonl")
            XCTAssertEqual(log[1]["exact_j"], finalJ, "\(kind): the continued run starts at the saved policy")
            XCTAssertEqual(log[0]["init"]?.stringValue, path)
            XCTAssertEqual(log[0]["init_sha256"]?.stringValue, try SHA256.hexDigest(ofFile: path))
            XCTAssertNotEqual(bits(continued.parameters), bits(saved.parameters))

            let v = runPG(["variance", "--at", path, "--estimators", "none", "--replicates", "3", "--batch", "4",
                           "--out", dir + "/\(kind)-v.jsonl", "--quiet"])
            XCTAssertEqual(v.status, 0, v.err)
            XCTAssertTrue(v.out.contains("at the policy of \(path) (6 updates of ema)"), v.out)
            let config = try jsonLines(dir + "/\(kind)-v.jsonl")[0]
            let policy = try saved.makePolicy(for: env)
            let g = ExactGradient.evaluate(policy: policy, model: env.model, features: try env.stateFeatures(),
                                           horizon: env.timeLimit, gamma: 1).gradient
            XCTAssertEqual(config["exact_grad_norm"], .double(g.reduce(0) { $0 + $1 * $1 }.squareRoot()),
                           "\(kind): --at measures at the saved parameters")
            XCTAssertEqual(config["policy"]?.stringValue, kind)
            XCTAssertEqual(config["at_sha256"]?.stringValue, try SHA256.hexDigest(ofFile: path))
        }
    }

    /// `--checkpoint-every 2` of 5 updates saves after 2 and 4, each equal to a run of that length.
    func testPeriodicCheckpoints() throws {
        let args = ["--env", "bernoulli", "--baseline", "nvil", "--batch", "4"]
        let final = try train("every", args + ["--iterations", "5", "--checkpoint-every", "2"])
        XCTAssertEqual([final.iteration], [5])
        for k in [2, 4] {
            let c = try Checkpoint.read(path: dir + "/every.checkpoint-\(k).json")
            XCTAssertEqual([c.iteration], [k])
            XCTAssertEqual(c.status, "running")
            XCTAssertEqual(bits(c.parameters), bits(try train("only\(k)", args + ["--iterations", "\(k)"]).parameters))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/every.checkpoint-6.json"))
        let taken = runPG(args + ["--iterations", "3", "--checkpoint-every", "2", "--out", dir + "/every2.jsonl"])
        XCTAssertEqual(taken.status, 0)
        try "x".write(toFile: dir + "/every3.checkpoint-2.json", atomically: false, encoding: .utf8)
        let refused = runPG(args + ["--iterations", "3", "--checkpoint-every", "2", "--out", dir + "/every3.jsonl"])
        XCTAssertEqual(refused.status, 2)
        XCTAssertEqual(refused.err, "pg: error: \(dir!)/every3.checkpoint-2.json exists (a checkpoint of another run?); "
                       + "use --out to choose another log, or --force\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/every3.jsonl"), "nothing written")
        try "x".write(toFile: dir + "/every4.checkpoint-notes.json", atomically: false, encoding: .utf8)
        XCTAssertEqual(runPG(args + ["--iterations", "1", "--checkpoint-every", "2", "--out", dir + "/every4.jsonl", "--quiet"]).status,
                       0, "a file not named like a periodic checkpoint is no obstacle")
    }

    func testAMisfitIsOneLine() throws {
        try train("lake", ["--env", "FrozenLake-v1", "--iterations", "2"])
        let path = dir + "/lake.checkpoint.json"
        let cases: [([String], String)] = [
            (["--init", path, "--env", "FrozenLake8x8-v1"],
             "\(path): the checkpoint's tabular policy (16 states x 4 actions, trained on FrozenLake-v1-4x4) does not fit "
                + "FrozenLake-v1-8x8 (64 states x 4 actions)"),
            (["--init", path, "--policy", "mlp"],
             "--init \(path) holds a tabular policy, but the policy flags ask for mlp 32 tanh (leave them out to use the checkpoint's)"),
            (["variance", "--at", path, "--env", "CliffWalking-v1"],
             "\(path): the checkpoint's tabular policy (16 states x 4 actions, trained on FrozenLake-v1-4x4) does not fit "
                + "CliffWalking-v1 (48 states x 4 actions)"),
        ]
        for (args, message) in cases {
            let r = runPG(args + ["--out", dir + "/no.jsonl"])
            XCTAssertEqual(r.status, 2, "\(args)")
            XCTAssertEqual(r.err, "pg: error: \(message)\n", "\(args)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/no.jsonl"))
        try "{}".write(toFile: dir + "/taken.checkpoint.json", atomically: false, encoding: .utf8)
        let r = runPG(["--env", "toy", "--iterations", "2", "--out", dir + "/taken.jsonl"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.err.contains("taken.checkpoint.json exists"), r.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/taken.jsonl"), "refused before the log is written")
    }

    /// A greedy policy on the deterministic FrozenLake: every evaluation episode returns exact J.
    func testEvalOfADeterministicGreedyPolicyMatchesExactJ() throws {
        var c = try train("det", ["--env", "FrozenLake-v1", "--slippery", "false", "--baseline", "ema", "--iterations", "2"])
        for (state, action) in [(0, 1), (4, 1), (8, 2), (9, 1), (13, 2), (14, 2)] { c.parameters[state * 4 + action] = 3 }
        let path = dir + "/path.checkpoint.json"
        try c.write(to: path)
        let r = runPG(["eval", path, "--greedy", "--episodes", "7"])
        XCTAssertEqual(r.status, 0, r.err)
        let world = try Gridworld.load(path: EnvsDirectory.shipped + "/FrozenLake-v1-4x4-deterministic.txt")
        var table = PolicyTable(stateCount: 16, actionCount: 4)
        table.update(fromTable: c.parameters)
        let j = PolicyEvaluation.objective(model: world.model, probabilities: table.probabilities, horizon: 100, gamma: 1)
        let greedy = PolicyEvaluation.greedy(probabilities: table.probabilities, actionCount: 4)
        XCTAssertEqual(PolicyEvaluation.objective(model: world.model, probabilities: greedy, horizon: 100, gamma: 1), 1)
        XCTAssertEqual(r.out, """
            pg eval: FrozenLake-v1-4x4-deterministic, tabular policy from \(path) (2 updates of ema, seed 1, completed)
              exact J: \(NumberFormat.significant(j)) sampling actions, 1.000 greedy (optimum 1.000)
              7 episodes, greedy actions, seed 1: mean return 1.000 ± 0 (SE), std 0, mean length 6.000, truncated 0.0%

            """)
        let sampled = runPG(["eval", path, "--episodes", "400", "--seed", "3"])
        XCTAssertTrue(sampled.out.contains("400 episodes, sampled actions, seed 3: mean return "), sampled.out)
    }

    /// A greedy policy on the factorised problem (its exact J from the environment's own
    /// objective): every evaluation episode returns exact J, and the optimum is the best joint choice.
    func testEvalOnAnExactObjective() throws {
        var c = try train("fact", ["--env", "factorised", "--variables", "3", "--categories", "2", "--iterations", "1"])
        // Greedy choice (1, 1, 1) on the rotated targets: costs 1 − 2t + ‖t‖², t = 1/3 or 2/3, ‖t‖² = 5/9.
        for v in 0..<3 { c.parameters[v * 2 + 1] = 5 }
        let path = dir + "/greedy-fact.checkpoint.json"
        try c.write(to: path)
        let r = runPG(["eval", path, "--greedy", "--episodes", "5"])
        XCTAssertEqual(r.status, 0, r.err)
        let env = try FactorisedCategorical(variables: 3, categories: 2, interaction: 1)
        var table = PolicyTable(stateCount: 3, actionCount: 2)
        table.update(fromTable: c.parameters)
        let j = env.exactObjective(probabilities: table.probabilities, gamma: 1).value, best = -env.loss([1, 1, 1])
        let optimum = try XCTUnwrap(env.optimalObjective(gamma: 1))
        let f = { (x: Double) in NumberFormat.significant(x) }
        XCTAssertEqual(r.out.split(separator: "\n")[1], "  exact J: \(f(j)) sampling actions, \(f(best)) greedy (optimum \(f(optimum)))")
        XCTAssertTrue(r.out.contains("5 episodes, greedy actions, seed 1: mean return \(f(best)) ± 0 (SE)"), r.out)
    }

    func testPolicyPictures() throws {
        try train("lake", ["--env", "FrozenLake-v1", "--iterations", "2"])
        let p = runPG(["plot", "--policy", dir + "/lake.checkpoint.json", "--shade", "value"])
        XCTAssertEqual(p.status, 0, p.err)
        XCTAssertEqual(p.out, "plot: \(dir!)/lake.policy.svg (tabular policy on FrozenLake-v1-4x4, 2 updates)\n")
        let svg = try String(contentsOfFile: dir + "/lake.policy.svg", encoding: .utf8)
        XCTAssertEqual(svg.components(separatedBy: #"class="arrow""#).count - 1, 11 * 4, "11 standable cells x 4 actions")
        XCTAssertTrue(svg.contains("<title>FrozenLake-v1-4x4: π(a|s) and value</title>"))
        XCTAssertEqual(try SVGSeriesCounter.count(dir + "/lake.policy.svg"), [], "well-formed XML")

        try train("arms", ["--env", "bernoulli", "--probs", "0.2,0.9", "--iterations", "3"])
        let out = dir + "/arms.svg"
        XCTAssertEqual(runPG(["plot", "--policy", dir + "/arms.checkpoint.json", "--out", out, "--title", "two arms"]).status, 0)
        let bars = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertEqual(bars.components(separatedBy: #"class="bar-pi""#).count - 1, 2)
        XCTAssertTrue(bars.contains("<title>two arms</title>"))

        try train("taxi", ["--env", "Taxi-v4", "--iterations", "1", "--batch", "2"])
        let taxi = runPG(["plot", "--policy", dir + "/taxi.checkpoint.json"])
        XCTAssertEqual(taxi.status, 2)
        XCTAssertEqual(taxi.err, "pg: error: pg plot --policy draws gridworld maps and bandits; Taxi-v4 (from "
                       + "\(dir!)/taxi.checkpoint.json) is neither\n")
    }
}
