import Foundation
@testable import PolicyGradient
import XCTest

/// Finite-difference checks of REBAR's, RELAX's and Gumbel-Rao's hand-written gradients, on a
/// hand-made group of two episodes over three states (with revisits), every draw reproduced
/// from the step's own stream: each estimator's logit cotangents against differences of
/// f(σ_τ(θ + g)) and f(σ_τ(z̃(θ, g̃, b))) in the logits with the noise fixed, REBAR's η moments
/// against per-state sums, and RELAX's variance gradient against differences of ‖ĝ_i‖² in ψ.
final class ControlVariateGradientTests: XCTestCase {
    let toy = Toy(targets: [0.2, 0.3, 0.5])
    let tau = 0.7, gamma = 0.9, weight = 0.5

    /// Two episodes on 3 states × 3 actions, actions drawn by Gumbel-max from the records.
    func fixture(auxiliaryCount: Int) -> EpisodeGroupFixture {
        var rng = RandomStream(seed: 5)
        let logits = (0..<3).map { _ in CV.gaussians(3, using: &rng) }
        let episodes = [[0, 1, 0, 2, 0], [1, 1, 2]].map { states in
            states.map { s -> EpisodeGroupFixture.Step in
                let theta = logits[s].map { $0 - CV.logNormaliser(logits[s]) }
                let z = theta.map { $0 + rng.nextGumbel() }
                return .init(state: s, action: CV.argmax(z), reward: rng.nextGaussian(), record: z)
            }
        }
        return EpisodeGroupFixture(logits: logits, episodes: episodes, gamma: gamma, weight: weight, auxiliaryCount: auxiliaryCount)
    }

    /// One step's draws as the estimators make them.
    struct Draws {
        var theta: [Double], p: [Double], b: Int, z: [Double], conditionalNoise: [Double], zTilde: [Double]
    }

    func draws(_ fx: EpisodeGroupFixture, _ j: Int, _ t: Int) -> Draws {
        let step = fx.episodes[j][t], a = fx.actionCount
        let theta = Array(fx.logProbabilities[(step.state * a)..<((step.state + 1) * a)])
        var rng = fx.noise(episode: j, step: t)
        let noise = (0..<a).map { _ in rng.nextGumbel() }
        return Draws(theta: theta, p: theta.map { exp($0) }, b: step.action, z: step.record, conditionalNoise: noise,
                     zTilde: CV.conditional(theta, action: step.action, noise: noise))
    }

    func f(_ x: [Double]) -> Double { x.withUnsafeBufferPointer { toy.reward(relaxed: $0, state: 0) } }

    /// ∂/∂θ [c(σ_τ(θ + g)) − c(σ_τ(z̃(θ, g̃, b)))] by differences, the noise fixed.
    func pathwise(_ d: Draws, _ c: ([Double]) -> Double) -> [Double] {
        let g = zip(d.z, d.theta).map { $0 - $1 }
        return d.theta.indices.map { j in
            CV.derivative { h in
                let theta = CV.shifted(d.theta, j, by: h)
                return c(CV.relax(zip(theta, g).map { $0 + $1 }, tau: tau))
                    - c(CV.relax(CV.conditional(theta, action: d.b, noise: d.conditionalNoise), tau: tau))
            }
        }
    }

    /// Σ over steps of `row(j, t, draws, discount)` into per-state logit rows, and the per-episode
    /// per-state sums of `parts` (each a row per step).
    func perState(_ fx: EpisodeGroupFixture, _ row: (Int, Int, Draws, Double) -> [Double]) -> [Double] {
        var total = [Double](repeating: 0, count: fx.stateCount * fx.actionCount)
        for j in fx.episodes.indices {
            var discount = 1.0
            for t in fx.episodes[j].indices {
                let s = fx.episodes[j][t].state, r = row(j, t, draws(fx, j, t), discount)
                for k in 0..<fx.actionCount { total[s * fx.actionCount + k] += r[k] }
                discount *= gamma
            }
        }
        return total
    }

    /// Σ_i Σ_s ⟨P_i[s], Q_i[s]⟩ with P and Q summed per state within each episode.
    func episodeInnerProduct(_ fx: EpisodeGroupFixture, _ p: (Int, Int, Draws, Double) -> [Double],
                             _ q: (Int, Int, Draws, Double) -> [Double]) -> Double {
        var sum = 0.0
        for j in fx.episodes.indices {
            var ps: [Int: [Double]] = [:], qs: [Int: [Double]] = [:], discount = 1.0
            for t in fx.episodes[j].indices {
                let s = fx.episodes[j][t].state, d = draws(fx, j, t)
                ps[s] = zip(ps[s] ?? [Double](repeating: 0, count: fx.actionCount), p(j, t, d, discount)).map { $0 + $1 }
                qs[s] = zip(qs[s] ?? [Double](repeating: 0, count: fx.actionCount), q(j, t, d, discount)).map { $0 + $1 }
                discount *= gamma
            }
            for (s, x) in ps { sum += zip(x, qs[s]!).reduce(0) { $0 + $1.0 * $1.1 } }
        }
        return sum
    }

