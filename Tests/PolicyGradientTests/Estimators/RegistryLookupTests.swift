@testable import PolicyGradient
import XCTest

/// `EstimatorRegistry.descriptor(named:)` finds what ``EstimatorRegistry/all`` lists, in its
/// order, without building that list: the registered estimators first, then the built-ins they
/// do not hide (by name; a hidden built-in's aliases go with it).
final class RegistryLookupTests: XCTestCase {
    /// Every name and alias resolves to the descriptor `all` gives first for it.
    func testEveryNameAndAliasResolvesAsAllListsIt() throws {
        let all = EstimatorRegistry.all
        let keys = all.flatMap { [$0.name] + $0.aliases }
        XCTAssertTrue(keys.contains("rloo") && keys.contains("reinforce"), "the built-in aliases are listed")
        for key in keys {
            let expected = try XCTUnwrap(all.first { $0.name == key || $0.aliases.contains(key) })
            let found = try EstimatorRegistry.descriptor(named: key)
            XCTAssertEqual(found.name, expected.name, key)
            XCTAssertEqual(found.summary, expected.summary, key)
        }
        XCTAssertThrowsError(try EstimatorRegistry.descriptor(named: "no-such-estimator")) { error in
            XCTAssertTrue("\(error)".contains("unknown estimator 'no-such-estimator'; valid: "), "\(error)")
        }
    }

    /// A registered estimator named like a built-in hides it, aliases included, until it is
    /// removed.
    func testARegisteredEstimatorHidesTheBuiltInOfItsName() throws {
        let mine = EstimatorDescriptor(name: "vimco", summary: "a user's own vimco", isBaseline: true,
                                       claim: .unbiased) { _, _ in Reinforce(baseline: NoBaseline()) }
        EstimatorRegistry.register(mine)
        defer { EstimatorRegistry.unregister(name: "vimco") }
        XCTAssertEqual(try EstimatorRegistry.descriptor(named: "vimco").summary, "a user's own vimco")
        XCTAssertNil(EstimatorRegistry.all.first { $0.aliases.contains("rloo") })
        XCTAssertThrowsError(try EstimatorRegistry.descriptor(named: "rloo"), "a hidden built-in's alias goes with it")
        EstimatorRegistry.unregister(name: "vimco")
        XCTAssertEqual(try EstimatorRegistry.descriptor(named: "rloo").name, "vimco")
        XCTAssertNotEqual(try EstimatorRegistry.descriptor(named: "vimco").summary, "a user's own vimco")
    }
}
