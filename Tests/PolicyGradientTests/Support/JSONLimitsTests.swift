import Foundation
@testable import PolicyGradient
import XCTest

/// Hostile JSON: nesting beyond ``JSONParser/maximumDepth``, integers at and beyond the ends of
/// `Int` and `UInt64`, and the range-checked accessors that never trap.
final class JSONLimitsTests: XCTestCase {
    private func parseError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> InputError? {
        do {
            _ = try JSONParser.parse(text, file: "in.json")
            XCTFail("parsed \(text.prefix(40).debugDescription)…", file: file, line: line)
        } catch let e as InputError {
            return e
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
        return nil
    }

    // MARK: Nesting

    func testNestingUpToTheLimitParsesAndOneLevelMoreIsOneError() throws {
        let depth = JSONParser.maximumDepth
        XCTAssertEqual(depth, 64)
        let deepest = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        XCTAssertEqual(try JSONParser.parse(deepest).text, deepest)
        let objects = String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
        XCTAssertEqual(try JSONParser.parse(objects).text, objects)
        let e = parseError("[" + deepest + "]")
        XCTAssertEqual(e?.description, "in.json:1:65: nesting deeper than 64 levels of arrays and objects")
    }

    /// Tens of thousands of levels (arrays, objects, both, closed or not) give the same one
    /// error at the 65th level, never a stack overflow.
    func testHostileDepthsGiveOneErrorAtTheLimit() {
        let n = 100_000
        XCTAssertEqual(parseError(String(repeating: "[", count: n))?.column, 65)
        XCTAssertEqual(parseError(String(repeating: "[", count: n) + String(repeating: "]", count: n))?.column, 65)
        XCTAssertEqual(parseError(String(repeating: "{\"a\":", count: n))?.column, 64 * 5 + 1)
        XCTAssertEqual(parseError(String(repeating: "[{\"k\":", count: n / 2))?.column, 32 * 6 + 1)
        let e = parseError("{\n\"x\": " + String(repeating: "[", count: n))
        XCTAssertEqual(e.map { [$0.line, $0.column] }, [2, 5 + 64])
        XCTAssertEqual(e?.message, "nesting deeper than 64 levels of arrays and objects")
    }

    /// A long key over many values costs its length once (paths are not built per value), and
    /// positions still resolve through it.
    func testPositionsWithLongKeysAndWideObjects() throws {
        let key = String(repeating: "k", count: 100_000)
        let text = "{\"\(key)\": [" + Array(repeating: "[1]", count: 20_000).joined(separator: ",") + "]}"
        var parser = JSONParser(text, file: "in.json")
        _ = try parser.parse()
        XCTAssertEqual(parser.positions[key + "[19999][0]"]?.column, key.count + 8 + 19_999 * 4)
        let wide = "{" + (0..<5_000).map { "\"k\($0)\": \($0)" }.joined(separator: ", ") + ", \"k17\": 0}"
        XCTAssertEqual(parseError(wide)?.message, "duplicate key \"k17\"")
    }

    func testPositionsByPath() throws {
        let text = "{\"arms\": [\n  {\"p\": 0.5},\n  {\"a.b\": {\"c\": [7, [8]]}}\n], \"a\": {\"b\": 1}}"
        var parser = JSONParser(text)
        _ = try parser.parse()
        let p = parser.positions
        XCTAssertEqual(p[""].map { [$0.line, $0.column] }, [1, 1])
        XCTAssertEqual(p["arms"].map { [$0.line, $0.column] }, [1, 10])
        XCTAssertEqual(p["arms[0].p"].map { [$0.line, $0.column] }, [2, 9])
        XCTAssertEqual(p["arms[1].a.b.c[1][0]"].map { [$0.line, $0.column] }, [3, 22], "a key holding a dot")
        XCTAssertEqual(p["a.b"].map { [$0.line, $0.column] }, [4, 15])
        XCTAssertNil(p["arms[2]"])
        XCTAssertNil(p["arms[-1]"])
        XCTAssertNil(p["nope"])
        XCTAssertNil(p["arms[0].p.q"])
        var quiet = JSONParser(text, recordingPositions: false)
        _ = try quiet.parse()
        XCTAssertNil(quiet.positions[""])
    }

    func testControlBytesAndLongNumbersAreEchoedSafely() {
        XCTAssertEqual(parseError("[\u{0B}]")?.message, "unexpected byte 0xB: expected a value")
        let long = String(repeating: "9", count: 500)
        XCTAssertEqual(parseError("[\(long)]")?.message,
                       "invalid number '\(String(repeating: "9", count: 40))…' (too large for a 64-bit floating-point number)")
    }

    // MARK: Integers

    func testIntegersAreExactAtTheEndsOfIntAndUInt64() throws {
        let cases: [(String, JSONValue)] = [
            ("9223372036854775807", .int(Int.max)), ("-9223372036854775808", .int(Int.min)),
            ("9223372036854775808", .uint(1 << 63)), ("18446744073709551615", .uint(UInt64.max)),
        ]
        for (text, value) in cases {
            let parsed = try JSONParser.parse(text)
            XCTAssertEqual(parsed, value, text)
            XCTAssertEqual(parsed.text, text)
        }
        XCTAssertEqual(try JSONParser.parse("18446744073709551616").exactUInt64, nil, "beyond UInt64: a double")
        XCTAssertEqual(try JSONParser.parse("-9223372036854775809").exactInt, nil, "below Int.min: a double")
        var rng = RandomStream(seed: 9)
        for _ in 0..<200 {
            let u = rng.next() >> UInt64(rng.nextInt(below: 64))
            XCTAssertEqual(try JSONParser.parse(JSONValue.integer(u).text).exactUInt64, u)
            let i = Int(bitPattern: UInt(rng.next()))
            XCTAssertEqual(try JSONParser.parse(JSONValue.int(i).text).exactInt, i)
        }
        XCTAssertEqual(JSONValue.integer(UInt64(Int.max)), .int(Int.max))
        XCTAssertEqual(JSONValue.integer(UInt64.max).text, "18446744073709551615")
    }

    func testExactAccessorsNeverTrap() {
        let values: [(JSONValue, Int?, UInt64?)] = [
            (.int(5), 5, 5), (.int(-1), -1, nil), (.int(Int.max), Int.max, UInt64(Int.max)), (.int(Int.min), Int.min, nil),
            (.uint(UInt64.max), nil, UInt64.max), (.uint(1 << 63), nil, 1 << 63),
            (.double(1e3), 1000, 1000), (.double(2.5), nil, nil), (.double(1e300), nil, nil), (.double(-1e300), nil, nil),
            (.double(9_007_199_254_740_992), 9_007_199_254_740_992, 9_007_199_254_740_992),
            (.double(9_007_199_254_740_994), nil, nil), (.double(-0.0), 0, 0), (.double(.nan), nil, nil),
            (.double(.infinity), nil, nil), (.string("12"), nil, nil), (.null, nil, nil), (.bool(true), nil, nil),
            (.array([.int(1)]), nil, nil),
        ]
        for (v, int, uint) in values {
            XCTAssertEqual(v.exactInt, int, v.text)
            XCTAssertEqual(v.exactUInt64, uint, v.text)
        }
    }

    private func message(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    func testTypedAccessorsNameTheKeyFileAndLine() throws {
        let line: JSONValue = .object([("iteration", .double(1e300)), ("n", .int(-1)), ("x", .double(2.5)), ("big", .int(Int.max)),
                                       ("s", .string("12")), ("seed", .uint(UInt64.max)), ("none", .null), ("f", .double(0.25))])
        func m(_ body: () throws -> Any) -> String { message(body) }
        XCTAssertEqual(m { try line.int("iteration", in: 0...9, file: "a.jsonl", line: 3) },
                       "a.jsonl:3: \"iteration\" must be an integer in 0...9, got 1e+300")
        XCTAssertEqual(m { try line.int("n", in: 0...Int.max, file: "a.jsonl", line: 3) },
                       "a.jsonl:3: \"n\" must be an integer in 0...9223372036854775807, got -1")
        XCTAssertEqual(m { try line.int("x") }, "\"x\" must be an integer, got 2.5")
        XCTAssertEqual(try line.int("big", in: 0...Int.max), Int.max)
        XCTAssertEqual(m { try line.int("big", in: 0...1000) }, "\"big\" must be an integer in 0...1000, got 9223372036854775807")
        XCTAssertEqual(m { try line.int("s") }, "\"s\" must be an integer, got the string \"12\"")
        XCTAssertEqual(m { try line.uint64("s") }, "\"s\" must be an integer in 0...18446744073709551615, got the string \"12\"")
        XCTAssertEqual(m { try line.uint64("n") }, "\"n\" must be an integer in 0...18446744073709551615, got -1")
        XCTAssertEqual(try line.uint64("seed"), UInt64.max)
        XCTAssertEqual(m { try line.int("seed") }, "\"seed\" must be an integer, got 18446744073709551615")
        XCTAssertEqual(m { try line.finiteDouble("none") }, "\"none\" must be a finite number, got null")
        XCTAssertEqual(m { try line.finiteDouble("missing", file: "a.jsonl", line: 7) }, "a.jsonl:7: \"missing\" is missing")
        XCTAssertEqual(try line.finiteDouble("f"), 0.25)
        XCTAssertEqual(try line.finiteDouble("seed"), 1.8446744073709552e19)
        XCTAssertEqual(m { try JSONValue.int(Int.min).asInt(in: -5...5, name: "k[2]") },
                       "\"k[2]\" must be an integer in -5...5, got -9223372036854775808")
        XCTAssertTrue(line.isAbsent("none") && line.isAbsent("missing") && !line.isAbsent("f"))
        let long = JSONValue.string(String(repeating: "x", count: 100))
        XCTAssertEqual(m { try long.asFiniteDouble(name: "v") }.count, "\"v\" must be a finite number, got the string ".count + 41,
                       "long values are cut to 40 characters")
    }
}
