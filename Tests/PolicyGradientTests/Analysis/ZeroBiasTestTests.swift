import Foundation
@testable import PolicyGradient
import XCTest

/// ``ZeroBiasTest``, ``DrawCoverage`` and ``UnseenDrawBound``: hand-computed pieces, the
/// reweighted process against brute-force enumeration, the three verdicts, and power.
final class ZeroBiasTestTests: XCTestCase {
    // MARK: - Hand-computed pieces

    /// Poisson(5): P(K = 0) = 0.0067 ≤ 0.01 < P(K ≤ 1) = 0.0404, so k_β = 1 and f = (5 − 1 − 2·1)/5.
    func testUnrepresentedFractionByHand() {
        XCTAssertEqual(UnseenDrawBound.unrepresentedFraction(expectedDraws: 5, critical: 2, tail: 0.01), 0.4, accuracy: 1e-12)
        XCTAssertEqual(UnseenDrawBound.unrepresentedFraction(expectedDraws: 0, critical: 2, tail: 0.01), 1)
        XCTAssertEqual(UnseenDrawBound.unrepresentedFraction(expectedDraws: 0.001, critical: 2, tail: 0.01), 1, accuracy: 1e-12)
        XCTAssertEqual(UnseenDrawBound.unrepresentedFraction(expectedDraws: 200, critical: 3.5, tail: 0.001), 0)
    }

    /// The limit is the smallest k with P(Binomial(n, α) > k) ≤ 0.001, summed here term by term.
    func testRejectionLimitIsTheBinomialQuantile() {
        for (n, alpha) in [(200, 0.01), (600, 0.01), (50, 0.05)] {
            let k = ZeroBiasCalibration.rejectionLimit(trials: n, significance: alpha)
            func tail(_ k: Int) -> Double {
                (k + 1...n).reduce(0.0) { sum, i in
                    let logC = lgamma(Double(n + 1)) - lgamma(Double(i + 1)) - lgamma(Double(n - i + 1))
                    return sum + exp(logC + Double(i) * log(alpha) + Double(n - i) * log(1 - alpha))
                }
            }
            XCTAssertLessThanOrEqual(tail(k), 0.001 * (1 + 1e-9), "n \(n)")
            XCTAssertGreaterThan(tail(k - 1), 0.001, "n \(n)")
        }
    }

    /// A Bernoulli bandit (0.2, 0.6) at π = (1/4, 3/4): n = π, J = 0.5, c₀ = π|Q|, c = π|Q − J|.
    func testDrawCoverageOfABanditByHand() {
        let env = Bandit.bernoulli([0.2, 0.6])
        var table = PolicyTable(stateCount: 1, actionCount: 2)
        table.update(fromTable: [0, log(3)])
        let c = DrawCoverage(model: env.model, table: table, horizon: 1, gamma: 1)
        XCTAssertEqual(c.drawsPerEpisode[0], 0.25, accuracy: 1e-12)
        XCTAssertEqual(c.drawsPerEpisode[1], 0.75, accuracy: 1e-12)
        XCTAssertEqual(c.valueRange.lowerBound, 0.5, accuracy: 1e-12)
        XCTAssertEqual(c.valueRange.upperBound, 0.5, accuracy: 1e-12)
        XCTAssertEqual(c.influenceWithoutBaseline[0], 0.05, accuracy: 1e-12)
        XCTAssertEqual(c.influenceWithoutBaseline[1], 0.45, accuracy: 1e-12)
        XCTAssertEqual(c.influenceWithBaseline[0], 0.075, accuracy: 1e-12)
        XCTAssertEqual(c.influenceWithBaseline[1], 0.075, accuracy: 1e-12)
    }

    // MARK: - The reweighted process against enumeration

    /// A 2-state, 2-action MDP with stochastic, terminating transitions.
    static let tiny = TabularModel(start: [0.7, 0.3], outcomes: [
        [[Outcome(probability: 0.6, next: 1, reward: 1, terminated: false), Outcome(probability: 0.4, next: 0, reward: 0, terminated: false)],
         [Outcome(probability: 1, next: 1, reward: -0.5, terminated: true)]],
        [[Outcome(probability: 0.5, next: 0, reward: 2, terminated: false), Outcome(probability: 0.5, next: 1, reward: 0, terminated: true)],
         [Outcome(probability: 1, next: 0, reward: 0.3, terminated: false)]],
    ])

