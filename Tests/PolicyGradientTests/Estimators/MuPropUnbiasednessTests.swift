import Foundation
@testable import PolicyGradient
import XCTest

/// `muprop` and `exact` are consistent with zero bias by the Bonferroni z-test (α = 0.001 over the
/// d coordinates) on the binary toys t = 0.45 and t = 0.499, a 3-action toy, bandit10 (critic) and
/// FrozenLake 4x4 (critic), at the uniform policy and after 40 updates of training; and MuProp
/// without its correction term is caught as biased by the same test.
final class MuPropUnbiasednessTests: XCTestCase {
    /// Both estimators at both policies of problem `index` of ``TaylorTestSupport/problems()``.
    func assertUnbiased(problem index: Int, replicates: Int, episodes: Int = 8, line: UInt = #line) throws {
        let (name, env) = try TaylorTestSupport.problems()[index]
        for (where_, policy) in [("initial", TaylorTestSupport.initial(env) as any Policy),
                                 ("trained", try TaylorTestSupport.trained(env))] {
            for estimator in ["muprop", "exact"] {
                // exact has zero variance: a few replicates show it (and its bit-for-bit test covers the rest).
                let s = try TaylorTestSupport.measure(estimator, on: env, at: policy, episodes: episodes,
                                                      replicates: estimator == "exact" ? 10 : replicates)
                let label = "\(estimator) on \(name), \(where_) policy: \(TaylorTestSupport.describe(s))"
                print(label)
                XCTAssertEqual(s.exact?.isConsistentWithZeroBias, true, label, line: line)
                if estimator == "exact" { XCTAssertEqual(s.variance, 0, label, line: line) }
            }
        }
    }

    func testBinaryToy045() throws { try assertUnbiased(problem: 0, replicates: 2000) }

    func testBinaryToy0499() throws { try assertUnbiased(problem: 1, replicates: 2000) }

    func testThreeActionToy() throws { try assertUnbiased(problem: 2, replicates: 2000) }

    func testBandit10WithCritic() throws { try assertUnbiased(problem: 3, replicates: 1000) }

    func testFrozenLake4x4WithCritic() throws { try assertUnbiased(problem: 4, replicates: 300) }

    /// Dropping the correction (the Taylor baseline at x̄ = π, nothing added back) fails the same
    /// z-test on the toys and on bandit10, at both policies. On the toys at the uniform policy π is
    /// the centre, where the residual is the same for every action, so the uncorrected mean is
    /// exactly 0 and the bias is −∇J: resolved by R = 1000 estimates except on t = 0.499, whose
    /// ‖∇J‖ = 0.0007 is 90 times smaller than one estimate's spread (there only the zero mean is
    /// checked).
    func testMuPropWithoutItsCorrectionIsDetectedAsBiased() throws {
        var detected = 0
        for (name, env) in try TaylorTestSupport.problems().prefix(4) {
            for (where_, policy) in [("initial", TaylorTestSupport.initial(env) as any Policy),
                                     ("trained", try TaylorTestSupport.trained(env))] {
                var session = try TaylorTestSupport.uncorrectedMuProp(on: env, at: policy)
                if session.needsWarmUp { try session.warmUp(batches: 10) }
                let s = try TaylorTestSupport.statistics(&session, replicates: 1000)
                let label = "muprop without correction on \(name), \(where_) policy: \(TaylorTestSupport.describe(s))"
                print(label)
                let e = try XCTUnwrap(s.exact)
                if !(name == "toy t=0.499" && where_ == "initial") {
                    XCTAssertFalse(e.isConsistentWithZeroBias, label)
                    detected += 1
                }
                if env is Toy, where_ == "initial" {
                    XCTAssertLessThan(s.meanNorm, 4 * (s.variance / Double(s.count)).squareRoot(), label)
                }
            }
        }
        XCTAssertEqual(detected, 7, "every case but the uniform policy of t = 0.499 resolves the bias")
    }
}
