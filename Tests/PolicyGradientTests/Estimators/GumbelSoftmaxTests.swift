import Foundation
@testable import PolicyGradient
import XCTest

/// Unit tests of ``GumbelSoftmax``: Gumbel-max sampling, the relaxation and its backward
/// pass, the Concrete density, and numerical safety at extreme temperatures.
final class GumbelSoftmaxTests: XCTestCase {
    // MARK: Array helpers

    func softmax(_ z: [Double]) -> [Double] {
        let m = z.max()!, e = z.map { exp($0 - m) }, s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    func relax(_ logits: [Double], noise: [Double], tau: Double) -> [Double] {
        var y = [Double](repeating: 0, count: logits.count)
        logits.withUnsafeBufferPointer { l in
            noise.withUnsafeBufferPointer { g in
                y.withUnsafeMutableBufferPointer { GumbelSoftmax.relax(logits: l, noise: g, temperature: tau, into: $0) }
            }
        }
        return y
    }

    func backward(_ y: [Double], _ v: [Double], tau: Double) -> [Double] {
        var out = [Double](repeating: 0, count: y.count)
        y.withUnsafeBufferPointer { yb in
            v.withUnsafeBufferPointer { vb in
                out.withUnsafeMutableBufferPointer { GumbelSoftmax.backward(relaxed: yb, cotangent: vb, temperature: tau, into: $0) }
            }
        }
        return out
    }

    func logDensity(_ y: [Double], logits: [Double], tau: Double) -> Double {
        y.withUnsafeBufferPointer { yb in
            logits.withUnsafeBufferPointer { GumbelSoftmax.logDensity(of: yb, logits: $0, temperature: tau) }
        }
    }

    // MARK: Hand-computed fixtures

    func testRelaxAndBackwardFixtures() {
        // logits (0, log 3): τ = 1 gives (1, 3)/4; τ = ½ gives (1, 9)/10.
        let logits = [0, log(3.0)], zero = [0.0, 0.0]
        XCTAssertEqual(relax(logits, noise: zero, tau: 1)[1], 0.75, accuracy: 1e-15)
        let y = relax(logits, noise: zero, tau: 0.5)
        XCTAssertEqual(y[0], 0.1, accuracy: 1e-15)
        XCTAssertEqual(y[1], 0.9, accuracy: 1e-15)
        // v = (1, 0): ⟨y, v⟩ = 0.1, so (1/τ) y ⊙ (v − 0.1) = 2 · (0.1·0.9, −0.9·0.1) = (0.18, −0.18).
        let g = backward(y, [1, 0], tau: 0.5)
        XCTAssertEqual(g[0], 0.18, accuracy: 1e-15)
        XCTAssertEqual(g[1], -0.18, accuracy: 1e-15)
        // Noise enters like a logit: noise (log 3, 0) on zero logits gives the mirror image.
        XCTAssertEqual(relax(zero, noise: [log(3.0), 0], tau: 0.5)[0], 0.9, accuracy: 1e-15)
        var z = [Double](repeating: 7, count: 3)
        z.withUnsafeMutableBufferPointer { GumbelSoftmax.oneHot(2, into: $0) }
        XCTAssertEqual(z, [0, 0, 1])
        XCTAssertEqual([0.1, 0.7, 0.7, 0.2].withUnsafeBufferPointer { GumbelSoftmax.argmax($0) }, 1)
    }

    func testSampleArgmaxPerturbsWithTheStreamsGumbelNoise() {
        let logits = [0.3, -1.2, 2.0, 0.0]
        var rng = RandomStream(seed: 99), copy = rng
        var pert = [Double](repeating: 0, count: 4)
        let k = logits.withUnsafeBufferPointer { l in
            pert.withUnsafeMutableBufferPointer { GumbelSoftmax.sampleArgmax(logits: l, perturbed: $0, using: &rng) }
        }
        let expected = logits.map { $0 + copy.nextGumbel() }
        XCTAssertEqual(pert, expected)
        XCTAssertEqual(k, expected.indices.max { expected[$0] < expected[$1] })
        XCTAssertEqual(rng.next(), copy.next(), "exactly one draw per entry")
    }

    // MARK: Gumbel-max is an exact sample of softmax(logits)

    func testArgmaxFrequenciesMatchSoftmax() {
        // χ² critical values at α = 10⁻⁴ for 1…4 degrees of freedom.
        let critical = [1: 15.137, 2: 18.421, 3: 21.108, 4: 23.513]
        let cases: [[Double]] = [[0, 0], [1, -1, 0.5], [2, 0, -1, 0.3, -3], [50, 48.5, 47], [-50, -49, -50.5, -48]]
        let n = 20_000
        for logits in cases {
            let p = softmax(logits)
            for seed: UInt64 in [1, 2, 3] {
                var rng = RandomStream(seed: seed)
                var counts = [Int](repeating: 0, count: logits.count)
                var pert = [Double](repeating: 0, count: logits.count)
                logits.withUnsafeBufferPointer { l in
                    pert.withUnsafeMutableBufferPointer { b in
                        for _ in 0..<n { counts[GumbelSoftmax.sampleArgmax(logits: l, perturbed: b, using: &rng)] += 1 }
                    }
                }
                var chi2 = 0.0
                for k in p.indices {
                    let freq = Double(counts[k]) / Double(n)
                    let se = (p[k] * (1 - p[k]) / Double(n)).squareRoot()
                    XCTAssertLessThan(abs(freq - p[k]), 4 * se, "logits \(logits), seed \(seed), class \(k)")
                    chi2 += pow(Double(counts[k]) - Double(n) * p[k], 2) / (Double(n) * p[k])
                }
                XCTAssertLessThan(chi2, critical[p.count - 1]!, "logits \(logits), seed \(seed): χ² = \(chi2)")
            }
        }
    }

    // MARK: The Concrete density

    /// The 2-class density by the logistic route: y₀ = σ(x), x = (Δ + L)/τ, Δ = l₀ − l₁,
    /// L ~ Logistic(0, 1): p(y₀) = τ ℓ(τx − Δ) / (y₀ y₁) with ℓ(u) = e^{−|u|}/(1 + e^{−|u|})².
    func logisticLogDensity(x: Double, logits: [Double], tau: Double) -> Double {
        let u = abs(tau * x - (logits[0] - logits[1]))
        let logY0 = -log1p(exp(-x)), logY1 = -log1p(exp(x))
        return log(tau) - u - 2 * log1p(exp(-u)) - logY0 - logY1
    }

    func sigmoidPair(_ x: Double) -> [Double] {
        x >= 0 ? [1 / (1 + exp(-x)), exp(-x) / (1 + exp(-x))] : [exp(x) / (1 + exp(x)), 1 / (1 + exp(x))]
    }

    func testTwoClassDensityMatchesTheLogisticClosedForm() {
        for (logits, tau) in [([0.0, 0.0], 1.0), ([0.7, -0.4], 0.1), ([0.7, -0.4], 0.5), ([-2.0, 1.5], 2.0),
                              ([3.0, 3.5], 5.0), ([10.0, -20.0], 0.3)] {
            for x in [-30.0, -5, -0.4, 0, 0.9, 4, 25] {
                let y = sigmoidPair(x)
                let direct = logDensity(y, logits: logits, tau: tau)
                let closed = logisticLogDensity(x: x, logits: logits, tau: tau)
                XCTAssertEqual(direct, closed, accuracy: 1e-10 * max(1, abs(closed)),
                               "logits \(logits), τ \(tau), y₀ = σ(\(x))")
            }
        }
    }

    /// ∫₀¹ p(y₀) dy₀ = ∫ p(σ(x)) σ(x) σ(−x) dx: the substitution y₀ = σ(x) removes the
    /// endpoint singularities (p ~ y₀^(τ−1) near 0 for τ < 1) and the trapezoid rule on ℝ
    /// converges geometrically for this smooth, exponentially decaying integrand.
    func testTwoClassDensityIntegratesToOne() {
        for (logits, tau) in [([0.0, 0.0], 1.0), ([0.7, -0.4], 0.1), ([0.7, -0.4], 0.5), ([-2.0, 1.5], 2.0),
                              ([3.0, 3.5], 5.0), ([1.0, 0.0], 0.05)] {
            // |x| ≤ 700 keeps σ(−|x|) > 0; the mass beyond it is below e^{−(700τ − |Δ|)}.
            let delta = abs(logits[0] - logits[1]), half = min((delta + 40) / tau, 700), steps = 20_000
            let h = 2 * half / Double(steps)
            var total = 0.0
            for i in 0...steps {
                let x = -half + Double(i) * h, y = sigmoidPair(x)
                total += exp(logDensity(y, logits: logits, tau: tau) + log(y[0]) + log(y[1])) * (i == 0 || i == steps ? 0.5 : 1)
            }
            XCTAssertEqual(total * h, 1, accuracy: 1e-9, "logits \(logits), τ \(tau)")
        }
    }

    /// Three classes: ∫ over the simplex in the coordinates xᵢ = log(yᵢ/y₂), where the
    /// Jacobian of (y₀, y₁) is y₀ y₁ y₂. Also checks invariance to a common shift of the logits.
    func testThreeClassDensityIntegratesToOne() {
        for (logits, tau) in [([0.5, -0.3, 0.1], 1.0), ([1.0, 0.0, -1.0], 0.6), ([0.2, 0.9, -0.5], 2.0)] {
            let half = 45 / tau, steps = 360, h = 2 * half / Double(steps)
            var total = 0.0
            for i in 0...steps {
                for j in 0...steps {
                    let y = softmax([-half + Double(i) * h, -half + Double(j) * h, 0])
                    guard y.allSatisfy({ $0 > 0 }) else { continue }
                    total += exp(logDensity(y, logits: logits, tau: tau) + log(y[0]) + log(y[1]) + log(y[2]))
                }
            }
            XCTAssertEqual(total * h * h, 1, accuracy: 1e-6, "logits \(logits), τ \(tau)")
            let y = [0.2, 0.5, 0.3]
            XCTAssertEqual(logDensity(y, logits: logits.map { $0 + 40 }, tau: tau), logDensity(y, logits: logits, tau: tau),
                           accuracy: 1e-12)
        }
    }

    // MARK: Numerical safety

    func testRelaxationStaysFiniteAtExtremeTemperatures() {
        for seed: UInt64 in [5, 6] {
            var stress = GumbelStress()
            stress.run(temperatures: [1e-3, 1e-2, 0.1, 1, 10, 100], drawsPerTemperature: 8_000, magnitude: 50, seed: seed)
            XCTAssertEqual(stress.draws, 48_000)
            XCTAssertEqual(stress.nonFinite, 0, "seed \(seed)")
            XCTAssertEqual(stress.offSimplex, 0, "seed \(seed): largest |Σy − 1| = \(stress.worstSum)")
        }
        // The extremes themselves: a vertex at τ = 10⁻³, near the centre at τ = 100.
        XCTAssertEqual(relax([50, -50], noise: [0, 0], tau: 1e-3), [1, 0])
        let flat = relax([50, -50], noise: [0, 0], tau: 100)
        XCTAssertEqual(flat[0], 1 / (1 + exp(-1.0)), accuracy: 1e-15)
        XCTAssertTrue(logDensity([0.5, 0.5], logits: [50, -50], tau: 1e-3).isFinite)
        XCTAssertTrue(logDensity([1e-300, 1 - 1e-300], logits: [50, -50], tau: 100).isFinite)
    }

    func testNonPositiveTemperatureIsAnInputErrorForTheTrainer() {
        for tau in [0.0, -1, .nan] {
            var v = SettingValues()
            v.set(Temperature.initialSetting, .number(tau))
            XCTAssertThrowsError(try EstimatorSpec("gumbel", settings: v).makeSession(
                environment: Toy(), policy: TabularPolicy(stateCount: 1, actionCount: 2), configuration: TrainingConfiguration()),
                                 "τ = \(tau)") { XCTAssertEqual(($0 as? InputError)?.field, "tau", "\($0)") }
            XCTAssertThrowsError(try Temperature.initialSetting.parse(String(tau)), "τ = \(tau)")
        }
    }
}
