import Foundation
import PolicyGradient
import XCTest

/// Every code block of the documentation is a file that is compiled or checked: Swift blocks
/// are sources of the package or of this test target, word for word; Python blocks are scripts
/// Python compiles; JSON blocks parse. So no example can drift from the code.
///
/// After an intended change of a snippet's file, `PG_UPDATE_DOCS=1 swift test --filter SnippetTests`
/// writes the files' text into the documents' blocks.
final class SnippetTests: XCTestCase {
    func testEverySnippetIsItsFileWordForWord() throws {
        if ProcessInfo.processInfo.environment["PG_UPDATE_DOCS"] == "1" {
            for document in Documents.all { try Documents.refreshSnippets(document) }
        }
        var count = 0
        for document in Documents.all {
            for block in try Documents.blocks(document) {
                guard let reference = block.value("snippet") else {
                    XCTAssertFalse(["swift", "python"].contains(block.language),
                                   "\(block.place): a \(block.language) block needs <!-- snippet: FILE --> naming the file it is")
                    continue
                }
                count += 1
                let file = reference.components(separatedBy: "#")[0]
                XCTAssertTrue(file.hasPrefix("Sources/") || file.hasPrefix("Tests/") || file.hasPrefix("scripts/")
                              || file.hasPrefix("envs/"), "\(block.place): \(file) is not a file the build or the tests use")
                let expected = try Documents.snippet(reference)
                if block.text != expected { XCTFail("\(block.place): the block differs from \(reference): " + firstDifference(block.text, expected)) }
            }
        }
        XCTAssertGreaterThan(count, 10, "the documents quote their snippets")
    }

    /// JSON blocks without a snippet (file formats shown by example) are valid JSON.
    func testJSONBlocksParse() throws {
        for document in Documents.all {
            for block in try Documents.blocks(document) where block.language == "json" && block.value("snippet") == nil {
                XCTAssertNoThrow(try JSONParser.parse(block.text), block.place)
            }
        }
    }

    /// The Python blocks are scripts in scripts/, and Python compiles them.
    func testPythonSnippetsCompile() throws {
        let scripts = try Documents.all.flatMap { try Documents.blocks($0) }
            .filter { $0.language == "python" }.compactMap { $0.value("snippet")?.components(separatedBy: "#")[0] }
        XCTAssertFalse(scripts.isEmpty)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import ast, sys\nfor f in sys.argv[1:]: ast.parse(open(f).read(), f)"]
            + Set(scripts).sorted().map { Documents.root.appendingPathComponent($0).path }
        do { try p.run() } catch { throw XCTSkip("python3 is not available: \(error)") }
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "python3 cannot parse \(scripts)")
    }

    /// The Package.swift a user's package starts from (CustomEnvironments.md) is a manifest
    /// SwiftPM reads, depending on this package by path.
    func testTheExamplePackageManifestIsRead() throws {
        let package = Documents.root.appendingPathComponent("Tests/DocumentationTests/ExamplePackage")
        let dir = NSTemporaryDirectory() + "pg-manifest-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The manifest names the package "../pg": a copy beside a link to this repository reads the same.
        try FileManager.default.createSymbolicLink(atPath: dir + "/pg", withDestinationPath: Documents.root.path)
        try FileManager.default.createDirectory(atPath: dir + "/my-envs", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: package.appendingPathComponent("Package.swift").path, toPath: dir + "/my-envs/Package.swift")
        let p = Process(), out = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["swift", "package", "--package-path", dir + "/my-envs", "dump-package"]
        p.standardOutput = out
        p.standardError = out
        do { try p.run() } catch { throw XCTSkip("swift is not on the PATH: \(error)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("\"MyEnvironments\"") && text.contains("\"PolicyGradient\""), text)
    }
}

/// "line N: got … / expected …" for the first line where two texts differ.
func firstDifference(_ got: String, _ expected: String) -> String {
    let a = got.components(separatedBy: "\n"), b = expected.components(separatedBy: "\n")
    let i = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
    return "line \(i + 1):\n  got:      \(i < a.count ? a[i] : "<end>")\n  expected: \(i < b.count ? b[i] : "<end>")"
}
