import Foundation
@testable import PolicyGradient
import XCTest

/// ``JSONLReader`` on hostile files, and compare files whose numbers are read back exactly or
/// refused with the key, file and line.
final class JSONLReaderTests: XCTestCase {
    typealias S = ScratchFiles

    func testLinesKeepTheirNumbers() throws {
        let lines = try JSONLReader.parseLines(Array("{\"a\":1}\n\n  \n{\"b\":18446744073709551615}\n".utf8), file: "f")
        XCTAssertEqual(lines.map(\.number), [1, 4])
        XCTAssertEqual(lines[1].value["b"]?.exactUInt64, UInt64.max)
        XCTAssertEqual(S.error { _ = try JSONLReader.parse("{}\n" + String(repeating: "[", count: 50_000), file: "f.jsonl") },
                       "f.jsonl:2:65: nesting deeper than 64 levels of arrays and objects")
    }

    func testTheSizeLimitIsCheckedBeforeReading() throws {
        XCTAssertEqual(JSONLReader.maximumFileSize, 256 << 20)
        let dir = try S.directory(self), path = dir + "/big.jsonl"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("{}\n".utf8)))
        XCTAssertEqual(truncate(path, off_t(JSONLReader.maximumFileSize + 1)), 0)
        XCTAssertEqual(S.error { _ = try JSONLReader.read(path: path) },
                       "\(path): the JSONL file is larger than the 256 MiB limit (268435457 bytes)")
    }

    func aggregate(seeds: [UInt64]) -> SweepAggregate {
        var curves = CurveAccumulator(iterations: 2)
        curves.merge(RunningMoments([1, 2]), metric: "mean_return", iteration: 0)
        curves.merge(RunningMoments([3, 5]), metric: "mean_return", iteration: 1)
        return SweepAggregate(label: "v", curves: curves, seedIndices: Array(seeds.indices), seeds: seeds,
                              finals: seeds.map { _ in 0.5 }, iterationsToThreshold: seeds.map { _ in nil }, seconds: 1)
    }

    /// Seeds are `UInt64` end to end: the largest ones survive a write and a read exactly.
    func testExtremeSeedsRoundTripExactly() throws {
        let seeds: [UInt64] = [0, UInt64(Int.max), UInt64(Int.max) + 1, UInt64.max]
        let a = aggregate(seeds: seeds)
        let text = (a.curveLines + [a.finalLine]).map(\.text).joined(separator: "\n")
        XCTAssertTrue(text.contains("\"seed\":[0,9223372036854775807,9223372036854775808,18446744073709551615]"), text)
        let back = try SweepAggregate.read(try JSONLReader.parse(text), iterations: 2)
        XCTAssertEqual(back.first?.seeds, seeds)
        XCTAssertEqual(back.first?.curves, a.curves)
    }

    func testOutOfRangeNumbersNameTheKeyAndLine() throws {
        let a = aggregate(seeds: [1, 2])
        func read(_ edit: (inout [JSONValue]) -> Void) -> String {
            var lines = a.curveLines + [a.finalLine]
            edit(&lines)
            return S.error { _ = try SweepAggregate.read(lines, lineNumbers: Array(5..<(5 + lines.count)), iterations: 2, file: "c.jsonl") }
        }
        func set(_ v: JSONValue, _ key: String, _ value: JSONValue) -> JSONValue {
            guard case let .object(pairs) = v else { return v }
            return .object(pairs.map { $0.0 == key ? (key, value) : $0 })
        }
        XCTAssertEqual(read { $0[1] = set($0[1], "iteration", .double(1e300)) },
                       "c.jsonl:6: \"iteration\" must be an integer in 0...9223372036854775807, got 1e+300")
        XCTAssertEqual(read { $0[0] = set($0[0], "mean_return_n", .int(Int.max)) },
                       "c.jsonl:5: \"mean_return_n\" must be an integer in 0...2147483647, got 9223372036854775807")
        XCTAssertEqual(read { $0[2] = set($0[2], "seed", .array([.int(-1), .int(2)])) },
                       "c.jsonl:7: \"seed[0]\" must be an integer in 0...18446744073709551615, got -1")
        XCTAssertEqual(read { $0[2] = set($0[2], "iterations_to_threshold", .array([.double(2.5), .null])) },
                       "c.jsonl:7: \"iterations_to_threshold[0]\" must be an integer in 0...9223372036854775807, got 2.5")
        XCTAssertEqual(S.error { _ = try SweepAggregate.read(a.curveLines + [a.finalLine], iterations: Int.max, file: "c.jsonl") },
                       "c.jsonl: malformed compare file: \"iterations\" is 9223372036854775807 but the file has 3 lines")
        XCTAssertEqual(read { $0[0] = set($0[0], "mean_return_n", .int(0)) }, "no error", "a count of 0 is a metric left out")
    }
}
