import Foundation
import PolicyGradient
import XCTest

/// Every case of `BadInputCorpus/cases.json` is bad input: pg must exit with status 2, print
/// nothing on standard output, and print exactly one line on standard error that starts with
/// `pg: error:` and contains the case's expected text (naming the flag or file and the valid
/// choices).
///
/// A case is `{"args": [...], "expect": "...", "files": {"name": "text" | {"hex": "..."}}}`.
/// Files are written into a fresh temporary directory (a name ending in `/` makes a
/// directory), and `$TMP` in the arguments is replaced by its path.
final class BadInputTests: XCTestCase {
    struct Case {
        var index: Int
        var args: [String]
        var expect: String
        var files: [(String, Data)]
    }

    static var corpusPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("BadInputCorpus/cases.json").path
    }

    func loadCorpus() throws -> [Case] {
        let text = try String(contentsOfFile: Self.corpusPath, encoding: .utf8)
        guard case let .array(items) = try JSONParser.parse(text, file: Self.corpusPath) else {
            throw InputError("the corpus is a JSON array", file: Self.corpusPath)
        }
        return try items.enumerated().map { i, item in
            guard case let .array(args)? = item["args"], let expect = item["expect"]?.stringValue else {
                throw InputError("case \(i) needs \"args\" and \"expect\"", file: Self.corpusPath)
            }
            var files: [(String, Data)] = []
            if case let .object(pairs)? = item["files"] {
                for (name, value) in pairs {
                    if let s = value.stringValue { files.append((name, Data(s.utf8))) }
                    else if let hex = value["hex"]?.stringValue { files.append((name, Self.bytes(hex: hex))) }
                }
            }
            return Case(index: i, args: args.compactMap(\.stringValue), expect: expect, files: files)
        }
    }

    static func bytes(hex: String) -> Data {
        let digits = Array(hex.utf8)
        return Data(stride(from: 0, to: digits.count - 1, by: 2).map {
            UInt8(String(decoding: digits[$0...($0 + 1)], as: UTF8.self), radix: 16)!
        })
    }

    func testTheCorpusHasAtLeast200Cases() throws {
        XCTAssertGreaterThanOrEqual(try loadCorpus().count, 200)
    }

    func testEveryCaseIsOneClearErrorLineWithStatus2() throws {
        let fm = FileManager.default
        for c in try loadCorpus() {
            let dir = try makeTemporaryDirectory("bad-input")
            defer { try? fm.removeItem(atPath: dir) }
            for (name, data) in c.files {
                let path = (dir as NSString).appendingPathComponent(name)
                if name.hasSuffix("/") {
                    try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
                } else {
                    XCTAssertTrue(fm.createFile(atPath: path, contents: data), "case \(c.index): cannot write \(name)")
                }
            }
            let args = c.args.map { $0.replacingOccurrences(of: "$TMP", with: dir) }
            let r = runPG(args)
            let what = "case \(c.index) \(c.args): stderr \(r.err.debugDescription)"
            XCTAssertEqual(r.status, 2, what)
            XCTAssertEqual(r.out, "", what)
            XCTAssertTrue(r.err.hasPrefix("pg: error: "), what)
            XCTAssertTrue(r.err.hasSuffix("\n") && r.err.filter { $0 == "\n" }.count == 1, "not one line: " + what)
            XCTAssertTrue(r.err.contains(c.expect), "expected \(c.expect.debugDescription) in " + what)
        }
    }
}
