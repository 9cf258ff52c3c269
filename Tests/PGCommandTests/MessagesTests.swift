import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// Help, version, the executable's name, one-line errors and counted nouns.
final class MessagesTests: XCTestCase {
    func testDashHIsHelpOnEveryCommand() {
        for command in ["train", "compare", "sweep", "variance", "envs", "check", "plot", "bench"] {
            let long = runPG([command, "--help"]), short = runPG([command, "-h"])
            XCTAssertEqual(short.status, 0, command)
            XCTAssertEqual(short.out, long.out, command)
            XCTAssertTrue(short.out.contains("USAGE: "), command)
        }
        XCTAssertEqual(runPG(["-h"]).out, runPG(["--help"]).out)
        XCTAssertEqual(runPG(["--env", "toy", "-h"]).status, 0, "-h among other flags")
    }

    func testVersion() {
        for args in [["--version"], ["train", "--version"], ["compare", "--version"], ["envs", "--version"]] {
            XCTAssertEqual(runPG(args).out, "pg \(PGVersion.current)\n", "\(args)")
            XCTAssertEqual(runPG(args).status, 0)
        }
        XCTAssertTrue(runPG(["--help"]).out.contains("'pg --version' for the version"))
    }

    /// A custom executable's name in help, usage and error lines; prose and summaries keep `pg`.
    func testTheExecutableNamesItself() {
        func run(_ args: [String]) -> CommandResult {
            let out = TextSink(), err = TextSink()
            let status = PGCommand.run(args, output: Output(out: { out.text += $0 }, err: { err.text += $0 }), name: "my-pg")
            return CommandResult(status: status, out: out.text, err: err.text)
        }
        defer { PGCommand.name = "pg" }
        XCTAssertTrue(run(["--help"]).out.hasPrefix("my-pg — policy-gradient estimators"), run(["--help"]).out)
        XCTAssertTrue(run(["--help"]).out.contains("USAGE: my-pg [COMMAND] [OPTIONS]"))
        XCTAssertTrue(run(["--help"]).out.contains("Run 'my-pg COMMAND --help' (or -h)"))
        XCTAssertTrue(run(["train", "--help"]).out.hasPrefix("my-pg train — train a categorical policy"))
        XCTAssertTrue(run(["compare", "--help"]).out.contains("       my-pg compare --merge FILE..."))
        XCTAssertEqual(run(["--version"]).out, "my-pg \(PGVersion.current)\n")
        let bad = run(["--bogus"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.err.hasPrefix("my-pg: error: unknown option '--bogus' for my-pg train; valid: --env"), bad.err)
        XCTAssertTrue(run(["bench", "x"]).err.hasSuffix("for my-pg bench; options start with -- (see my-pg bench --help)\n"))
        XCTAssertEqual(PGCommand.renamed("pg computes exact gradients; see runs/pg compare.jsonl"),
                       "pg computes exact gradients; see runs/pg compare.jsonl")
        XCTAssertEqual(runPG(["--bogus"]).err.prefix(11), "pg: error: ", "the default name is back")
    }

    /// Every control character and line or paragraph separator is escaped; other text is kept.
    func testOneLineEscapes() {
        XCTAssertEqual(PGCommand.oneLine("a\nb\r\tc\u{1B}[0m\u{7F}\u{0}"), "a\\nb\\r\\tc\\u{1B}[0m\\u{7F}\\u{0}")
        XCTAssertEqual(PGCommand.oneLine("x\u{2028}y\u{2029}z\u{85}\u{202E}w\u{2066}"), "x\\u{2028}y\\u{2029}z\\u{85}\\u{202E}w\\u{2066}")
        XCTAssertEqual(PGCommand.oneLine("é ☃ 𝜋 — “q”"), "é ☃ 𝜋 — “q”")
        let r = runPG(["--env", "a\nb"])
        XCTAssertEqual(r.err.filter { $0 == "\n" }.count, 1)
        XCTAssertTrue(r.err.contains("unknown environment 'a\\nb'"), r.err)
    }

    func testCountedNouns() throws {
        XCTAssertEqual([counted(1, "seed"), counted(2, "seed"), counted(0, "batch", plural: "batches")], ["1 seed", "2 seeds", "0 batches"])
        let dir = try temporaryDirectory(self)
        let r = runPG(["compare", "--env", "toy", "--estimators", "none", "--seeds", "1", "--iterations", "1", "--batch", "1",
                       "--quiet", "--no-plot", "--out", dir + "/c.jsonl"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.hasPrefix("pg compare: toy, 1 estimator x 1 seed x 1 iteration, 1 episode per update\n"), r.out)
        let v = runPG(["variance", "--env", "toy", "--estimators", "ema", "--replicates", "2", "--batch", "1", "--warm-up", "1",
                       "--quiet", "--out", dir + "/v.jsonl"])
        XCTAssertTrue(v.out.contains("(tabular, 2 parameters), 2 estimates x 1 episode per estimator"), v.out)
        XCTAssertTrue(v.out.contains("  warmed up for 1 batch at this policy: ema"), v.out)
        let t = runPG(["--env", "toy", "--iterations", "1", "--batch", "1", "--quiet", "--out", dir + "/t.jsonl"])
        XCTAssertTrue(t.out.contains(", 1 episode/update x 1 update, seed 1\n"), t.out)
    }
}