    /// E[w Σ_t γᵗ (e_a − π)(G_t, 1)] / E[w] by enumerating every trajectory of `horizon` steps.
    static func enumerate(_ m: TabularModel, probabilities p: [Double], fractions f: [Double], horizon: Int,
                          gamma: Double) -> (mean: [Double], sensitivity: [Double]) {
        let A = m.actionCount
        var mean = [Double](repeating: 0, count: p.count), omega = mean, total = 0.0
        func walk(_ s: Int, _ t: Int, _ prob: Double, _ w: Double, _ path: [(Int, Int, Double)]) {
            if t == horizon { finish(prob, w, path); return }
            for a in 0..<A {
                let pa = p[s * A + a], wa = w * (1 - f[s * A + a])
                for o in m.outcomes(state: s, action: a) {
                    let step = (s * A + a, s, o.reward)
                    if o.terminated { finish(prob * pa * o.probability, wa, path + [step]) }
                    else { walk(o.next, t + 1, prob * pa * o.probability, wa, path + [step]) }
                }
            }
        }
        func finish(_ prob: Double, _ w: Double, _ path: [(Int, Int, Double)]) {
            total += prob * w
            for (t, (k, s, _)) in path.enumerated() {
                var g = 0.0
                for (i, step) in path[t...].enumerated() { g += pow(gamma, Double(i)) * step.2 }
                for j in 0..<A {
                    let score = (s * A + j == k ? 1.0 : 0) - p[s * A + j]
                    mean[s * A + j] += prob * w * pow(gamma, Double(t)) * score * g
                    omega[s * A + j] += prob * w * pow(gamma, Double(t)) * score
                }
            }
        }
        for s0 in 0..<m.stateCount where m.start[s0] > 0 { walk(s0, 0, m.start[s0], 1, []) }
        return (mean.map { $0 / total }, omega.map { $0 / total })
    }

    func testReweightingMatchesEnumeration() {
        var table = PolicyTable(stateCount: 2, actionCount: 2)
        table.update(fromTable: [0.4, -0.3, 1.1, 0.2])
        let p = table.probabilities
        for (f, gamma) in [([0.0, 0.5, 1.0, 0.2], 0.9), ([0.0, 0.0, 0.0, 0.0], 1.0), ([0.3, 0.3, 0.7, 0.0], 1.0)] {
            let r = UnseenDrawBound.Reweighting(model: Self.tiny, table: table, horizon: 3, gamma: gamma, fractions: f)
            let brute = Self.enumerate(Self.tiny, probabilities: p, fractions: f, horizon: 3, gamma: gamma)
            for k in 0..<4 {
                XCTAssertEqual(r.mean[k], brute.mean[k], accuracy: 1e-12, "f \(f), mean \(k)")
                XCTAssertEqual(r.sensitivity[k], brute.sensitivity[k], accuracy: 1e-12, "f \(f), sensitivity \(k)")
            }
            if f.allSatisfy({ $0 == 0 }) {
                let exact = ExactGradient.logitCotangent(table: table, model: Self.tiny, horizon: 3, gamma: gamma).cotangent
                for k in 0..<4 {
                    XCTAssertEqual(r.mean[k], exact[k], accuracy: 1e-12)
                    XCTAssertEqual(r.sensitivity[k], 0, accuracy: 1e-12)
                }
            }
        }
    }

    // MARK: - Verdicts

    func testDeterministicEstimatesAreExact() {
        let g = [0.3, -0.1, 0.2]
        let exact = ZeroBiasTest(estimates: Array([[Double]](repeating: g, count: 50).joined()), count: 50, exact: g,
                                 significance: 0.01)
        XCTAssertEqual(exact.verdict, .consistent, exact.reason)
        let off = ZeroBiasTest(estimates: Array([[Double]](repeating: [0.3, -0.1, 0.25], count: 50).joined()), count: 50,
                               exact: g, significance: 0.01)
        XCTAssertEqual(off.verdict, .biased, off.reason)
    }

    /// Where ∇J = 0 there is no gradient direction; the random ones still decide, and the
    /// comparison reports the bias in absolute terms.
    func testZeroGradientHasAbsoluteBiasAndAVerdict() throws {
        var rng = RandomStream(seed: 4)
        let x = (0..<(400 * 3)).map { _ in 0.1 * rng.nextGaussian() }
        let s = GradientStatistics(estimates: x, count: 400, dimension: 3, exactGradient: [0, 0, 0])
        let e = try XCTUnwrap(s.exact)
        XCTAssertFalse(e.relativeBias.isFinite)  // ‖bias‖ / 0
        XCTAssertEqual(e.biasNorm, GradientStatistics.norm(s.mean), accuracy: 1e-15)
        XCTAssertEqual(e.biasNoiseFloor, (s.variance / 400).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(e.zeroBias.verdict, .consistent, e.zeroBias.reason)
        XCTAssertFalse(e.zeroBias.directions.contains { $0.name == "grad J" })
        let shifted = GradientStatistics(estimates: x.enumerated().map { $0.offset % 3 == 1 ? $0.element + 0.05 : $0.element },
                                         count: 400, dimension: 3, exactGradient: [0, 0, 0])
        XCTAssertEqual(shifted.exact?.zeroBias.verdict, .biased)
    }

    /// Fewer than 30 estimates cannot support a verdict unless they have no spread.
    func testTooFewReplicatesAreInconclusive() {
        var rng = RandomStream(seed: 9)
        let test = ZeroBiasTest(estimates: (0..<20).map { _ in rng.nextGaussian() }, count: 10, exact: [0, 0],
                                significance: 0.01)
        XCTAssertEqual(test.verdict, .inconclusive)
        XCTAssertEqual(test.reason, "only 10 estimates (at least 30 are needed for a verdict)")
    }
}
