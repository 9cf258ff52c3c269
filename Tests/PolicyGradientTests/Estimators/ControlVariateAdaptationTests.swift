import Foundation
@testable import PolicyGradient
import XCTest

/// Finite-difference checks of what REBAR and RELAX add as published (``ControlVariateScale``):
/// the variance gradients in η and log τ (the exact one, the toy having a Hessian, and the
/// central difference used for critics), RELAX's surrogate r_ρ(z) on the logits (its logit
/// cotangents through z = log π + g and the conditional draw, and its variance gradient in ρ),
/// on the hand-made group of ``ControlVariateGradientTests``.
extension ControlVariateGradientTests {
    /// ∂/∂log τ and ∂/∂η of REBAR's w Σ_i ‖ĝ_i‖² against differences of it (τ and η moved, the noise fixed).
    func testRebarVarianceGradientsMatchFiniteDifferences() {
        let fx = fixture(auxiliaryCount: 4), eta = 0.8
        var difference = makeRebar(eta: eta, tau: tau, adaptsTau: true, fx)
        difference.forcesTemperatureDifference = true
        fx.run(difference)
        let differenceTau = fx.auxiliary[3]
        let exact = makeRebar(eta: eta, tau: tau, adaptsTau: true, fx)
        XCTAssertTrue(exact.exactTemperatureDerivative, "the toy has a Hessian")
        fx.run(exact)
        let analyticTau = fx.auxiliary[3]
        let analyticEta = ControlVariateScale.etaGradient(cross: fx.auxiliary[0], square: fx.auxiliary[1], eta: eta)
        let numericTau = CV.derivative(h: 1e-3) { h in
            fx.run(self.makeRebar(eta: eta, tau: self.tau * exp(h), fx))
            return Rebar.squaredNorm(auxiliary: fx.auxiliary, eta: eta)
        }
        let numericEta = CV.derivative(h: 1e-3) { h in
            fx.run(self.makeRebar(eta: eta + h, tau: self.tau, fx))
            return Rebar.squaredNorm(auxiliary: fx.auxiliary, eta: eta + h)
        }
        XCTAssertEqual(analyticTau, numericTau, accuracy: 1e-5 * abs(numericTau), "log τ, exact")
        XCTAssertEqual(differenceTau, numericTau, accuracy: 1e-5 * abs(numericTau), "log τ, central difference")
        XCTAssertEqual(analyticEta, numericEta, accuracy: 1e-6 * abs(numericEta), "η")
        XCTAssertGreaterThan(abs(numericTau), 1e-3, "the fixture must make τ matter")
    }

    /// RELAX with c(z) = η f(σ_τ(z)) + r_ρ(s, z): its logit cotangents are
    /// w[(G − c(z̃)) (e_b − π) + ∂/∂θ(c(z) − c(z̃))], differentiated through z = log softmax θ + g
    /// and z̃(log softmax θ, g̃, b) with the noise fixed (r_ρ is not shift-invariant).
    func testPublishedRelaxMatchesFiniteDifferences() {
        let eta = 0.7
        for activation in Activation.allCases {
            let surrogate = randomSurrogate(activation)
            let fx = fixture(auxiliaryCount: Relax.rhoOffset + surrogate.network.parameterCount)
            fx.run(makePublishedRelax(surrogate, eta: eta, tau: tau, fx))
            let expected = perState(fx) { j, t, d, w in
                let r = self.c(surrogate, state: fx.episodes[j][t].state)
                let c: ([Double]) -> Double = { z in eta * self.f(CV.relax(z, tau: self.tau)) + r(z) }
                let signal = self.fx_return(fx, j, t) - c(d.zTilde)
                return zip(self.logitPathwise(d, c), self.score(d)).map { self.weight * w * ($0 + signal * $1) }
            }
            XCTAssertLessThan(CV.relativeError(expected, fx.logitCotangents), 1e-7, "\(activation)")
        }
    }