    func score(_ d: Draws) -> [Double] { d.p.indices.map { ($0 == d.b ? 1 : 0) - d.p[$0] } }

    /// REBAR's logit cotangents are w[(G − η f(x̃)) (e_b − π) + η ∂/∂θ(f(x) − f(x̃))], and its
    /// auxiliary sums are w Σ_i ⟨A_i, B_i⟩ and w Σ_i ‖B_i‖² of the per-state rows.
    func testRebarMatchesFiniteDifferences() {
        let fx = fixture(auxiliaryCount: 4), eta = 0.8
        var rebar = makeRebar(eta: eta, tau: tau, fx)
        rebar.prepare(iteration: 0, table: PolicyTable(stateCount: 3, actionCount: 3))
        fx.run(rebar)
        let a: (Int, Int, Draws, Double) -> [Double] = { j, t, d, w in self.score(d).map { w * self.fx_return(fx, j, t) * $0 } }
        let b: (Int, Int, Draws, Double) -> [Double] = { _, _, d, w in
            let fTilde = self.f(CV.relax(d.zTilde, tau: self.tau))
            return zip(self.pathwise(d, self.f), self.score(d)).map { w * ($0 - fTilde * $1) }
        }
        let expected = perState(fx) { j, t, d, w in zip(a(j, t, d, w), b(j, t, d, w)).map { self.weight * ($0 + eta * $1) } }
        XCTAssertLessThan(CV.relativeError(expected, fx.logitCotangents), 1e-7, "\(fx.logitCotangents) vs \(expected)")
        XCTAssertEqual(fx.auxiliary[0], weight * episodeInnerProduct(fx, a, b), accuracy: 1e-7 * abs(fx.auxiliary[0]))
        XCTAssertEqual(fx.auxiliary[1], weight * episodeInnerProduct(fx, b, b), accuracy: 1e-7 * abs(fx.auxiliary[1]))
        XCTAssertEqual(fx.auxiliary[2], weight * episodeInnerProduct(fx, a, a), accuracy: 1e-7 * abs(fx.auxiliary[2]))
    }

    /// RELAX's logit cotangents are w[(G − c(x̃)) (e_b − π) + ∂/∂θ(c(x) − c(x̃))] for a random c_ψ.
    func testRelaxMatchesFiniteDifferences() {
        let fx = fixture(auxiliaryCount: Relax.rhoOffset + randomSurrogate(.tanh).network.parameterCount)
        for activation in Activation.allCases {
            let relax = makeRelax(randomSurrogate(activation), fx)
            fx.run(relax)
            let expected = perState(fx) { j, t, d, w in
                let c = self.c(relax.surrogate, state: fx.episodes[j][t].state)
                let signal = self.fx_return(fx, j, t) - c(CV.relax(d.zTilde, tau: self.tau))
                return zip(self.pathwise(d, c), self.score(d)).map { self.weight * w * ($0 + signal * $1) }
            }
            XCTAssertLessThan(CV.relativeError(expected, fx.logitCotangents), 1e-7, "\(activation)")
        }
    }

    /// RELAX's variance gradient w Σ_i ∂‖ĝ_i‖²/∂ψ (mixed derivatives through the MLP, cross
    /// terms of revisited states included) against differences of w Σ_i ‖ĝ_i‖² in every weight.
    func testRelaxVarianceGradientMatchesFiniteDifferences() {
        for activation in Activation.allCases {
            let surrogate = randomSurrogate(activation), n = surrogate.network.parameterCount
            let fx = fixture(auxiliaryCount: Relax.rhoOffset + n)
            fx.run(makeRelax(surrogate, fx))
            let analytic = Array(fx.auxiliary[Relax.rhoOffset...])
            let numeric = (0..<n).map { i in
                CV.derivative(h: 1e-3) { h in
                    fx.run(self.makeRelax(Surrogate(network: surrogate.network, parameters: CV.shifted(surrogate.parameters, i, by: h),
                                                    learningRate: 0.01), fx))
                    return fx.auxiliary[0]
                }
            }
            XCTAssertLessThan(CV.relativeError(numeric, analytic), 1e-6, "\(activation): \(analytic) vs \(numeric)")
        }
    }

