import Foundation
@testable import PolicyGradient
import XCTest

/// JSON text for the logs (LogFormat.md), the parser's round trip and error positions, and
/// bandit spec files with file:line:column errors (bad input: one error naming the place).
final class JSONTests: XCTestCase {
    // MARK: JSONValue text

    func testScalarsAndNumbers() {
        XCTAssertEqual(JSONValue.null.text, "null")
        XCTAssertEqual(JSONValue.bool(true).text, "true")
        XCTAssertEqual(JSONValue.bool(false).text, "false")
        XCTAssertEqual(JSONValue.int(-42).text, "-42")
        XCTAssertEqual(JSONValue.int(Int.max).text, "9223372036854775807")
        XCTAssertEqual(JSONValue.double(3).text, "3", "integral doubles are written as integers")
        XCTAssertEqual(JSONValue.double(-2.5).text, "-2.5")
        XCTAssertEqual(JSONValue.double(0.1).text, "0.1")
        XCTAssertEqual(JSONValue.double(1e20).text, "1e+20")
        XCTAssertEqual(JSONValue.double(1e-7).text, "1e-07")
        XCTAssertEqual(JSONValue.double(.nan).text, "null")
        XCTAssertEqual(JSONValue.double(.infinity).text, "null")
        XCTAssertEqual(JSONValue.double(-.infinity).text, "null")
        XCTAssertEqual(JSONValue.number(nil).text, "null")
        XCTAssertEqual(JSONValue.number(1.5).text, "1.5")
    }

