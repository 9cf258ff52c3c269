import Foundation
@testable import PolicyGradient
import XCTest

/// Hand-computed fixtures for the optimisers and the schedules.
final class OptimizerTests: XCTestCase {
    // MARK: Optimisers

    func testSGDByHand() {
        var o = Optimizer(kind: .sgd, parameterCount: 2)
        var p: [Double] = [1, 2]
        o.step(&p, gradient: [0.5, -1], learningRate: 0.1)
        XCTAssertEqual(p[0], 1.05, accuracy: 1e-15)
        XCTAssertEqual(p[1], 1.9, accuracy: 1e-15)
        o.step(&p, gradient: [0, 2], learningRate: 0.5)
        XCTAssertEqual(p[0], 1.05, accuracy: 1e-15)
        XCTAssertEqual(p[1], 2.9, accuracy: 1e-15)
    }

    /// Step 1: m̂ = g, v̂ = g², so Δ = α g / (|g| + ε) ≈ ±α.
    /// Step 2 with g₂ = (−0.5, 0): m = (0.045 − 0.05, −0.09) = (−0.005, −0.09),
    /// v = (0.999 · 0.00025 + 0.001 · 0.25, 0.999 · 0.001) = (0.00049975, 0.000999),
    /// bias corrections 1 − 0.9² = 0.19 and 1 − 0.999² = 0.001999, so v̂₀ = 0.25 exactly.
    func testAdamByHand() {
        var o = Optimizer(kind: .adam, parameterCount: 2)
        var p: [Double] = [1, 2]
        o.step(&p, gradient: [0.5, -1], learningRate: 0.1)
        XCTAssertEqual(p[0], 1 + 0.1 * 0.5 / (0.5 + 1e-8), accuracy: 1e-15)
        XCTAssertEqual(p[1], 2 - 0.1 * 1 / (1 + 1e-8), accuracy: 1e-15)
        let after1 = p
        o.step(&p, gradient: [-0.5, 0], learningRate: 0.1)
        let d0 = 0.1 * (-0.005 / 0.19) / ((0.000_499_75 / 0.001_999).squareRoot() + 1e-8)
        let d1 = 0.1 * (-0.09 / 0.19) / ((0.000_999 / 0.001_999).squareRoot() + 1e-8)
        XCTAssertEqual(p[0] - after1[0], d0, accuracy: 1e-14)
        XCTAssertEqual(p[0] - after1[0], -0.1 * (0.005 / 0.19) / 0.5, accuracy: 1e-9)
        XCTAssertEqual(p[1] - after1[1], d1, accuracy: 1e-14)
        // Ascent: a positive gradient raises the parameter.
        var up = Optimizer(kind: .adam, parameterCount: 1)
        var q = [0.0]
        up.step(&q, gradient: [3], learningRate: 0.01)
        XCTAssertGreaterThan(q[0], 0)
    }

    /// The vectorised Adam step (four lanes, then a scalar tail) gives the bits of the
    /// element-by-element formula, at lengths with and without a tail.
    func testAdamMatchesTheScalarFormulaBitForBit() {
        var rng = RandomStream(seed: 3)
        for n in [1, 4, 7, 13] {
            var o = Optimizer(kind: .adam, parameterCount: n)
            var p = (0..<n).map { _ in rng.nextGaussian() }, q = p
            var m = [Double](repeating: 0, count: n), v = m
            for t in 1...5 {
                let g = (0..<n).map { i in i == 2 ? 0 : 3 * rng.nextGaussian() }
                o.step(&p, gradient: g, learningRate: 0.01)
                let c1 = 1 - pow(0.9, Double(t)), c2 = 1 - pow(0.999, Double(t))
                for i in 0..<n {
                    m[i] = 0.9 * m[i] + (1 - 0.9) * g[i]
                    v[i] = 0.999 * v[i] + (1 - 0.999) * g[i] * g[i]
                    q[i] += 0.01 * (m[i] / c1) / ((v[i] / c2).squareRoot() + 1e-8)
                }
                XCTAssertEqual(p.map(\.bitPattern), q.map(\.bitPattern), "length \(n), step \(t)")
            }
        }
    }

    /// Adam with the bias corrections folded into the step size (the critic's) computes the
    /// same update as the textbook form up to rounding: over 200 steps of noisy gradients the
    /// two parameter paths stay within 1e-12 relative of each other, and every step matches the
    /// folded scalar formula bit for bit.
    func testFoldedAdamAgreesWithTheTextbookForm() {
        var rng = RandomStream(seed: 5)
        for n in [3, 8, 417] {
            var textbook = Optimizer(kind: .adam, parameterCount: n), folded = textbook
            folded.foldsBiasCorrection = true
            var p = (0..<n).map { _ in rng.nextGaussian() }, q = p, r = p
            var m = [Double](repeating: 0, count: n), v = m
            for t in 1...200 {
                let g = (0..<n).map { i in (i % 2 == 0 ? 1 : 0.01) * (rng.nextGaussian() + 0.3) }
                textbook.step(&p, gradient: g, learningRate: 0.01)
                folded.step(&q, gradient: g, learningRate: 0.01)
                let c1 = 1 - pow(0.9, Double(t)), c2 = 1 - pow(0.999, Double(t))
                let lr = 0.01 * c2.squareRoot() / c1, eps = 1e-8 * c2.squareRoot()
                for i in 0..<n {
                    m[i] = 0.9 * m[i] + (1 - 0.9) * g[i]
                    v[i] = 0.999 * v[i] + (1 - 0.999) * g[i] * g[i]
                    r[i] += lr * m[i] / (v[i].squareRoot() + eps)
                }
                XCTAssertEqual(q.map(\.bitPattern), r.map(\.bitPattern), "length \(n), step \(t)")
                for i in 0..<n where abs(p[i] - q[i]) > 1e-12 * max(1, abs(p[i])) {
                    XCTFail("length \(n), step \(t), parameter \(i): textbook \(p[i]), folded \(q[i])")
                    return
                }
            }
        }
    }

    func testOptimizerStatesAreIndependentCopies() {
        var a = Optimizer(kind: .adam, parameterCount: 1)
        var p = [0.0]
        a.step(&p, gradient: [1], learningRate: 0.1)
        var b = a  // value semantics: b continues from a's moments
        var pa = p, pb = p
        a.step(&pa, gradient: [1], learningRate: 0.1)
        b.step(&pb, gradient: [1], learningRate: 0.1)
        XCTAssertEqual(pa, pb)
        XCTAssertEqual(a, b)
    }

    // MARK: Schedule

    func testScheduleByHand() {
        let constant = Schedule(initial: 0.3)
        XCTAssertEqual(constant.value(at: 0), 0.3)
        XCTAssertEqual(constant.value(at: 1000), 0.3)
        let halving = Schedule(initial: 1, minimum: 0.1, rate: log(2))
        XCTAssertEqual(halving.value(at: 0), 1, accuracy: 1e-15)
        XCTAssertEqual(halving.value(at: 1), 0.5, accuracy: 1e-15)
        XCTAssertEqual(halving.value(at: 3), 0.125, accuracy: 1e-15)
        XCTAssertEqual(halving.value(at: 4), 0.1, "floored at the minimum")
        XCTAssertEqual(halving.value(at: 100), 0.1)
        let tau = Schedule(initial: 2, minimum: 0.5, rate: 0.01)
        XCTAssertEqual(tau.value(at: 50), 2 * exp(-0.5), accuracy: 1e-15)
        XCTAssertEqual(tau.value(at: 10_000), 0.5)
    }
}
