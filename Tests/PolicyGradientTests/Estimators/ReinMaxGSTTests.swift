import Foundation
@testable import PolicyGradient
import XCTest

/// ReinMax and gapped straight-through: their backward passes by hand and by finite
/// differences, their exact means on the toy (by enumeration of the action), and the estimator
/// loop on a hand-made step.
final class ReinMaxGSTTests: XCTestCase {
    // MARK: Helpers

    /// ReinMax's logit cotangent for action a at logits l, temperature τ, cotangent v.
    private static func reinMax(logits l: [Double], action a: Int, tau: Double, v: [Double]) -> [Double] {
        var tempered = CV.relax(l, tau: tau), row = [Double](repeating: 0, count: l.count)
        CV.softmax(l).withUnsafeBufferPointer { p in v.withUnsafeBufferPointer { vv in
            tempered.withUnsafeMutableBufferPointer { t in
                row.withUnsafeMutableBufferPointer {
                    ReinMax.addBackward(action: a, probabilities: p, tempered: t, cotangent: vv, scale: 1, into: $0)
                }
            }
        } }
        return row
    }

    /// GST's θ̃.
    private static func gapped(_ theta: [Double], action a: Int, gap: Double) -> [Double] {
        var out = theta
        theta.withUnsafeBufferPointer { t in
            out.withUnsafeMutableBufferPointer { GappedStraightThrough.perturbedLogits(t, action: a, gap: gap, into: $0) }
        }
        return out
    }

    /// GST's logit cotangent: (1/τ) y ⊙ (v − ⟨y, v⟩), y = softmax(θ̃/τ).
    private static func gst(logits l: [Double], action a: Int, tau: Double, gap: Double, v: [Double]) -> [Double] {
        let y = CV.relax(gapped(l, action: a, gap: gap), tau: tau)
        let dot = zip(y, v).reduce(0) { $0 + $1.0 * $1.1 }
        return (0..<l.count).map { y[$0] * (v[$0] - dot) / tau }
    }

    /// The toy's reward and its gradient at the one-hot e_a: f = −Σ w_k (x_k − t_k)².
    private static func toyGradient(_ toy: Toy, action a: Int) -> [Double] {
        toy.targets.indices.map { k in -2 * toy.weights[k] * ((k == a ? 1 : 0) - toy.targets[k]) }
    }

    /// E_a∼π[c(a)] − ∇J on the toy, relative to |∇J|.
    private static func relativeBias(_ toy: Toy, logits l: [Double], _ c: (Int, [Double]) -> [Double]) -> Double {
        let p = CV.softmax(l), f = (0..<l.count).map { toy.oneHotReward($0) }
        let mean = zip(p, f).reduce(0) { $0 + $1.0 * $1.1 }
        let exact = (0..<l.count).map { p[$0] * (f[$0] - mean) }
        var expectation = [Double](repeating: 0, count: l.count)
        for a in 0..<l.count {
            let ca = c(a, toyGradient(toy, action: a))
            for k in 0..<l.count { expectation[k] += p[a] * ca[k] }
        }
        let diff = zip(expectation, exact).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        return diff / exact.map { $0 * $0 }.reduce(0, +).squareRoot()
    }

    // MARK: ReinMax

    /// π = (0.25, 0.75), τ = 1, a = 0, v = (1, −1): π₁ = (0.625, 0.375),
    /// 2 π₁ ⊙ (v − 0.25) = (0.9375, −0.9375), −½ π ⊙ (v + 0.5) = (−0.1875, 0.1875): (0.75, −0.75).
    func testReinMaxHandComputed() {
        let c = Self.reinMax(logits: [log(0.25), log(0.75)], action: 0, tau: 1, v: [1, -1])
        XCTAssertEqual(c[0], 0.75, accuracy: 1e-14)
        XCTAssertEqual(c[1], -0.75, accuracy: 1e-14)
    }

    /// The backward pass is the vector–Jacobian product of θ ↦ 2 softmax(θ + c) − ½ softmax(θ)
    /// with c = log π₁ − θ held fixed (Algorithm 2 of the paper), by central differences.
    func testReinMaxByFiniteDifferences() {
        let l = [0.3, -0.8, 1.1, 0.0], v = [0.5, -1.2, 2.0, 0.7], tau = 1.7
        for a in 0..<4 {
            let c = Self.reinMax(logits: l, action: a, tau: tau, v: v)
            let pi1 = zip(CV.relax(l, tau: tau), 0..<4).map { 0.5 * ($0 + ($1 == a ? 1 : 0)) }
            let shift = zip(pi1, l).map { log($0) - $1 }
            func pi2(_ x: [Double]) -> [Double] {
                zip(CV.softmax(zip(x, shift).map(+)), CV.softmax(x)).map { 2 * $0 - 0.5 * $1 }
            }
            for k in 0..<4 {
                var up = l, down = l
                up[k] += 1e-6
                down[k] -= 1e-6
                let d = zip(pi2(up), pi2(down)).map { ($0 - $1) / 2e-6 }
                XCTAssertEqual(c[k], zip(d, v).reduce(0) { $0 + $1.0 * $1.1 }, accuracy: 1e-8, "a \(a), k \(k)")
            }
        }
    }

