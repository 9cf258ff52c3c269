import Foundation
@testable import PolicyGradient
import XCTest

/// `muprop`, `darn`, `st` and `exact` give the same numbers for any thread count (their
/// accumulation reads a frozen estimator and writes only per-chunk storage), and the same seed
/// gives the same training run.
final class TaylorDeterminismTests: XCTestCase {
    func run(_ name: String, threads: Int) throws -> [[Double]] {
        let env = try TaylorTestSupport.frozenLake()
        var session = try makeSession(name, environment: env, policy: TaylorTestSupport.initial(env), episodes: 64, seed: 5) { c in
            c.threads = threads
        }
        var out: [[Double]] = []
        for _ in 0..<3 {
            let r = try session.step()
            out.append([r.meanReturn, r.gradientNorm] + (0..<r.estimatorValues.count).map { r.estimatorValues[$0] })
        }
        out.append(try session.estimate(replicate: 2, normalised: false))
        return out
    }

    func testOneThreadEqualsTwoAndFour() throws {
        for name in ["muprop", "darn", "st", "exact"] {
            let one = try run(name, threads: 1)
            XCTAssertEqual(one.map { $0.map(\.bitPattern) }, try run(name, threads: 2).map { $0.map(\.bitPattern) }, name)
            XCTAssertEqual(one.map { $0.map(\.bitPattern) }, try run(name, threads: 4).map { $0.map(\.bitPattern) }, name)
            XCTAssertTrue(one.dropLast().allSatisfy { $0.allSatisfy(\.isFinite) }, "\(name): \(one)")
        }
    }
}
