import PolicyGradient
import XCTest

/// pg's one number grammar (RFC 8259's `number`), for flags and JSON files alike.
final class NumberSyntaxTests: XCTestCase {
    func testTheGrammarIsRFC8259s() {
        for good in ["0", "-0", "1", "-1", "10", "0.5", "-0.5", "1e3", "1E3", "1e+3", "1e-3", "1.25e-10", "123456789012345678901234567890"] {
            XCTAssertTrue(NumberSyntax.isNumber(Array(good.utf8)), good)
        }
        for bad in ["", " 1", "1 ", "\t1", "01", "-01", "00", "+1", "1.", ".5", "-.5", "1.e3", "1e", "1e+", "--1", "0x10", "nan", "inf",
                    "1_000", "1,0", "١", "1 000", "- 1", "1.2.3", "e3"] {
            XCTAssertFalse(NumberSyntax.isNumber(Array(bad.utf8)), bad)
            XCTAssertNil(NumberSyntax.double(bad), bad)
        }
        XCTAssertEqual(NumberSyntax.int("-0"), 0)
        XCTAssertNil(NumberSyntax.int("1e3"), "integers have no exponent")
        XCTAssertNil(NumberSyntax.int("9223372036854775808"), "beyond Int")
        XCTAssertNil(NumberSyntax.uint64("-1"))
        XCTAssertEqual(NumberSyntax.uint64("18446744073709551615"), .max)
        XCTAssertNil(NumberSyntax.double("1e400"), "not finite")
        XCTAssertEqual(NumberSyntax.double("-0")?.sign, .minus)
    }

    /// The same grammar where numbers enter: settings, JSON, and the reasons given.
    func testSettingsAndJSONShareIt() throws {
        let batch = TrainingConfiguration.batchSetting
        for bad in [" 1", "1 ", "01", "+1", "1.0", "0x10"] { XCTAssertThrowsError(try batch.parse(bad), bad) }
        XCTAssertEqual(try batch.parse("32"), .integer(32))
        XCTAssertThrowsError(try TrainingConfiguration.learningRateSetting.parse("0.1 ")) { error in
            XCTAssertEqual("\(error)", "lr: expected a finite number, got '0.1 ' (a number has no spaces)")
        }
        for bad in [#"{"batch":032}"#, #"{"lr":+0.1}"#, #"{"lr":.1}"#, #"{"lr":1.}"#, #"[1.e3]"#, #"[-01]"#] {
            XCTAssertThrowsError(try JSONParser.parse(bad), bad)
        }
        XCTAssertThrowsError(try JSONParser.parse(#"{"batch":032}"#)) { error in
            XCTAssertEqual((error as? InputError)?.message, "invalid number '032' (a number has no leading zeros)")
            XCTAssertEqual((error as? InputError)?.column, 10)
        }
        XCTAssertEqual(try JSONParser.parse("[0,-0,1e3,-2.5E-3]"), .array([.int(0), .int(0), .double(1000), .double(-0.0025)]))
    }
}
