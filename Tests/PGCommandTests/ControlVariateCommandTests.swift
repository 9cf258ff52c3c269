import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// `rebar`, `relax` and `gumbel-rao` on the command line: `pg variance` and `pg compare` accept
/// the names and their settings, `pg train` logs their values and is the same for any thread
/// count, and their bad settings are one-line errors.
final class ControlVariateCommandTests: XCTestCase {
    let names = ["rebar", "relax", "gumbel-rao"]

    func testVarianceMeasuresTheNewEstimators() throws {
        let out = try temporaryDirectory(self) + "/v.jsonl"
        let r = runPG(["variance", "--env", "toy", "--target", "0.499", "--estimators", "none,rebar,relax,st-gumbel,gumbel-rao",
                       "--tau", "0.5,1", "--replicates", "300", "--batch", "1", "--threads", "1", "--quiet", "--out", out])
        XCTAssertEqual(r.status, 0, r.err)
        for label in ["rebar tau=0.5", "relax tau=1", "gumbel-rao tau=0.5"] { XCTAssertTrue(r.out.contains("\n" + label + " "), r.out) }
        XCTAssertTrue(r.out.contains("  shared draws: rebar tau=0.5, rebar tau=1, relax tau=0.5, relax tau=1, st-gumbel tau=0.5, "
                                     + "st-gumbel tau=1, gumbel-rao tau=0.5, gumbel-rao tau=1 saw the same Gumbel noise"), r.out)
        XCTAssertTrue(r.out.contains("  warmed up for 20 batches at this policy: rebar tau=0.5, rebar tau=1, relax tau=0.5, relax tau=1\n"), r.out)
        let lines = try jsonLines(out).filter { $0["type"]?.stringValue == "estimator" }
        XCTAssertEqual(lines.count, 9)
        let rebar = try XCTUnwrap(lines.first { $0["estimator"]?.stringValue == "rebar" })
        XCTAssertEqual(rebar["settings"]?["eta_decay"]?.doubleValue, 0.99)
        XCTAssertEqual(rebar["zero_bias_consistent"], .bool(true), rebar.text)
        let relax = try XCTUnwrap(lines.first { $0["estimator"]?.stringValue == "relax" })
        XCTAssertEqual(relax["settings"]?["surrogate_lr"]?.doubleValue, 0.01)
        XCTAssertEqual(relax["zero_bias_consistent"], .bool(true), relax.text)
        let rao = try XCTUnwrap(lines.first { $0["estimator"]?.stringValue == "gumbel-rao" })
        XCTAssertEqual(rao["settings"]?["rao_samples"]?.doubleValue, 10)
    }

    func testCompareRunsTheNewEstimators() throws {
        let dir = try temporaryDirectory(self)
        let r = runPG(["compare", "--env", "FrozenLake-v1", "--estimators", "none," + names.joined(separator: ","), "--seeds", "2",
                       "--iterations", "3", "--batch", "4", "--critic-hidden", "8", "--surrogate-hidden", "8", "--quiet",
                       "--out", dir + "/c.jsonl", "--no-plot"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.hasPrefix("pg compare: FrozenLake-v1, 4 estimators x 2 seeds x 3 iterations, 4 episodes per update\n"), r.out)
        let finals = try jsonLines(dir + "/c.jsonl").filter { $0["type"]?.stringValue == "final" }
        XCTAssertEqual(finals.compactMap { $0["variant"]?.stringValue }, ["none"] + names)
    }

    /// Each estimator's fields are logged, and the log is the same with 1 and 2 threads.
    func testTrainLogsTheirValuesAndIgnoresTheThreadCount() throws {
        let dir = try temporaryDirectory(self)
        for (name, fields, small) in [("rebar", ["tau", "eta"], "--critic-hidden"), ("relax", ["tau", "psi_loss"], "--surrogate-hidden"),
                                      ("gumbel-rao", ["tau", "surrogate"], "--critic-hidden")] {
            var texts: [String] = []
            for threads in ["1", "2"] {
                let path = dir + "/\(name)-\(threads).jsonl"
                let r = runPG(["train", "--env", "FrozenLake-v1", "--estimator", name, "--iterations", "4", "--batch", "8",
                                small, "8", "--threads", threads, "--quiet", "--out", path])
                XCTAssertEqual(r.status, 0, r.err)
                let lines = try jsonLines(path)
                let iteration = try XCTUnwrap(lines.first { $0["type"]?.stringValue == "iteration" })
                for f in fields { XCTAssertNotNil(iteration[f]?.doubleValue, "\(name): \(f) in \(iteration.text)") }
                texts.append(try String(contentsOfFile: path, encoding: .utf8)
                    .replacingOccurrences(of: #""elapsed":[-+0-9.eE]+"#, with: "", options: .regularExpression)
                    .replacingOccurrences(of: #""threads":[0-9]+"#, with: "", options: .regularExpression))
            }
            XCTAssertEqual(texts[0], texts[1], name)
        }
    }

    func testBadSettingsAreOneLineErrors() {
        let cases: [([String], String)] = [
            (["--estimators", "gumbel-rao", "--rao-samples", "0"], "pg: error: --rao-samples: must be in 1...10000, got 0\n"),
            (["--estimators", "rebar", "--eta-decay", "1"], "pg: error: --eta-decay: must be in [0, 1), got 1\n"),
            (["--estimators", "relax", "--surrogate-lr", "-1"],
             "pg: error: --surrogate-lr: must be positive, got -1\n"),
            (["--estimators", "relax", "--samples", "4"], "pg: error: --samples does not apply to relax (their settings: --anneal, "
                + "--critic-activation, --critic-decay, --critic-hidden, --critic-lr, --critic-steps, --cv-lr, --eta, --eta-decay, "
                + "--eta-mode, --surrogate-activation, --surrogate-hidden, --surrogate-input, --surrogate-lr, --tau, --tau-min, --tau-mode)\n"),
            (["--estimators", "rebar", "--tau-mode", "foo"], "pg: error: --tau-mode: unknown value 'foo'; valid: adapted, schedule\n"),
            (["--env", "FrozenLake-v1", "--estimators", "relax", "--surrogate-hidden", "100000"],
             "pg: error: --surrogate-hidden: gives relax's surrogate 2200001 weights on FrozenLake-v1-4x4, more than 1000000 "
                + "(each chunk of a batch keeps their gradient); give smaller widths\n"),
        ]
        for (args, message) in cases {
            let r = runPG(["variance", "--replicates", "2"] + args)
            XCTAssertEqual(r.status, 2, "\(args)")
            XCTAssertEqual(r.err, message, "\(args)")
        }
    }
}