    func testStringEscapes() {
        XCTAssertEqual(JSONValue.string("plain").text, "\"plain\"")
        XCTAssertEqual(JSONValue.string("a\"b\\c").text, #""a\"b\\c""#)
        XCTAssertEqual(JSONValue.string("l1\nl2\r\tx").text, #""l1\nl2\r\tx""#)
        XCTAssertEqual(JSONValue.string("\u{01}\u{1F}").text, #""\u0001\u001f""#)
        XCTAssertEqual(JSONValue.string("é π 😀 /").text, "\"é π 😀 /\"", "non-ASCII and / are written as is")
    }

    func testObjectsKeepKeyOrder() {
        let v = JSONValue.object([("b", .int(1)), ("a", .double(0.5)), ("c", .array([.null, .bool(true), .string("x")]))])
        XCTAssertEqual(v.text, #"{"b":1,"a":0.5,"c":[null,true,"x"]}"#)
        XCTAssertEqual(JSONValue.object([]).text, "{}")
        XCTAssertEqual(JSONValue.array([]).text, "[]")
        XCTAssertNotEqual(v, JSONValue.object([("a", .double(0.5)), ("b", .int(1)), ("c", .array([.null, .bool(true), .string("x")]))]),
                          "key order is part of the value")
        XCTAssertEqual(v["a"], .double(0.5))
        XCTAssertNil(v["z"])
        XCTAssertNil(JSONValue.int(1)["a"])
        XCTAssertEqual(v["b"]?.doubleValue, 1)
        XCTAssertNil(v["c"]?.doubleValue)
        XCTAssertEqual(JSONValue.string("s").stringValue, "s")
        XCTAssertNil(JSONValue.int(1).stringValue)
    }

    func testIterationRecordLine() {
        var r = IterationRecord()
        r.iteration = 3
        r.episodes = 128
        r.meanReturn = 1.5
        r.exactJ = 1.25
        r.optimalJ = 2
        r.learningRate = 0.1
        let text = r.json(estimatorFields: ["baseline"]).text
        XCTAssertTrue(text.hasPrefix(#"{"type":"iteration","iteration":3,"episodes":128,"mean_return":1.5,"#), text)
        XCTAssertTrue(text.contains(#""exact_j":1.25,"optimal_j":2,"regret":0.75,"#), text)
        XCTAssertTrue(text.contains(#""baseline":null"#), text)
        XCTAssertEqual(try JSONParser.parse(text), r.json(estimatorFields: ["baseline"]))
    }

    // MARK: Parser round trip

    func testRoundTrip() throws {
        let values: [JSONValue] = [
            .object([("name", .string("a \"quoted\" \\ name\n\té😀")), ("n", .int(-7)), ("x", .double(0.1)),
                     ("tiny", .double(.leastNonzeroMagnitude)), ("third", .double(1.0 / 3)), ("big", .double(-1.7976931348623157e308)),
                     ("list", .array([.bool(false), .null, .object([]), .array([])])),
                     ("nested", .object([("z", .int(0)), ("a", .double(2.5e-8))]))]),
            .array([.int(1), .double(1.5), .string("")]),
            .string("\u{01}control"),
            .double(123_456_789.125),
        ]
        for v in values {
            let parsed = try JSONParser.parse(v.text)
            XCTAssertEqual(parsed, v, v.text)
            XCTAssertEqual(parsed.text, v.text)
        }
        // Exact doubles: the shortest round-trip text parses back to the same bits.
        var rng = RandomStream(seed: 4)
        for _ in 0..<200 {
            let x = rng.nextGaussian() * pow(10, Double(rng.nextInt(below: 40)) - 20)
            XCTAssertEqual(try JSONParser.parse(JSONValue.double(x).text).doubleValue, x)
        }
    }

    func testParsesWhitespaceEscapesAndUnicode() throws {
        let text = "{\r\n  \"a\" : [ 1 , -2.5e3 , true ],\n\t\"b\": \"\\u00e9\\n\\/\\\"\",\n  \"c\": null }"
        let v = try JSONParser.parse(text)
        XCTAssertEqual(v.text, #"{"a":[1,-2500,true],"b":"é\n/\"","c":null}"#)
        XCTAssertEqual(v["b"]?.stringValue, "é\n/\"")
    }

    /// A character outside the Basic Multilingual Plane is escaped as a UTF-16 surrogate pair
    /// (RFC 8259 §7), which is what Python's `json.dump` writes by default.
    func testParsesSurrogatePairs() throws {
        XCTAssertEqual(try JSONParser.parse(#""\ud83d\ude00""#).stringValue, "😀")
        XCTAssertEqual(try JSONParser.parse(#""a\uD834\uDD1Eb""#).stringValue, "a𝄞b")
        for lone in [#""\ud83d""#, #""\ude00""#, #""\ud83dx""#, #""\ud83d\u0041""#] {
            XCTAssertThrowsError(try JSONParser.parse(lone), lone)
        }
    }

    // MARK: Parser errors with line and column

    private func assertError(_ text: String, line: Int, column: Int, _ fragment: String,
                             file: StaticString = #filePath, sourceLine: UInt = #line) {
        do {
            let v = try JSONParser.parse(text, file: "in.json")
            XCTFail("parsed \(text.debugDescription) as \(v.text)", file: file, line: sourceLine)
        } catch let e as InputError {
            XCTAssertEqual(e.file, "in.json", file: file, line: sourceLine)
            XCTAssertEqual(e.line, line, "\(text.debugDescription): \(e)", file: file, line: sourceLine)
            XCTAssertEqual(e.column, column, "\(text.debugDescription): \(e)", file: file, line: sourceLine)
            XCTAssertTrue(e.message.contains(fragment), "\(e.message) lacks \(fragment)", file: file, line: sourceLine)
            XCTAssertTrue(e.description.hasPrefix("in.json:\(line):\(column): "), e.description, file: file, line: sourceLine)
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: sourceLine)
        }
    }

    func testErrorPositions() {
        assertError("", line: 1, column: 1, "unexpected end of input")
        assertError("   \n  ", line: 2, column: 3, "unexpected end of input")
        assertError("{\n  \"a\": tru\n}", line: 2, column: 8, "invalid literal")
        assertError("[1, 2,]", line: 1, column: 7, "unexpected character ']'")
        assertError("{\"a\" 1}", line: 1, column: 6, "expected ':'")
        assertError("[1 2]", line: 1, column: 4, "expected ',' or ']'")
        assertError("{\"a\": 1 \"b\": 2}", line: 1, column: 9, "expected ',' or '}'")
        assertError("{\"a\":1,\"a\":2}", line: 1, column: 11, "duplicate key \"a\"")
        assertError("{1: 2}", line: 1, column: 2, "expected a quoted key")
        assertError("\"abc", line: 1, column: 5, "unterminated string")
        assertError("[\"a\\qb\"]", line: 1, column: 5, "invalid escape")
        assertError("\"a\u{01}\"", line: 1, column: 3, "control character")
        assertError("\"\\u12G4\"", line: 1, column: 3, "invalid \\u escape")
        assertError("1 2", line: 1, column: 3, "unexpected text after the JSON value")
        assertError("{\n\n  \"x\": -\n}", line: 3, column: 8, "invalid number '-'")
        assertError("[1e999]", line: 1, column: 2, "invalid number '1e999'")
        assertError("[\n  1,\n  2,\n  @\n]", line: 4, column: 3, "unexpected character '@'")
        assertError("{\"a\": [1, 2", line: 1, column: 12, "unexpected end of input")
    }

    // MARK: Bandit specs

    private let spec = """
    {
      "name": "four-arms",
      "description": "one arm of each kind",
      "type": "bandit",
      "arms": [
        {"distribution": "gaussian", "mean": 1, "sd": 0.5},
        {"distribution": "bernoulli", "p": 0.25},
        {"distribution": "uniform", "low": -1, "high": 3},
        {"distribution": "constant", "value": 1.5}
      ]
    }
    """

    func testParsesASpec() throws {
        let (bandit, description) = try Bandit.parse(spec: spec, file: "envs/four-arms.json")
        XCTAssertEqual(bandit.id, "four-arms")
        XCTAssertEqual(description, "one arm of each kind")
        XCTAssertEqual(bandit.arms, [.gaussian(mean: 1, standardDeviation: 0.5), .bernoulli(p: 0.25),
                                     .uniform(low: -1, high: 3), .constant(1.5)])
        XCTAssertEqual(bandit.optimalAction, 3)
        XCTAssertEqual(bandit.arms.map(\.mean), [1, 0.25, 1, 1.5])
        let unnamed = try Bandit.parse(spec: #"{"arms": [{"distribution": "constant", "value": 2}]}"#, file: "envs/my-bandit.json")
        XCTAssertEqual(unnamed.bandit.id, "my-bandit", "the file name names an unnamed spec")
    }

    func testLoadsASpecFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pg-json-tests-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("four-arms.json").path
        try spec.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Bandit.load(specAt: path).bandit.arms.count, 4)
        XCTAssertEqual(try EnvironmentRegistry.load(path: path).actionCount, 4)
        XCTAssertThrowsError(try Bandit.load(specAt: dir.appendingPathComponent("missing.json").path)) {
            XCTAssertTrue("\($0)".contains("cannot read"), "\($0)")
        }
    }

    private func assertSpecError(_ text: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Bandit.parse(spec: text, file: "envs/bad.json"), file: file, line: line) { error in
            XCTAssertEqual("\(error)", expected, file: file, line: line)
        }
    }

    func testSpecErrorsNameFileLineAndColumn() {
        assertSpecError("[1, 2]", "envs/bad.json:1:1: a bandit spec is a JSON object")
        assertSpecError("{\"name\": \"x\",\n \"armz\": []}",
                        "envs/bad.json:2:10: unknown key \"armz\"; valid keys: name, description, type, arms")
        assertSpecError("{\"name\": \"bad\"}", "envs/bad.json:1:1: a bandit spec needs an \"arms\" array")
        assertSpecError("{\"name\": \"x\"}", "envs/bad.json:1:10: \"name\": 'x' differs from the file name 'bad': an environment "
                            + "file's id is its file name (drop the name key or rename the file)")
        assertSpecError("{\"arms\": []}", "envs/bad.json:1:10: \"arms\" must have at least one arm")
        assertSpecError("{\"arms\": [\n  {\"distribution\": \"bernoulli\", \"p\": 1.5}\n]}",
                        "envs/bad.json:2:38: p must be in [0, 1], got 1.5")
        assertSpecError("{\"arms\": [{\"distribution\": \"gaussian\", \"mean\": 0, \"sd\": -1}]}",
                        "envs/bad.json:1:57: sd must be >= 0, got -1.0")
        assertSpecError("{\"arms\": [\n  {\"distribution\": \"constant\", \"value\": 1},\n  {\"distribution\": \"poisson\"}\n]}",
                        "envs/bad.json:3:20: unknown distribution \"poisson\"; valid: gaussian, bernoulli, uniform, constant")
        assertSpecError("{\"arms\": [{\"distribution\": \"uniform\", \"low\": 0}]}",
                        "envs/bad.json:1:11: uniform arm needs a number \"high\"")
        assertSpecError("{\"arms\": [{\"distribution\": \"uniform\", \"low\": 2, \"high\": 1}]}",
                        "envs/bad.json:1:11: uniform arm needs low <= high, got 2.0 > 1.0")
        assertSpecError("{\"arms\": [{\"mean\": 1}]}",
                        "envs/bad.json:1:11: each arm needs \"distribution\": one of gaussian, bernoulli, uniform, constant")
        assertSpecError("{\"arms\": [{\"distribution\": \"bernoulli\", \"p\": \"0.5\"}]}",
                        "envs/bad.json:1:46: bernoulli arm needs a number \"p\"")
        assertSpecError("{\"arms\": [1,]}", "envs/bad.json:1:13: unexpected character ']': expected a value")
    }
}
