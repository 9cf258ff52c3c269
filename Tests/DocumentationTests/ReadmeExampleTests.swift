import ExampleEnvironments
import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// The README's claims that are not commands: its examples run and do what it says, its
/// estimator table lists exactly the registered estimators, its exit-status table is pg's own,
/// and it stays a page a newcomer reads.
final class ReadmeExampleTests: XCTestCase {
    /// The corridor is learned: the last batch of 200 updates mostly reaches the end.
    func testTheCorridorExampleLearns() throws {
        XCTAssertGreaterThan(try trainCorridor(), 0.9)
        XCTAssertTrue(EnvironmentChecker.passes(Corridor(length: 6)))
    }

    /// The estimator table's first column is the registry's built-in names, in order, and its
    /// last column starts with each one's declared claim (with default settings).
    func testTheEstimatorTableListsEveryEstimator() throws {
        let readme = try Documents.read("README.md")
        let rows = readme.components(separatedBy: "\n").filter { $0.hasPrefix("| `") }.compactMap { line -> (String, String)? in
            let cell = line.dropFirst(3).prefix { $0 != "`" }
            guard EstimatorRegistry.builtins.contains(where: { $0.name == cell }) else { return nil }
            let claim = line.split(separator: "|").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            return (String(cell), claim)
        }
        XCTAssertEqual(rows.map(\.0), EstimatorRegistry.builtins.map(\.name))
        for (name, claim) in rows {
            let declared = try EstimatorRegistry.descriptor(named: name).claim(SettingValues()).name
            XCTAssertTrue(claim.hasPrefix(declared), "\(name): the README says '\(claim)', the registry claims \(declared)")
        }
    }

    /// The README's exit statuses are pg's own table (the command reference renders the same).
    func testTheExitStatusesArePGs() throws {
        XCTAssertTrue(try Documents.read("README.md").contains(PGCommand.exitStatusTable))
    }

    /// At most about 300 lines.
    func testTheReadmeIsShort() throws {
        XCTAssertLessThanOrEqual(try Documents.read("README.md").components(separatedBy: "\n").count, 310)
    }
}
