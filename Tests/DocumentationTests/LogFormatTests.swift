import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// LogFormat.md names every field pg writes: a short run of each command writes its files, and
/// every key of every line (a compare curve's `M_se`, `M_n`, `M_m2` by their metric M) must
/// appear in the article as `key`.
final class LogFormatTests: XCTestCase {
    func testEveryFieldIsDocumented() throws {
        let article = try Documents.read(Documents.catalogue + "/LogFormat.md")
        let dir = NSTemporaryDirectory() + "pg-logformat-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let runs: [[String]] = [
            ["train", "--env", "bandit10", "--baseline", "ema", "--iterations", "3", "--out", dir + "/bandit.jsonl"],
            ["train", "--env", "FrozenLake-v1", "--estimator", "muprop", "--iterations", "3", "--checkpoint-every", "2",
             "--out", dir + "/lake.jsonl"],
            ["train", "--env", "toy", "--estimator", "rebar", "--iterations", "3", "--out", dir + "/rebar.jsonl"],
            ["train", "--env", "toy", "--estimator", "relax", "--iterations", "3", "--out", dir + "/relax.jsonl"],
            ["train", "--env", "toy", "--estimator", "gumbel", "--iterations", "3", "--out", dir + "/gumbel.jsonl"],
            ["train", "--env", "bandit10", "--estimator", "st", "--iterations", "3", "--out", dir + "/st.jsonl"],
            ["compare", "--env", "toy", "--estimators", "none,ema", "--seeds", "4", "--iterations", "3", "--threshold", "-0.3",
             "--shard", "0/2", "--out", dir + "/c0.jsonl"],
            ["compare", "--env", "toy", "--estimators", "none,ema", "--seeds", "4", "--iterations", "3", "--threshold", "-0.3",
             "--shard", "1/2", "--out", dir + "/c1.jsonl"],
            ["compare", "--merge", dir + "/c0.jsonl", dir + "/c1.jsonl", "--out", dir + "/merged.jsonl"],
            ["compare", "--env", "bandit10", "--estimators", "none", "--seeds", "2", "--iterations", "3", "--metric", "optimal_action",
             "--out", dir + "/bandit-compare.jsonl"],
            ["variance", "--env", "toy", "--estimators", "none,gumbel", "--replicates", "20", "--out", dir + "/variance.jsonl"],
        ]
        for args in runs {
            var err = ""
            XCTAssertEqual(PGCommand.run(args + ["--quiet", "--threads", "1"].filter { _ in args[1] != "--merge" },
                                         output: Output(out: { _ in }, err: { err += $0 })), 0, "\(args): \(err)")
        }
        var keys: Set<String> = []
        for file in try FileManager.default.contentsOfDirectory(atPath: dir) where file.hasSuffix(".jsonl") {
            for line in try String(contentsOfFile: dir + "/" + file, encoding: .utf8).split(separator: "\n") {
                let value = try JSONParser.parse(String(line))
                let curve = value["type"]?.stringValue == "curve"
                for key in Self.keys(value) {
                    var k = key
                    if curve { for suffix in ["_se", "_n", "_m2"] where k.hasSuffix(suffix) { k = String(k.dropLast(suffix.count)) } }
                    keys.insert(k)
                }
            }
        }
        for file in try FileManager.default.contentsOfDirectory(atPath: dir) where file.contains(".checkpoint") {
            let value = try JSONParser.parse(try String(contentsOfFile: dir + "/" + file, encoding: .utf8))
            keys.formUnion(Self.keys(value))
            for part in ["policy", "environment"] { keys.formUnion(value[part].map(Self.keys) ?? []) }
        }
        XCTAssertGreaterThan(keys.count, 60)
        let missing = keys.filter { !article.contains("`\($0)`") }.sorted()
        XCTAssertEqual(missing, [], "fields pg writes that LogFormat.md does not name")
    }

    static func keys(_ v: JSONValue) -> [String] {
        guard case let .object(pairs) = v else { return [] }
        return pairs.map(\.0)
    }
}
