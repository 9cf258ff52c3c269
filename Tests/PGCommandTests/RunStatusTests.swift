import Foundation
import PolicyGradient
import XCTest

/// How a run ends: divergence, and `--out` with and without `--force`.
final class RunStatusTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = try makeTemporaryDirectory("status")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func records(_ path: String) throws -> [JSONValue] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { try JSONParser.parse(String($0), file: path) }
    }

    /// Rewards of 1e300 and a huge SGD step overflow the gradient: the run stops at once with
    /// status `diverged`, names the iteration and the quantity, and exits with status 1.
    func testARunThatBlowsUpEndsDivergedWithStatus1() throws {
        let spec = dir + "/huge.json"
        try #"{"arms": [{"distribution": "constant", "value": 1e300}, {"distribution": "constant", "value": -1e300}]}"#
            .write(toFile: spec, atomically: true, encoding: .utf8)
        let log = dir + "/diverged.jsonl"
        let r = runPG(["--env", spec, "--optimizer", "sgd", "--lr", "1e300", "--iterations", "1000",
                                    "--threads", "1", "--out", log, "--quiet"])
        XCTAssertEqual(r.status, 1, r.err)
        let lines = try records(log)
        let summary = try XCTUnwrap(lines.last)
        XCTAssertEqual(summary["status"]?.stringValue, "diverged")
        let problem = try XCTUnwrap(summary["problem"]?.stringValue)
        XCTAssertNotNil(problem.range(of: #"^iteration \d+: (the mean return|the gradient norm|a policy parameter) is not finite$"#,
                                      options: .regularExpression), problem)
        XCTAssertLessThan(lines.count, 10, "the run should stop as soon as it diverges")
        XCTAssertTrue(r.out.contains("status: diverged (\(problem))"), r.out)
    }

    func testAnExistingOutFileIsKeptWithoutForceAndOverwrittenWithIt() throws {
        let log = dir + "/run.jsonl"
        try "keep me\n".write(toFile: log, atomically: true, encoding: .utf8)
        let args = ["--env", "toy", "--iterations", "2", "--threads", "1", "--out", log, "--quiet"]
        let refused = runPG(args)
        XCTAssertEqual(refused.status, 2)
        XCTAssertEqual(refused.err, "pg: error: --out: \(log) exists; pass --force to overwrite it or --out to choose another file\n")
        XCTAssertEqual(try String(contentsOfFile: log, encoding: .utf8), "keep me\n")
        let forced = runPG(args + ["--force"])
        XCTAssertEqual(forced.status, 0, forced.err)
        let lines = try records(log)
        XCTAssertEqual(lines.map { $0["type"]?.stringValue ?? "" }, ["config", "iteration", "iteration", "summary"])
        XCTAssertEqual(lines.last?["status"]?.stringValue, "completed")
    }

    func testMissingLogDirectoriesAreCreated() throws {
        let log = dir + "/runs/nested/run.jsonl"
        let r = runPG(["--env", "toy", "--iterations", "1", "--threads", "1", "--out", log, "--quiet"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(try records(log).count, 3)
    }
}
