import Foundation
@testable import PGCommand
import XCTest

/// `pg bench --out` follows pg's rule for every output: never replaced without `--force`, and
/// checked before the benchmark runs (not after minutes of it).
final class BenchCommandTests: XCTestCase {
    func testAnExistingOutIsRefusedBeforeRunningAndLeftAlone() throws {
        let dir = try temporaryDirectory(self)
        let out = dir + "/bench.json"
        try "keep me\n".write(toFile: out, atomically: true, encoding: .utf8)
        let started = Date()
        let r = runPG(["bench", "--only", "figure", "--out", out])
        XCTAssertEqual(r.status, 2, r.err)
        XCTAssertEqual(r.err.filter { $0 == "\n" }.count, 1, r.err)
        XCTAssertTrue(r.err.contains("--force"), r.err)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "keep me\n")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "refused only after running the benchmark")
    }

    /// Without `--out`, a taken default name (two runs in the same second) moves on to `-2`
    /// instead of failing with "exists" (it used to).
    func testATakenDefaultNameMovesOnToTheNextFreeSuffix() throws {
        let dir = try temporaryDirectory(self)
        try FileManager.default.createDirectory(atPath: dir + "/runs", withIntermediateDirectories: true)
        let now = Int(Date().timeIntervalSince1970)
        for t in now...(now + 120) { try "taken\n".write(toFile: dir + "/runs/bench-\(t).json", atomically: true, encoding: .utf8) }
        let r = try ProcessRun.run(["bench", "--only", "memory", "--quick"], in: dir)
        XCTAssertEqual(r.status, 0, r.err)
        let line = try XCTUnwrap(r.out.split(separator: "\n").first { $0.hasPrefix("results: ") }, r.out)
        let path = String(line.dropFirst("results: ".count))
        XCTAssertTrue(path.hasPrefix("runs/bench-") && path.hasSuffix("-2.json"), path)
        XCTAssertTrue(try String(contentsOfFile: dir + "/" + path, encoding: .utf8).contains("\"memory-10\""))
        for t in now...(now + 120) {
            XCTAssertEqual(try String(contentsOfFile: dir + "/runs/bench-\(t).json", encoding: .utf8), "taken\n")
        }
    }
}
