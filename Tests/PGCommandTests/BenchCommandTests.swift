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
}
