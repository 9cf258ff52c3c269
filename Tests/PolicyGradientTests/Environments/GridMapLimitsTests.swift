import Foundation
@testable import PolicyGradient
import XCTest

/// Huge and hostile maps: read in linear time and memory, refused beyond the limits with the
/// file, line and column.
final class GridMapLimitsTests: XCTestCase {
    let header = "actions: left down right up\ntime-limit: 10\nmap:\n"

    func parseError(_ text: String) -> String {
        do {
            _ = try GridMap(parsing: text, file: "big.txt")
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    /// A row of 250 000 cells is a map like any other: S·A = 10⁶ table rows, written flat (a
    /// row of 10⁶ cells loads the same way; README: Performance has its time and memory).
    func testALongRowLoads() throws {
        let env = try Gridworld(parsing: header + "S" + String(repeating: "F", count: 249_998) + "G\n", file: "row.txt")
        XCTAssertEqual([env.rows, env.columns, env.stateCount], [1, 250_000, 250_000])
        XCTAssertEqual(env.model.offsets.count, 1_000_001)
        XCTAssertEqual(env.model.outcomes(state: 249_998, action: 2), [Outcome(probability: 1, next: 249_999, reward: 1, terminated: true)])
        XCTAssertEqual(env.model.outcomes(state: 0, action: 0), [Outcome(probability: 1, next: 0, reward: 0, terminated: false)])
    }

    /// Reachability is one backward search: 100 000 starts cost no more than one (a search per
    /// start would take 10¹⁰ steps). The start farthest from the goal is still checked.
    func testManyStartsAreCheckedInLinearTime() throws {
        let env = try Gridworld(parsing: header + String(repeating: "S", count: 100_000) + "G\n", file: "starts.txt")
        XCTAssertEqual(env.model.start.filter { $0 > 0 }.count, 100_000)
        XCTAssertEqual(parseError(header + "S" + "H" + String(repeating: "S", count: 100_000) + "G\n"),
                       "big.txt:4:1: the goal cannot be reached from this start")
        XCTAssertEqual(parseError(header + "SSS\nS#S\nSHS\nSGS\nS#S\nS#S\n"), "no error")
        XCTAssertEqual(parseError(header + "SFS\n###\nSGS\n"), "big.txt:4:1: the goal cannot be reached from this start")
    }

    /// Rows × columns is checked from the first row and the number of rows, before one cell is stored.
    func testTooManyCellsAreRefusedWithTheEstimate() {
        let row = String(repeating: "F", count: 2000) + "\n"
        let text = header + "S" + String(repeating: "F", count: 1999) + "\n" + String(repeating: row, count: 2000)
        let bytes = MemoryLimit.format(bytes: 4_002_000 * Double(MemoryLayout<GridCell>.stride + 4 * (8 + 3 * 25)))
        XCTAssertEqual(parseError(text), "big.txt:4:1: the map has 2001 rows x 2000 columns = 4002000 cells; pg reads maps of "
                       + "at most 4000000 cells (its transition table alone would take about \(bytes))")
        XCTAssertTrue(parseError(header + String(repeating: "F", count: 4_000_001) + "\n")
            .hasPrefix("big.txt:4:1: the map has 1 row x 4000001 columns = 4000001 cells"))
    }

    func testATimeLimitBeyondTheMaximumNamesTheFileAndLine() {
        XCTAssertEqual(parseError("actions: left down right up\ntime-limit: 20000000\nmap:\nSG\n"),
                       "big.txt:2:13: time-limit must be at most 1000000 steps, got 20000000")
        XCTAssertEqual(parseError("actions: left down right up\ntime-limit: 1000000\nmap:\nSG\n"), "no error")
    }

    /// Every move into a restarting cliff has one entry per start cell: 10 000 starts above
    /// 10 001 cliffs give 10 000 × (3 + 10 000) entries for the starts' four actions, 4 for the
    /// goal and 4 × 10 001 for the cliffs' absorbing rows: 100 070 008.
    func testRestartingCliffsCannotMultiplyTheTableBeyondItsLimit() {
        let text = header + String(repeating: "S", count: 10_000) + "G\n" + String(repeating: "C", count: 10_001) + "\n"
        XCTAssertEqual(parseError(text), "big.txt:3:1: the map's transition table would have 100070008 entries (every move "
                       + "into a restarting cliff has one per start cell); pg builds at most 48000000")
    }

    /// A header line longer than 64 KiB is refused unread, unless it is a comment.
    func testOverlongHeaderLines() {
        XCTAssertEqual(parseError("description: " + String(repeating: "x", count: 70_000) + "\n" + header + "SG\n"),
                       "big.txt:1:1: header line of 70013 bytes; header lines are at most 65536 bytes (is the 'map:' line missing?)")
        XCTAssertEqual(parseError("# " + String(repeating: "x", count: 70_000) + "\n" + header + "SG\n"), "no error")
    }

    /// Rows with non-ASCII characters are read Character by Character: columns count
    /// characters, and trailing Unicode blanks are ignored as in ASCII rows.
    func testNonASCIIRowsCountCharacters() throws {
        let env = try Gridworld(parsing: "actions: left down right up\ntime-limit: 5\ncell ☃: reward 2 terminal\nmap:\n"
                                + "S☃\u{3000}\r\nFF\n", file: "snow.txt")
        XCTAssertEqual(env.map.layout, ["S☃", "FF"])
        XCTAssertEqual(parseError(header + "Sé\nFG\n"), "big.txt:4:2: unknown cell 'é'; valid cells: S (start), F or . (floor), "
                       + "H (hole), G (goal), C (cliff), # (wall); declare others with 'cell X: reward r'")
        XCTAssertEqual(parseError("actions: left down right up\ntime-limit: 5\ncell ☃: reward 2 terminal\nmap:\nS☃\n☃☃☃\n"),
                       "big.txt:6:3: row has 3 cells but the first row has 2")
        XCTAssertEqual(parseError(header + "SG\nF\n"), "big.txt:5:2: row has 1 cell but the first row has 2")
    }
}
