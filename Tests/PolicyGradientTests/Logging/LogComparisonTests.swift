@testable import PolicyGradient
import XCTest

/// Comparing a log with its rerun: timing fields ignored everywhere, chosen config fields
/// ignored in the config line only, and the first difference named by line and field path.
final class LogComparisonTests: XCTestCase {
    func lines(_ texts: [String]) throws -> [JSONLReader.Line] {
        try JSONLReader.parseLines(Array(texts.joined(separator: "\n").utf8))
    }

    let original = [#"{"type":"config","threads":2,"seed":1,"estimators":[{"label":"ema","settings":{"decay":0.9}}]}"#,
                    #"{"type":"iteration","iteration":0,"mean_return":0.5,"elapsed":0.01}"#,
                    #"{"type":"summary","status":"completed","elapsed":0.02,"seconds":3}"#]

    func testTimingFieldsAndIgnoredConfigFieldsDoNotCount() throws {
        var rerun = original
        rerun[0] = rerun[0].replacingOccurrences(of: #""threads":2"#, with: #""threads":8"#)
        rerun[1] = rerun[1].replacingOccurrences(of: "0.01", with: "7.5")
        rerun[2] = rerun[2].replacingOccurrences(of: #""seconds":3"#, with: #""seconds":4"#)
        XCTAssertNil(try LogComparison.firstDifference(try lines(original), try lines(rerun), ignoringInConfig: ["threads"]))
        XCTAssertEqual(try LogComparison.firstDifference(try lines(original), try lines(rerun)),
                       LogComparison.Difference(line: 1, field: "threads", original: "2", rerun: "8"))
        XCTAssertEqual(try LogComparison.firstDifference(try lines(original), try lines(rerun), ignoring: []),
                       LogComparison.Difference(line: 1, field: "threads", original: "2", rerun: "8"))
    }

    func testTheFirstDifferenceIsNamedByLineAndPath() throws {
        var rerun = original
        rerun[0] = rerun[0].replacingOccurrences(of: "0.9", with: "0.99")
        rerun[1] = rerun[1].replacingOccurrences(of: "0.5", with: "0.50000000000000011")
        let d = try LogComparison.firstDifference(try lines(original), try lines(rerun))
        XCTAssertEqual(d, LogComparison.Difference(line: 1, field: "estimators[0].settings.decay", original: "0.9", rerun: "0.99"))
        XCTAssertEqual(d?.description, #"line 1, "estimators[0].settings.decay": 0.9 in the original, 0.99 in the rerun"#)
        rerun[0] = original[0]
        XCTAssertEqual(try LogComparison.firstDifference(try lines(original), try lines(rerun)),
                       LogComparison.Difference(line: 2, field: "mean_return", original: "0.5", rerun: "0.5000000000000001"),
                       "one ulp is a difference")
    }

    func testMissingFieldsAndLines() throws {
        var rerun = original
        rerun[1] = #"{"type":"iteration","iteration":0,"elapsed":0.01}"#
        XCTAssertEqual(try LogComparison.firstDifference(try lines(original), try lines(rerun)),
                       LogComparison.Difference(line: 2, field: "mean_return", original: "0.5", rerun: nil))
        let shorter = try lines(Array(original.prefix(2)))
        let d = try LogComparison.firstDifference(try lines(original), shorter)
        XCTAssertEqual(d?.line, 3)
        XCTAssertEqual(d?.field, "")
        XCTAssertNil(d?.rerun)
        XCTAssertEqual(try LogComparison.firstDifference(shorter, try lines(original))?.original, nil)
    }

    /// A newer pg's rerun of an older pg's log may add fields: ignored only when asked, and named.
    func testFieldsOnlyTheRerunHasAreAdditions() throws {
        var rerun = original
        rerun[0] = rerun[0].replacingOccurrences(of: #""seed":1"#, with: #""seed":1,"reference":"none""#)
        rerun[1] = rerun[1].replacingOccurrences(of: #""mean_return":0.5"#, with: #""mean_return":0.5,"area":[0.25]"#)
        XCTAssertEqual(try LogComparison.firstDifference(try lines(original), try lines(rerun)),
                       LogComparison.Difference(line: 1, field: "reference", original: nil, rerun: #""none""#))
        XCTAssertNil(try LogComparison.firstDifference(try lines(original), try lines(rerun), ignoringAdditions: true))
        XCTAssertEqual(LogComparison.addedFields(try lines(original), try lines(rerun)), ["reference", "area"])
        rerun[1] = rerun[1].replacingOccurrences(of: #""mean_return":0.5"#, with: #""mean_return":0.75"#)
        XCTAssertEqual(try LogComparison.firstDifference(try lines(original), try lines(rerun), ignoringAdditions: true),
                       LogComparison.Difference(line: 2, field: "mean_return", original: "0.5", rerun: "0.75"),
                       "a changed number is still a difference")
        rerun = original
        rerun.insert(#"{"type":"paired","variant":"ema"}"#, at: 2)
        XCTAssertEqual(try LogComparison.firstDifference(try lines(original), try lines(rerun))?.field, "type")
        XCTAssertNil(try LogComparison.firstDifference(try lines(original), try lines(rerun), ignoringAdditions: true),
                     "a line of a type the original has none of is an addition")
        XCTAssertEqual(LogComparison.addedLineTypes(try lines(original), try lines(rerun)), ["paired"])
        rerun.insert(#"{"type":"iteration","iteration":1,"mean_return":0.5}"#, at: 2)
        XCTAssertNotNil(try LogComparison.firstDifference(try lines(original), try lines(rerun), ignoringAdditions: true),
                        "an extra line of a known type is a difference")
        rerun = original
        rerun[1] = #"{"type":"iteration","iteration":0,"elapsed":0.01}"#
        XCTAssertEqual(try LogComparison.firstDifference(try lines(original), try lines(rerun), ignoringAdditions: true)?.field,
                       "mean_return", "a field the rerun lacks is a difference")
    }
}
