import Foundation
import PolicyGradient
import XCTest

/// Hand-computed fixtures for the baselines (DESIGN.md §4), the optimisers and the schedules.
final class BaselineTests: XCTestCase {
    // MARK: MovingAverageBaseline

    func testExponentialAverageByHand() {
        var b = MovingAverageBaseline(kind: .exponential, decay: 0.9)
        XCTAssertEqual(b.value, 0)
        b.update(sum: 5, count: 0)  // an empty batch changes nothing
        XCTAssertEqual(b.value, 0)
        XCTAssertEqual(b.count, 0)
        b.update(sum: 4, count: 2)  // first batch: its mean, 2
        XCTAssertEqual(b.value, 2, accuracy: 1e-15)
        b.update(sum: 12, count: 3)  // 0.9 · 2 + 0.1 · 4 = 2.2
        XCTAssertEqual(b.value, 2.2, accuracy: 1e-15)
        b.update(sum: -1, count: 1)  // 0.9 · 2.2 + 0.1 · (−1) = 1.88
        XCTAssertEqual(b.value, 1.88, accuracy: 1e-15)
        XCTAssertEqual(b.count, 6)
        var zero = MovingAverageBaseline(kind: .exponential, decay: 0)
        zero.update(sum: 3, count: 1)
        zero.update(sum: 7, count: 1)
        XCTAssertEqual(zero.value, 7, "decay 0 keeps only the last batch")
    }

    func testRunningMeanByHand() {
        var b = MovingAverageBaseline(kind: .mean)
        b.update(sum: 4, count: 2)  // 4 / 2
        XCTAssertEqual(b.value, 2, accuracy: 1e-15)
        b.update(sum: 12, count: 3)  // 16 / 5
        XCTAssertEqual(b.value, 3.2, accuracy: 1e-15)
        b.update(sum: 0, count: 0)
        XCTAssertEqual(b.value, 3.2, accuracy: 1e-15)
        b.update(sum: -6, count: 3)  // 10 / 8
        XCTAssertEqual(b.value, 1.25, accuracy: 1e-15)
        XCTAssertEqual(b.count, 8)
        // Sutton & Barto's R̄ over many rewards one at a time: the plain mean.
        var r = RandomStream(seed: 1)
        var m = MovingAverageBaseline(kind: .mean)
        var sum = 0.0
        for _ in 0..<1000 {
            let x = r.nextGaussian(mean: 4, standardDeviation: 1)
            sum += x
            m.update(sum: x, count: 1)
        }
        XCTAssertEqual(m.value, sum / 1000, accuracy: 1e-12)
    }

    // MARK: NVIL

    /// Two states, one-hot features, decay ½, ψ step ½.
    ///
    /// Batch 1: G = 1, 3 in s0 and 3 in s1; b̄ = 0, ψ = 0. Residuals r = G: Σr = 7, Σr² = 19, n = 3,
    /// σ̂² = 19/3 − (7/3)² = 8/9; ψ += ½ (4, 3)/3 = (2/3, 1/2); b̄ = 7/3.
    /// Batch 2: G = 2 in s0 and 5 in s1; shifts b̄ + c = (3, 17/6), r = (−1, 13/6), mean 7/12, batch
    /// variance 361/144; σ̂² = ½ · 8/9 + ½ · 361/144 = 489/288; ψ = (2/3 − 1/4, 1/2 + 13/24) = (5/12, 25/24);
    /// b̄ = ½ · 7/3 + ½ · 7/2 = 35/12.
    func testNVILUpdateByHand() {
        let x: [Double] = [1, 0, 0, 1]
        var b = NVILBaseline(featureCount: 2, decay: 0.5, learningRate: 0.5)
        XCTAssertEqual(b.weights, [0, 0])
        XCTAssertEqual(b.variance, 0)
        XCTAssertEqual(b.scale, 1)
        b.update(visits: [2, 1], returnSum: [4, 3], returnSquareSum: [10, 9], features: x)
        XCTAssertEqual(b.variance, 8.0 / 9, accuracy: 1e-14)
        XCTAssertEqual(b.weights[0], 2.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(b.weights[1], 0.5, accuracy: 1e-15)
        XCTAssertEqual(b.center.value, 7.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(b.scale, 1, "σ̂ < 1: no normalisation")
        b.update(visits: [1, 1], returnSum: [2, 5], returnSquareSum: [4, 25], features: x)
        XCTAssertEqual(b.variance, 489.0 / 288, accuracy: 1e-14)
        XCTAssertEqual(b.weights[0], 5.0 / 12, accuracy: 1e-15)
        XCTAssertEqual(b.weights[1], 25.0 / 24, accuracy: 1e-15)
        XCTAssertEqual(b.center.value, 35.0 / 12, accuracy: 1e-14)
        XCTAssertEqual(b.scale, (288.0 / 489).squareRoot(), accuracy: 1e-15)
        let c = b.stateValues(features: x, stateCount: 2)
        XCTAssertEqual(c[0], 5.0 / 12, accuracy: 1e-15)
        XCTAssertEqual(c[1], 25.0 / 24, accuracy: 1e-15)
        // An empty batch changes nothing.
        let before = b
        b.update(visits: [0, 0], returnSum: [0, 0], returnSquareSum: [0, 0], features: x)
        XCTAssertEqual(b, before)
    }

    /// With dense features c_ψ(s) = ψ · x(s), and ψ descends the mean squared residual.
    func testNVILDenseFeaturesDescendTheSquaredResidual() {
        let x: [Double] = [1, 2, -1, 0.5]  // x(s0) = (1, 2), x(s1) = (−1, 0.5)
        var b = NVILBaseline(featureCount: 2, decay: 0.9, learningRate: 0.1)
        // Batch 1 sets b̄ = 1 (ψ stays at its gradient step from zero residual centre).
        b.update(visits: [1, 1], returnSum: [1, 1], returnSquareSum: [1, 1], features: x)
        // ψ₁ = 0.1 · (1·(1, 2) + 1·(−1, 0.5)) / 2 = (0, 0.125).
        XCTAssertEqual(b.weights[0], 0, accuracy: 1e-15)
        XCTAssertEqual(b.weights[1], 0.125, accuracy: 1e-15)
        XCTAssertEqual(b.center.value, 1, accuracy: 1e-15)
        XCTAssertEqual(b.variance, 0, accuracy: 1e-15)
        let c = b.stateValues(features: x, stateCount: 2)
        XCTAssertEqual(c[0], 0.25, accuracy: 1e-15)
        XCTAssertEqual(c[1], 0.0625, accuracy: 1e-15)
        // Repeating the same data drives the residual G − b̄ − c(s) towards 0 in every state.
        for _ in 0..<3000 {
            b.update(visits: [2, 2], returnSum: [6, -2], returnSquareSum: [18, 2], features: x)
        }
        let fit = b.stateValues(features: x, stateCount: 2)
        XCTAssertEqual(b.center.value + fit[0], 3, accuracy: 1e-6)
        XCTAssertEqual(b.center.value + fit[1], -1, accuracy: 1e-6)
        XCTAssertEqual(b.variance, 0, accuracy: 1e-6)
    }

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
