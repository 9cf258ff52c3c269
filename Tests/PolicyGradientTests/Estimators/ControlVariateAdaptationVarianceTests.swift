import Foundation
@testable import PolicyGradient
import XCTest

/// The published adaptation measured: on the binary toy at t = 0.499 (RELAX's Figure 1), one
/// episode per estimate, the temperature that REBAR's variance gradient reaches has a lower
/// variance than the one it started from (trace of the covariance of R estimates ± its
/// standard error, ``GradientMoments``).
final class ControlVariateAdaptationVarianceTests: XCTestCase {
    let env = Toy(binaryTarget: 0.499)
    let initial = TabularPolicy(stateCount: 1, actionCount: 2)

    /// At the uniform policy with η = 1 held, REBAR's variance falls as τ rises (tr Σ ≈ 0.18 at
    /// τ = 0.1, 0.06 at 0.3, 0.037 at 1 by `pg variance`), so log τ, started at 0.1 and adapted
    /// for 300 one-episode batches (the policy held), must rise, and the variance at the τ it
    /// reached is below the variance at τ = 0.1 by more than 5 combined standard errors.
    func testAdaptedTauMovesToLowerVariance() throws {
        let start = 0.1
        var session = try makeSession("rebar", environment: env, policy: initial,
                                       settings: ["tau": .number(start), "eta": .number(1), "cv_lr": .number(0.02)], seed: 3)
        try session.warmUp(batches: 300)
        let reached = try XCTUnwrap(session.estimator.base as? Rebar).tau
        print("adapted tau: \(start) -> \(reached)")
        XCTAssertGreaterThan(reached, 1.5 * start)
        func moments(tau: Double) throws -> GradientMoments {
            var s = try makeSession("rebar", environment: env, policy: initial,
                                    settings: ["tau": .number(tau), "eta": .number(1), "tau_mode": .text("schedule")], seed: 5)
            return GradientMoments(session: &s, replicates: 4000)
        }
        let before = try moments(tau: start), after = try moments(tau: reached)
        let se = (before.traceError * before.traceError + after.traceError * after.traceError).squareRoot()
        XCTAssertGreaterThan(before.trace - after.trace, 5 * se, "tr Σ at τ \(start): \(before.trace) ± \(before.traceError); "
                             + "at τ \(reached): \(after.trace) ± \(after.traceError)")
    }
}
