import Foundation
@testable import PolicyGradient
import XCTest

/// The `gumbel` and `st-gumbel` estimators of the trainer on `toy` at fixed policies: their mean
/// is what the mathematics says (1-D quadrature on the binary toy), so they are biased for ∇J;
/// a lower τ lowers the Gumbel-softmax bias and raises its variance; REINFORCE stays unbiased.
/// Estimates use one episode each (batch 1), R of them per setting.
final class GumbelEstimatorTests: XCTestCase {
    let binary = Toy(binaryTarget: 0.45)
    let threeClass = Toy(targets: [0.2, 0.3, 0.5])

    func tabular(_ theta: [Double]) -> TabularPolicy {
        var p = TabularPolicy(stateCount: 1, actionCount: theta.count)
        p.parameters = theta
        return p
    }

    func moments(_ env: Toy, _ theta: [Double], _ estimator: String, tau: Double = 1, samples: Int = 1,
                 replicates: Int) throws -> GradientMoments {
        var settings: [String: SettingValue] = [:]
        if estimator.contains("gumbel") { settings["tau"] = .number(tau) }
        if samples > 1 { settings["samples"] = .integer(samples) }
        var s = try makeSession(estimator, environment: env, policy: tabular(theta), settings: settings, episodes: samples)
        return GradientMoments(session: &s, replicates: replicates)
    }

    /// Binary toy: the Monte Carlo mean of the trainer's estimate on logit 1 matches the
    /// quadrature within 4 SE, and (at τ = 1) the quadrature mean is far from ∂J/∂logit₁.
    func testBinaryToyMeanMatchesQuadrature() throws {
        for theta in [[0.0, 0.0], [0.0, -1.0]] {
            for tau in [0.3, 1.0] {
                for est in ["gumbel", "st-gumbel"] {
                    let m = try moments(binary, theta, est, tau: tau, replicates: 20_000)
                    let q = BinaryToyQuadrature.meanLogitGradient(delta: theta[1] - theta[0], target: 0.45, tau: tau,
                                                                  straightThrough: est == "st-gumbel")
                    let se = (m.variance[1] / Double(m.replicates)).squareRoot()
                    let label = "\(est), θ \(theta), τ \(tau): MC \(m.mean[1]) ± \(se), quadrature \(q)"
                    XCTAssertLessThan(abs(m.mean[1] - q), 4 * se, label)
                    XCTAssertEqual(m.mean[0], -m.mean[1], accuracy: 1e-12, label)
                    if tau == 1 { XCTAssertGreaterThan(abs(q - m.exact[1]), 5 * se, label) }
                }
            }
        }
    }

    /// At τ = 1 both estimators are biased by more than 5 SE, on the binary and the 3-class toy.
    func testBiasIsSignificantAtTemperatureOne() throws {
        for (env, theta) in [(binary, [0.0, 0.0]), (binary, [0.0, -1.0]), (threeClass, [0.0, 0.0, 0.0]),
                             (threeClass, [0.4, -0.2, 0.1])] {
            for est in ["gumbel", "st-gumbel"] {
                let m = try moments(env, theta, est, tau: 1, replicates: 50_000)
                XCTAssertGreaterThan(m.largestZ, 5, "\(est), targets \(env.targets), θ \(theta): "
                                     + "bias \(m.bias), relative \(m.biasNorm / m.exactNorm)")
            }
        }
    }

    /// `gumbel` at τ = 0.1 vs τ = 1: smaller ‖bias‖ (by more than 4 noise floors) and a larger
    /// trace of the covariance (by more than 5 standard errors).
    func testLowerTemperatureLowersBiasAndRaisesVariance() throws {
        for (env, theta) in [(binary, [0.0, 0.0]), (binary, [0.0, -1.0]), (threeClass, [0.4, -0.2, 0.1])] {
            let hot = try moments(env, theta, "gumbel", tau: 1, replicates: 50_000)
            let cold = try moments(env, theta, "gumbel", tau: 0.1, replicates: 50_000)
            let label = "targets \(env.targets), θ \(theta): ‖bias‖ \(cold.biasNorm) ± \(cold.noiseFloor) at τ 0.1, "
                + "\(hot.biasNorm) ± \(hot.noiseFloor) at τ 1; tr Σ \(cold.trace) vs \(hot.trace)"
            XCTAssertGreaterThan(hot.biasNorm - cold.biasNorm, 4 * (hot.noiseFloor + cold.noiseFloor), label)
            let se = (hot.traceError * hot.traceError + cold.traceError * cold.traceError).squareRoot()
            XCTAssertGreaterThan(cold.trace - hot.trace, 5 * se, label)
        }
    }

    /// REINFORCE (`none`, and `vimco` with K = 2) is within 4 SE of ∇J on the same problems.
    func testReinforceIsUnbiasedOnToy() throws {
        for (env, theta) in [(binary, [0.0, 0.0]), (binary, [0.0, -1.0]), (threeClass, [0.4, -0.2, 0.1])] {
            for (baseline, k) in [("none", 1), ("vimco", 2)] {
                let m = try moments(env, theta, baseline, samples: k, replicates: 20_000)
                XCTAssertLessThan(m.largestZ, 4, "\(baseline), targets \(env.targets), θ \(theta): bias \(m.bias)")
            }
        }
    }
}
