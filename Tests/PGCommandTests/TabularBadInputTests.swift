import Foundation
import PolicyGradient
import XCTest

/// Runs `BadInputCorpus/tabular.json` with the rules of ``BadInputTests`` (exit status 2,
/// nothing on standard output, one `pg: error:` line containing the case's text).
///
/// Temporary: BadInputTests is being changed to load every `*.json` of the corpus folder;
/// once it does, this file goes.
final class TabularBadInputTests: XCTestCase {
    func testEveryTabularCaseIsOneClearErrorLineWithStatus2() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("BadInputCorpus/tabular.json").path
        guard case let .array(cases) = try JSONParser.parse(String(contentsOfFile: path, encoding: .utf8), file: path) else {
            return XCTFail("the corpus is a JSON array")
        }
        XCTAssertGreaterThanOrEqual(cases.count, 80)
        let fm = FileManager.default
        for (i, c) in cases.enumerated() {
            guard case let .array(args)? = c["args"], let expect = c["expect"]?.stringValue else {
                return XCTFail("case \(i) needs \"args\" and \"expect\"")
            }
            let dir = try makeTemporaryDirectory("bad-tabular")
            defer { try? fm.removeItem(atPath: dir) }
            if case let .object(files)? = c["files"] {
                for (name, text) in files {
                    let file = (dir as NSString).appendingPathComponent(name)
                    if name.hasSuffix("/") { try fm.createDirectory(atPath: file, withIntermediateDirectories: true) }
                    else { XCTAssertTrue(fm.createFile(atPath: file, contents: Data((text.stringValue ?? "").utf8))) }
                }
            }
            let r = runPG(args.compactMap(\.stringValue).map { $0.replacingOccurrences(of: "$TMP", with: dir) })
            let what = "case \(i): stderr \(r.err.debugDescription)"
            XCTAssertEqual(r.status, 2, what)
            XCTAssertEqual(r.out, "", what)
            XCTAssertTrue(r.err.hasPrefix("pg: error: ") && r.err.filter { $0 == "\n" }.count == 1 && r.err.hasSuffix("\n"), what)
            XCTAssertTrue(r.err.contains(expect), "expected \(expect.debugDescription) in " + what)
        }
    }
}