    /// Published RELAX's variance gradients: in ρ (every weight), η and log τ, against differences
    /// of w Σ_i ‖ĝ_i‖².
    func testPublishedRelaxVarianceGradientsMatchFiniteDifferences() {
        let eta = 0.7
        for activation in Activation.allCases {
            let surrogate = randomSurrogate(activation), n = surrogate.network.parameterCount
            let fx = fixture(auxiliaryCount: Relax.rhoOffset + n)
            var difference = makePublishedRelax(surrogate, eta: eta, tau: tau, adaptsTau: true, fx)
            difference.forcesTemperatureDifference = true
            fx.run(difference)
            let differenceTau = fx.auxiliary[3]
            let exact = makePublishedRelax(surrogate, eta: eta, tau: tau, adaptsTau: true, fx)
            XCTAssertTrue(exact.exactTemperatureDerivative, "the toy has a Hessian")
            fx.run(exact)
            let analytic = Array(fx.auxiliary[Relax.rhoOffset...]), analyticEta = 2 * fx.auxiliary[1], analyticTau = fx.auxiliary[3]
            let numeric = (0..<n).map { i in
                CV.derivative(h: 1e-3) { h in
                    let moved = Surrogate(network: surrogate.network, parameters: CV.shifted(surrogate.parameters, i, by: h), learningRate: 0.01)
                    fx.run(self.makePublishedRelax(moved, eta: eta, tau: self.tau, fx))
                    return fx.auxiliary[0]
                }
            }
            let numericEta = CV.derivative(h: 1e-3) { h in
                fx.run(self.makePublishedRelax(surrogate, eta: eta + h, tau: self.tau, fx))
                return fx.auxiliary[0]
            }
            let numericTau = CV.derivative(h: 1e-3) { h in
                fx.run(self.makePublishedRelax(surrogate, eta: eta, tau: self.tau * exp(h), fx))
                return fx.auxiliary[0]
            }
            XCTAssertLessThan(CV.relativeError(numeric, analytic), 1e-6, "\(activation): \(analytic) vs \(numeric)")
            XCTAssertEqual(analyticEta, numericEta, accuracy: 1e-6 * abs(numericEta), "\(activation): η")
            XCTAssertEqual(analyticTau, numericTau, accuracy: 1e-5 * abs(numericTau), "\(activation): log τ, exact")
            XCTAssertEqual(differenceTau, numericTau, accuracy: 1e-5 * abs(numericTau), "\(activation): log τ, central difference")
        }
    }

    // MARK: Helpers

    /// ∂/∂θ [c(log softmax θ + g) − c(z̃(log softmax θ, g̃, b))] by differences, the noise fixed.
    func logitPathwise(_ d: Draws, _ c: ([Double]) -> Double) -> [Double] {
        let g = zip(d.z, d.theta).map { $0 - $1 }
        return d.theta.indices.map { j in
            CV.derivative { h in
                let moved = CV.shifted(d.theta, j, by: h), norm = CV.logNormaliser(moved)
                let logp = moved.map { $0 - norm }
                return c(zip(logp, g).map { $0 + $1 }) - c(CV.conditional(logp, action: d.b, noise: d.conditionalNoise))
            }
        }
    }

    /// RELAX as published: r_ρ on the logits, f the toy's reward, η fixed (its gradient is still summed).
    func makePublishedRelax(_ surrogate: Surrogate, eta: Double, tau: Double, adaptsTau: Bool = false,
                            _ fx: EpisodeGroupFixture) -> Relax {
        let scale = ControlVariateScale(temperature: Schedule(initial: tau, minimum: nil, rate: 0), adaptsTau: adaptsTau, eta: eta,
                                        etaMode: .varianceGradient, learningRate: 0.01, momentDecay: 0.9)
        return Relax(scale: scale, reward: RelaxedReward(context: context(), settings: SettingValues()), surrogate: surrogate,
                     input: .logits, stateCount: 3, horizon: fx.horizon)
    }
}
