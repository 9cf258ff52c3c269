import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What a command printed and returned.
struct CommandResult {
    var status: Int32
    var out: String
    var err: String
}

/// Collects text written through an ``Output``.
final class TextSink: @unchecked Sendable {
    var text = ""
}

/// Runs `pg` with captured streams.
func runPG(_ args: [String]) -> CommandResult {
    let out = TextSink(), err = TextSink()
    let status = PGCommand.run(args, output: Output(out: { out.text += $0 }, err: { err.text += $0 }))
    return CommandResult(status: status, out: out.text, err: err.text)
}

/// A fresh temporary directory, removed when the test ends.
func temporaryDirectory(_ test: XCTestCase) throws -> String {
    let dir = NSTemporaryDirectory() + "pg-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
    return dir
}

/// A fresh temporary directory that the caller removes (for tests that manage it themselves).
func makeTemporaryDirectory(_ label: String) throws -> String {
    let path = NSTemporaryDirectory() + "pg-\(label)-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Every line of a JSONL file, parsed one by one (fails the test on a malformed line).
func jsonLines(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> [JSONValue] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    XCTAssertTrue(text.hasSuffix("\n"), "\(path) does not end with a newline", file: file, line: line)
    return try text.split(separator: "\n").map { try JSONParser.parse(String($0)) }
}

/// Parses an SVG as XML and counts the `<path class="series">` elements per panel.
final class SVGSeriesCounter: NSObject, XMLParserDelegate {
    private(set) var seriesPerPanel: [Int] = []

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if name == "g", attributes["class"] == "panel" { seriesPerPanel.append(0) }
        if name == "path", attributes["class"] == "series", !seriesPerPanel.isEmpty { seriesPerPanel[seriesPerPanel.count - 1] += 1 }
    }

    /// The series counts of the SVG at `path`, or nil when it is not well-formed XML.
    static func count(_ path: String) throws -> [Int]? {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let parser = XMLParser(data: data)
        let counter = SVGSeriesCounter()
        parser.delegate = counter
        return parser.parse() ? counter.seriesPerPanel : nil
    }
}