    /// Gumbel-Rao's logit cotangents are (w/M) Σ_m ∂/∂θ ⟨∇f(onehot b), σ_τ(θ + g_m)⟩ with each g_m
    /// fixed: g_0 the recorded noise, g_m = z̃_m − θ for the step's conditional draws.
    func testGumbelRaoMatchesFiniteDifferences() {
        let fx = fixture(auxiliaryCount: 1)
        for m in [1, 4] {
            var estimator = GumbelRaoEstimator(raoSamples: m, temperature: Schedule(initial: tau, minimum: nil, rate: 0),
                                               reward: RelaxedReward(context: context(), settings: SettingValues()))
            estimator.prepare(iteration: 0, table: PolicyTable(stateCount: 3, actionCount: 3))
            fx.run(estimator)
            let expected = perState(fx) { j, t, d, w in
                let hard = (0..<3).map { $0 == d.b ? 1.0 : 0.0 }
                var v = [Double](repeating: 0, count: 3)
                hard.withUnsafeBufferPointer { x in v.withUnsafeMutableBufferPointer { self.toy.rewardGradient(relaxed: x, state: 0, into: $0) } }
                var noises = [zip(d.z, d.theta).map { $0 - $1 }]
                var rng = fx.noise(episode: j, step: t)
                for _ in 1..<max(m, 1) { noises.append(zip(CV.conditional(d.theta, action: d.b, using: &rng), d.theta).map { $0 - $1 }) }
                return d.theta.indices.map { i in
                    noises.reduce(0) { sum, g in
                        sum + CV.derivative { h in
                            let y = CV.relax(zip(CV.shifted(d.theta, i, by: h), g).map { $0 + $1 }, tau: self.tau)
                            return zip(y, v).reduce(0) { $0 + $1.0 * $1.1 }
                        }
                    } * self.weight * w / Double(m)
                }
            }
            XCTAssertLessThan(CV.relativeError(expected, fx.logitCotangents), 1e-7, "M = \(m)")
        }
    }

    // MARK: Helpers

    func fx_return(_ fx: EpisodeGroupFixture, _ j: Int, _ t: Int) -> Double { fx.returns(j)[t] }

    func context() -> EstimatorContext {
        EstimatorContext(environment: toy, features: .oneHot(stateCount: 1), model: nil, seed: 1, gamma: gamma, episodesPerUpdate: 2)
    }

    func randomSurrogate(_ activation: Activation) -> Surrogate {
        var rng = RandomStream(seed: 13)
        let network = MLP(inputs: 3 + 3, hidden: [4], outputs: 1, activation: activation)
        return Surrogate(network: network, parameters: CV.gaussians(network.parameterCount, scale: 0.6, using: &rng), learningRate: 0.01)
    }

    /// Today's RELAX: c = c_ψ(s, σ_τ(z)), τ fixed, no η f term.
    func makeRelax(_ surrogate: Surrogate, _ fx: EpisodeGroupFixture) -> Relax {
        let scale = ControlVariateScale(temperature: Schedule(initial: tau, minimum: nil, rate: 0), adaptsTau: false, eta: 0,
                                        etaMode: .varianceGradient, learningRate: 0.01, momentDecay: 0.9)
        return Relax(scale: scale, reward: nil, surrogate: surrogate, input: .relaxed, stateCount: 3, horizon: fx.horizon)
    }

    /// REBAR at a fixed η and τ; with `adaptsTau`, it also sums the log τ variance gradient.
    func makeRebar(eta: Double, tau: Double, adaptsTau: Bool = false, _ fx: EpisodeGroupFixture) -> Rebar {
        let scale = ControlVariateScale(temperature: Schedule(initial: tau, minimum: nil, rate: 0), adaptsTau: adaptsTau, eta: eta,
                                        etaMode: .varianceGradient, learningRate: 0.01, momentDecay: 0.9)
        var rebar = Rebar(scale: scale, reward: RelaxedReward(context: context(), settings: SettingValues()), stateCount: 3, horizon: fx.horizon)
        rebar.prepare(iteration: 0, table: PolicyTable(stateCount: 3, actionCount: 3))
        return rebar
    }

    /// x ↦ c_ψ(s, x) with one-hot features of 3 states.
    func c(_ surrogate: Surrogate, state s: Int) -> ([Double]) -> Double {
        { x in
            var hidden = [Double](repeating: 0, count: surrogate.network.hiddenCount), grad = [Double](repeating: 0, count: x.count)
            return x.withUnsafeBufferPointer { xb in
                grad.withUnsafeMutableBufferPointer { g in
                    hidden.withUnsafeMutableBufferPointer { surrogate.evaluate(features: FeatureRow(hotIndex: s, count: 3), action: xb, gradient: g, hidden: $0) }
                }
            }
        }
    }
}