    /// Its mean over the action: exact on the quadratic toy at τ = 1 (the trapezoidal rule is
    /// exact for a quadratic), off at τ = 2 — which is why `reinmax` claims a bias.
    func testReinMaxMeanOnTheToy() {
        let l = [0.4, -0.7, 1.0, 0.1]
        for toy in [Toy(binaryTarget: 0.45), Toy(binaryTarget: 0.499), Toy(targets: [0.1, 0.6, 0.3, 0.8])] {
            let logits = Array(l.prefix(toy.actionCount))
            XCTAssertLessThan(Self.relativeBias(toy, logits: logits) { a, v in Self.reinMax(logits: logits, action: a, tau: 1, v: v) },
                              1e-12)
            XCTAssertGreaterThan(Self.relativeBias(toy, logits: logits) { a, v in Self.reinMax(logits: logits, action: a, tau: 2, v: v) },
                                 0.01)
        }
    }

    // MARK: GST

    func testGappedLogitsHandComputed() {
        XCTAssertEqual(Self.gapped([0.1, -0.5, 2.0], action: 1, gap: 1), [0.1, 2.0, 1.0])
        XCTAssertEqual(Self.gapped([0.1, -0.5, 2.0], action: 2, gap: 1), [0.1, -0.5, 2.0])
        XCTAssertEqual(Self.gapped([0.1, -0.5, 2.0], action: 0, gap: 3), [2.0, -1.0, -1.0])
    }

    /// The backward pass is the vector–Jacobian product of θ ↦ softmax((θ + m)/τ) with the
    /// perturbation m = θ̃ − θ held fixed, by central differences.
    func testGSTByFiniteDifferences() {
        let l = [0.3, -0.8, 1.1, 0.0], v = [0.5, -1.2, 2.0, 0.7], tau = 0.6
        for a in 0..<4 {
            let c = Self.gst(logits: l, action: a, tau: tau, gap: 1, v: v)
            let m = zip(Self.gapped(l, action: a, gap: 1), l).map(-)
            for k in 0..<4 {
                var up = l, down = l
                up[k] += 1e-6
                down[k] -= 1e-6
                let d = zip(CV.relax(zip(up, m).map(+), tau: tau), CV.relax(zip(down, m).map(+), tau: tau)).map { ($0 - $1) / 2e-6 }
                XCTAssertEqual(c[k], zip(d, v).reduce(0) { $0 + $1.0 * $1.1 }, accuracy: 1e-8, "a \(a), k \(k)")
            }
        }
    }

    /// Its exact mean on the categorical toy is off the exact gradient (biased, as claimed).
    func testGSTMeanOnTheToyIsBiased() {
        let l = [0.4, -0.7, 1.0, 0.1], toy = Toy(targets: [0.1, 0.6, 0.3, 0.8])
        XCTAssertGreaterThan(Self.relativeBias(toy, logits: l) { a, v in Self.gst(logits: l, action: a, tau: 1, gap: 1, v: v) }, 0.1)
    }

    // MARK: The estimator loop

    /// One hand-made step on the categorical toy: each estimator adds w γᵗ times its backward
    /// pass with v = ∇f at the one-hot action, and w γᵗ f to the surrogate.
    func testEstimatorsAddTheirBackwardPassPerStep() throws {
        let toy = Toy(targets: [0.1, 0.6, 0.3, 0.8]), l = [0.4, -0.7, 1.0, 0.1]
        var c = TrainingConfiguration()
        c.episodes = 4
        let context = try EstimatorContext(environment: toy, configuration: c)
        let fixture = EpisodeGroupFixture(logits: [l], episodes: [[EpisodeGroupFixture.Step(state: 0, action: 2,
                                                                                            reward: toy.oneHotReward(2), record: [])]],
                                          gamma: 1, weight: 0.25, auxiliaryCount: 1)
        var values = SettingValues()
        values.set(Temperature.initialSetting, .number(1.5))
        let v = Self.toyGradient(toy, action: 2)
        fixture.run(ReinMax(temperature: try Temperature.schedule(values), reward: RelaxedReward(context: context, settings: values)))
        for (x, y) in zip(fixture.logitCotangents, Self.reinMax(logits: l, action: 2, tau: 1.5, v: v)) {
            XCTAssertEqual(x, 0.25 * y, accuracy: 1e-14)
        }
        XCTAssertEqual(fixture.auxiliary[0], 0.25 * toy.oneHotReward(2), accuracy: 1e-15)
        fixture.run(GappedStraightThrough(temperature: try Temperature.schedule(values), gap: 0.5,
                                          reward: RelaxedReward(context: context, settings: values)))
        for (x, y) in zip(fixture.logitCotangents, Self.gst(logits: l, action: 2, tau: 1.5, gap: 0.5, v: v)) {
            XCTAssertEqual(x, 0.25 * y, accuracy: 1e-14)
        }
    }
}
