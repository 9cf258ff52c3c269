import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// What pg writes, pg reads back: the size bounds that writers check before any work are upper
/// bounds of the files they write, and a run beyond the readers' limits is refused up front.
final class SizeRuleTests: XCTestCase {
    func size(_ path: String) throws -> Double {
        Double(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? -1)
    }

    /// Compare files, whole, sharded and merged, on environments with and without known
    /// dynamics, lists of settings and thresholds: each within its bound.
    func testCompareFilesStayWithinTheirBound() throws {
        let dir = try temporaryDirectory(self)
        let runs: [[String]] = [
            ["--env", "bandit10", "--estimators", "none,ema,gumbel", "--tau", "0.5,1", "--seeds", "5", "--iterations", "7",
             "--threshold", "0.5"],
            ["--env", "FrozenLake-v1", "--estimators", "nvil,vimco", "--lr", "0.1,0.2", "--seeds", "3", "--iterations", "5", "--batch", "8"],
            ["--env", "toy", "--estimators", "relax,rebar", "--seeds", "4", "--iterations", "6", "--seed", "18446744073709551610"],
        ]
        for (k, args) in runs.enumerated() {
            for shard in ["0/2", "1/2", nil] {
                let out = dir + "/c\(k)-\(shard?.replacingOccurrences(of: "/", with: "of") ?? "all").jsonl"
                let r = runPG(["compare"] + args + ["--quiet", "--no-plot", "--out", out] + (shard.map { ["--shard", $0] } ?? []))
                XCTAssertEqual(r.status, 0, r.err)
                let f = try CompareFile.read(path: out)
                let metrics = CurveAccumulator.metrics.filter { m in f.aggregates.contains { $0.curves.summaries(m).contains { $0.count > 0 } } }
                let bound = CompareFile.sizeBound(config: f.config, labels: f.aggregates.map(\.label), metrics: metrics,
                                                  iterations: f.aggregates[0].curves.iterations, seeds: f.totalSeeds, shards: f.shard.count)
                XCTAssertLessThanOrEqual(try size(out), bound, "\(args) \(shard ?? "")")
            }
            let merged = dir + "/m\(k).jsonl"
            let m = runPG(["compare", "--merge", dir + "/c\(k)-0of2.jsonl", dir + "/c\(k)-1of2.jsonl", "--no-plot", "--out", merged])
            XCTAssertEqual(m.status, 0, m.err)
            let f = try CompareFile.read(path: merged)
            let bound = CompareFile.sizeBound(config: f.config, labels: f.aggregates.map(\.label), metrics: CurveAccumulator.metrics,
                                              iterations: f.aggregates[0].curves.iterations, seeds: f.totalSeeds, shards: 2)
            XCTAssertLessThanOrEqual(try size(merged), bound, "merged \(args)")
        }
    }

    /// Training logs and checkpoints of several estimators and policies: within their bounds.
    func testTrainingLogsAndCheckpointsStayWithinTheirBound() throws {
        let dir = try temporaryDirectory(self)
        for (k, args) in [["--estimator", "relax"], ["--estimator", "rebar", "--env", "FrozenLake-v1"], ["--baseline", "nvil", "--policy", "mlp"],
                          ["--estimator", "gumbel", "--env", "toy", "--policy", "linear"], ["--estimator", "exact", "--env", "CliffWalking-v1"]]
            .enumerated() {
            let out = dir + "/t\(k).jsonl"
            let r = runPG(args + ["--iterations", "40", "--batch", "4", "--quiet", "--out", out])
            XCTAssertEqual(r.status, 0, r.err)
            let lines = try jsonLines(out)
            let fields = Set(lines.dropFirst().dropLast().flatMap { line -> [String] in
                guard case let .object(p) = line else { return [] }
                return p.map(\.0)
            })
            var record = IterationRecord()
            (record.exactJ, record.optimalJ, record.optimalActionFraction, record.gradientError) = (0, 0, 0, 0)
            guard case let .object(template) = record.json() else { return XCTFail("not an object") }
            let extra = fields.subtracting(template.map(\.0))
            let line = LogSize.lineBound(record.json(estimatorFields: extra.sorted()))
            let bound = Double(LogSize.lineBound(lines[0])) + 40 * Double(line) + 400
            XCTAssertLessThanOrEqual(try size(out), bound, "\(args)")
            let checkpoint = try Checkpoint.read(path: TrainCommand.checkpointPath(log: out))
            let cb = try XCTUnwrap(Checkpoint.sizeBound(policy: checkpoint.policy, environment: checkpoint.environment, run: checkpoint.run))
            XCTAssertLessThanOrEqual(try size(TrainCommand.checkpointPath(log: out)), cb, "\(args)")
        }
    }

    /// The bound of a value's shape: any numbers in it fit, the widest Double included.
    func testTheShapeBoundHoldsForTheWidestNumbers() {
        let widest: [JSONValue] = [.double(-2.2250738585072014e-308), .double(-1.7976931348623157e308), .int(.min), .uint(.max),
                                   .double(.leastNonzeroMagnitude), .double(-0.1234567890123456)]
        for v in widest {
            let template = JSONValue.object([("x", .int(0)), ("y", .array([.null, .double(1)]))])
            let filled = JSONValue.object([("x", v), ("y", .array([v, v]))])
            XCTAssertLessThanOrEqual(filled.text.utf8.count, LogSize.bound(template), v.text)
        }
    }

    /// A sweep whose file pg could not read back is refused before it runs, naming its flags;
    /// nothing is written.
    func testAGridBeyondTheReadersLimitIsRefusedUpFront() throws {
        let dir = try temporaryDirectory(self)
        let lrs = (1...100).map { SettingValue.format(Double($0) / 1000) }.joined(separator: ","),
            decays = (1...100).map { SettingValue.format(Double($0) / 200) }.joined(separator: ",")
        let r = runPG(["compare", "--estimators", "ema", "--lr", lrs, "--decay", decays, "--out", dir + "/g.jsonl"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.err.hasPrefix("pg: error: --decay, --lr: the compare file of 10000 variants x 200 iterations x 100 seeds "
                                      + "could take up to "), r.err)
        XCTAssertTrue(r.err.contains("more than the 256 MiB that pg plot, pg rerun and pg compare --merge read back"), r.err)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])
    }
}
