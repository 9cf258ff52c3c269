import Foundation
import PGCommand
import PolicyGradient
import XCTest

/// `pg train` through `PGCommand.run`, without spawning a process.
final class TrainCommandTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws { directory = URL(fileURLWithPath: try temporaryDirectory(self)) }

    func run(_ args: [String]) -> CommandResult { runPG(args) }

    /// The issue's acceptance run: every baseline reaches 95% of the optimum on seed 1 with the
    /// defaults, and the log parses line by line (config, iterations, summary).
    func testEveryBaselineLearnsBandit10WithDefaults() throws {
        for baseline in EstimatorRegistry.all.filter(\.isBaseline).map(\.name) {
            let path = directory.appendingPathComponent("\(baseline).jsonl").path
            let r = run(["--env", "bandit10", "--baseline", baseline, "--out", path])
            XCTAssertEqual(r.status, 0, r.err)
            let log = try jsonLines(path)
            XCTAssertEqual(log.first?["type"]?.stringValue, "config")
            XCTAssertEqual(log.filter { $0["type"]?.stringValue == "iteration" }.count, 200)
            let summary = try XCTUnwrap(log.last)
            XCTAssertEqual(summary["type"]?.stringValue, "summary")
            XCTAssertEqual(summary["status"]?.stringValue, "completed")
            let fraction = try XCTUnwrap(summary["fraction_of_optimum"]?.doubleValue)
            XCTAssertGreaterThanOrEqual(fraction, 0.95, "\(baseline) reached \(fraction)")
            XCTAssertTrue(r.out.contains("of it)"), r.out)
        }
    }

    /// Same seed, same JSONL (the `elapsed` field aside), for any thread count.
    func testSameSeedSameLog() throws {
        var texts: [String] = []
        for threads in ["1", "2", "1"] {
            let path = directory.appendingPathComponent("run\(texts.count).jsonl").path
            let r = run(["--env", "FrozenLake-v1", "--baseline", "vimco", "--iterations", "20", "--threads", threads,
                         "--out", path])
            XCTAssertEqual(r.status, 0, r.err)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let stripped = text.replacingOccurrences(of: #""elapsed":[-+0-9.eE]+"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: #""threads":[0-9]+"#, with: "", options: .regularExpression)
            texts.append(stripped)
        }
        XCTAssertEqual(texts[0], texts[1])
        XCTAssertEqual(texts[0], texts[2])
        let other = directory.appendingPathComponent("other.jsonl").path
        XCTAssertEqual(run(["--env", "FrozenLake-v1", "--baseline", "vimco", "--iterations", "20", "--seed", "2",
                            "--out", other]).status, 0)
        XCTAssertNotEqual(try String(contentsOfFile: other, encoding: .utf8)
            .replacingOccurrences(of: #""elapsed":[-+0-9.eE]+"#, with: "", options: .regularExpression), texts[0])
    }

    /// The default log path never overwrites: a second run gets `-2`.
    func testDefaultPathsDoNotOverwrite() throws {
        let cwd = FileManager.default.currentDirectoryPath
        defer { _ = FileManager.default.changeCurrentDirectoryPath(cwd) }
        _ = FileManager.default.changeCurrentDirectoryPath(directory.path)
        for _ in 0..<2 { XCTAssertEqual(run(["--iterations", "3", "--quiet"]).status, 0) }
        let files = try FileManager.default.contentsOfDirectory(atPath: "runs").sorted()
        XCTAssertEqual(files, ["bandit10-none-s1-2.checkpoint.json", "bandit10-none-s1-2.jsonl", "bandit10-none-s1.checkpoint.json",
                               "bandit10-none-s1.jsonl"], "each log with its checkpoint")
    }

    func testHelpListsEveryOption() {
        let r = run(["train", "--help"])
        XCTAssertEqual(r.status, 0)
        for flag in ["--env", "--baseline", "--samples", "--batch", "--iterations", "--lr", "--optimizer", "--seed",
                     "--out", "--policy", "--estimator", "--tau", "--anneal", "--threads", "--force"] {
            XCTAssertTrue(r.out.contains("  " + flag + " "), "help lacks \(flag)")
        }
        let top = run(["--help"])
        XCTAssertTrue(top.out.hasPrefix("pg — policy-gradient estimators for discrete actions"))
        XCTAssertTrue(top.out.contains("  compare   "))
    }

    func testErrorsAreOneLineWithStatusTwo() {
        let cases: [([String], String)] = [
            (["--baseline", "foo"], "pg: error: --baseline: unknown estimator 'foo'; valid: "
             + EstimatorRegistry.all.filter(\.isBaseline).map(\.name).joined(separator: ", ") + "\n"),
            (["--estimator", "gumbel", "--baseline", "nvil"], "pg: error: --baseline applies to REINFORCE (--estimator reinforce); "
                + "--estimator gumbel takes no baseline (use --estimator nvil or --baseline nvil alone)\n"),
            (["--baseline", "nvil", "--tau", "0.5"], "pg: error: --tau does not apply to nvil (their settings: --decay, --nvil-lr)\n"),
            (["--env", "CliffWalking-v1", "--map", "8x8"], "pg: error: --map does not apply to CliffWalking-v1 (it has no settings of its own)\n"),
            (["--env", "nope"], "pg: error: --env: unknown environment 'nope'; valid: bandit10, bernoulli, toy,"),
            (["--lr", "abc"], "pg: error: --lr: expected a finite number, got 'abc'\n"),
            (["--baseline", "vimco", "--samples", "1"],
             "pg: error: --samples: must be in 2...1000000 episodes per group, got 1\n"),
            (["--baseline", "vimco", "--batch", "30"], "pg: error: --batch: must be a multiple of --samples (K = 4 episodes per group), got 30\n"),
            (["--estimator", "gumbel", "--tau", "0"], "pg: error: --tau: the temperature must be > 0, got 0\n"),
            (["--bogus"], "pg: error: unknown option '--bogus' for pg train; valid: --env,"),
        ]
        for (args, prefix) in cases {
            let r = run(args)
            XCTAssertEqual(r.status, 2, "\(args)")
            XCTAssertTrue(r.err.hasPrefix(prefix), "\(args): \(r.err)")
            XCTAssertEqual(r.err.filter { $0 == "\n" }.count, 1, "\(args): \(r.err)")
            XCTAssertEqual(r.out, "")
        }
    }
}

/// The run header says which records carry exact J, and the records agree with it.
final class ExactJScheduleHeaderTests: XCTestCase {
    func testTheHeaderNamesTheScheduleTheRecordsFollow() throws {
        let dir = try temporaryDirectory(self)
        for (env, iterations, schedule) in [("bandit10", 5, "every update"), ("FrozenLake8x8-v1", 40, "budgeted")] {
            let out = dir + "/\(env).jsonl"
            let r = runPG(["--env", env, "--iterations", String(iterations), "--quiet", "--out", out])
            XCTAssertEqual(r.status, 0, r.err)
            let lines = try jsonLines(out)
            XCTAssertEqual(lines.first?["exact_j_schedule"]?.stringValue, schedule, env)
            let records = lines.filter { $0["type"]?.stringValue == "iteration" }
            let carrying = records.filter { $0["exact_j"]?.doubleValue != nil }.count
            XCTAssertEqual(records.count, iterations, env)
            if schedule == "every update" {
                XCTAssertEqual(carrying, iterations, env)
            } else {
                XCTAssertLessThan(carrying, iterations, env)
                XCTAssertNotNil(records.first?["exact_j"]?.doubleValue, env)
                XCTAssertNotNil(records.last?["exact_j"]?.doubleValue, env)
            }
        }
        // The toy: one step, a closed form, every update.
        let out = dir + "/hidden.jsonl"
        XCTAssertEqual(runPG(["--env", "toy", "--iterations", "2", "--quiet", "--out", out]).status, 0)
        XCTAssertEqual(try jsonLines(out).first?["exact_j_schedule"]?.stringValue, "every update")
    }
}
