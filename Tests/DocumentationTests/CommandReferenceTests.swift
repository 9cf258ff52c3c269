import Foundation
@testable import PGCommand
import XCTest

/// The command reference of the catalogue is what `pg help --markdown` renders from the
/// settings: a changed flag or default is a one-file diff here. After an intended change,
/// regenerate it with `swift run pg help --markdown > Sources/PolicyGradient/PolicyGradient.docc/CommandReference.md`
/// (or `PG_UPDATE_DOCS=1 swift test --filter CommandReferenceTests`).
final class CommandReferenceTests: XCTestCase {
    static let path = Documents.catalogue + "/CommandReference.md"

    func testTheCommittedReferenceIsTheRendering() throws {
        var out = ""
        XCTAssertEqual(PGCommand.run(["help", "--markdown"], output: Output(out: { out += $0 }, err: { _ in })), 0)
        if ProcessInfo.processInfo.environment["PG_UPDATE_DOCS"] == "1" {
            try out.write(to: Documents.root.appendingPathComponent(Self.path), atomically: true, encoding: .utf8)
            return
        }
        let committed = try Documents.read(Self.path)
        if committed != out {
            XCTFail("\(Self.path) is not `pg help --markdown` (regenerate it: swift run pg help --markdown > \(Self.path)); "
                    + firstDifference(committed, out))
        }
    }

    /// Every command and every option of its help is in the reference.
    func testEveryOptionIsThere() throws {
        let reference = try Documents.read(Self.path)
        for c in PGCommand.subcommands {
            XCTAssertTrue(reference.contains("## pg \(c.name)\n"), c.name)
            var help = ""
            _ = PGCommand.run([c.name, "--help"], output: Output(out: { help += $0 }, err: { _ in }))
            for line in help.split(separator: "\n") where line.hasPrefix("  --") {
                let flag = line.dropFirst(2).prefix { $0 != " " }
                XCTAssertTrue(reference.contains("`" + flag), "pg \(c.name) \(flag)")
            }
        }
    }

    /// The Figure 2.5 command of the article is the one `pg bench` runs.
    func testTheFigureCommandIsBenchs() throws {
        XCTAssertTrue(try Documents.read(Documents.catalogue + "/MeasuringEstimators.md").contains("\n" + FigureTwoFive.command + "\n"))
    }

    /// `pg help` takes --markdown or nothing.
    func testHelpRefusesOtherArguments() {
        var err = ""
        XCTAssertEqual(PGCommand.run(["help", "--html"], output: Output(out: { _ in }, err: { err += $0 })), 2)
        XCTAssertEqual(err, "pg: error: pg help: unexpected argument '--html'; valid: --markdown (the command reference as Markdown), or none\n")
    }
}
