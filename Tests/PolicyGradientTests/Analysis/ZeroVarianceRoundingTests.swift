@testable import PolicyGradient
import XCTest

/// The zero-bias test of an estimator with zero variance: equal to ∇J up to rounding is
/// consistent (DisARM at π = (½, ½) printed "NO (z=inf)" before), off by more is not.
final class ZeroVarianceRoundingTests: XCTestCase {
    func testRoundingIsNotABias() throws {
        let exact = [-0.035355339059327376, 0.035355339059327376]
        let estimate = exact.map { $0 * (1 + 3e-16) }
        let s = GradientStatistics(estimates: Array([[Double]](repeating: estimate, count: 50).joined()), count: 50, dimension: 2,
                                   exactGradient: exact, significance: 0.01)
        let c = try XCTUnwrap(s.exact)
        XCTAssertEqual(c.maxAbsZ, 0)
        XCTAssertTrue(c.isConsistentWithZeroBias)
        let off = exact.map { $0 * (1 + 1e-9) }
        let t = GradientStatistics(estimates: Array([[Double]](repeating: off, count: 50).joined()), count: 50, dimension: 2,
                                   exactGradient: exact, significance: 0.01)
        XCTAssertEqual(try XCTUnwrap(t.exact).maxAbsZ, .infinity)
        XCTAssertFalse(try XCTUnwrap(t.exact).isConsistentWithZeroBias)
    }

    /// Through `pg variance`'s path: DisARM at the uniform policy of the binary toy has zero
    /// variance and passes the zero-bias test.
    func testDisARMAtTheUniformPolicyIsConsistent() throws {
        var c = TrainingConfiguration()
        c.episodes = 2
        c.threads = 1
        var session = try DisARM.descriptor.makeSession(environment: Toy(binaryTarget: 0.45),
                                                        policy: TabularPolicy(stateCount: 1, actionCount: 2), configuration: c)
        let exact = try XCTUnwrap(session.exactGradient())
        var estimates: [Double] = []
        for r in 0..<40 { estimates += try session.estimate(replicate: r, normalised: false) }
        let s = GradientStatistics(estimates: estimates, count: 40, dimension: 2, exactGradient: exact, significance: 0.01)
        XCTAssertEqual(s.coordinateVariances, [0, 0])
        let comparison = try XCTUnwrap(s.exact)
        XCTAssertTrue(comparison.isConsistentWithZeroBias, "max |z| \(comparison.maxAbsZ)")
    }
}
