import Foundation
@testable import PGCommand
import XCTest

/// `pg --help` and every subcommand's `--help`, character for character, against the files in
/// `HelpText/` (as swift-argument-parser's help tests do). The help is rendered from the
/// settings' own defaults, so a changed default or flag shows up here as a one-file diff.
/// After an intended change, regenerate with `PG_UPDATE_HELP=1 swift test --filter HelpTextTests`.
final class HelpTextTests: XCTestCase {
    static let commands = [""] + PGCommand.subcommands.map(\.name)
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("HelpText")

    func testEveryHelpTextIsExactlyAsRecorded() throws {
        let update = ProcessInfo.processInfo.environment["PG_UPDATE_HELP"] == "1"
        for command in Self.commands {
            let r = runPG(command.isEmpty ? ["--help"] : [command, "--help"])
            XCTAssertEqual(r.status, 0, command)
            XCTAssertEqual(r.err, "", command)
            let file = Self.directory.appendingPathComponent((command.isEmpty ? "pg" : command) + ".txt")
            if update { try r.out.write(to: file, atomically: true, encoding: .utf8); continue }
            let expected = try String(contentsOf: file, encoding: .utf8)
            if r.out != expected {
                let got = r.out.split(separator: "\n", omittingEmptySubsequences: false)
                let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
                let i = (0..<min(got.count, want.count)).first { got[$0] != want[$0] } ?? min(got.count, want.count)
                XCTFail("pg \(command) --help differs from \(file.lastPathComponent) at line \(i + 1):\n"
                        + "  got:      \(i < got.count ? String(got[i]) : "<end>")\n  expected: \(i < want.count ? String(want[i]) : "<end>")")
            }
        }
    }

    /// `-h` is `--help`.
    func testShortFlagIsTheSame() {
        for command in ["train", "compare", "variance"] { XCTAssertEqual(runPG([command, "-h"]).out, runPG([command, "--help"]).out, command) }
    }
}
