import Foundation
@testable import PolicyGradient
import XCTest

/// The conditional Gumbel construction z̃ ~ p(z | argmax z = b): its argmax, its distribution
/// (against rejection sampling, and mixed over b ~ π against the unconditional Gumbel), and its
/// hand-written Jacobian against finite differences with the noise fixed.
final class ConditionalGumbelTests: XCTestCase {
    let eulerGamma = 0.577_215_664_901_532_9
    let gumbelVariance = Double.pi * Double.pi / 6

    /// argmax z̃ = b for every draw, also with logits 40 apart; z̃_b = log Z + g_b exactly.
    func testArgmaxIsTheGivenAction() {
        var rng = RandomStream(seed: 3)
        for logits in [[0.0, 0.0], [0.4, -0.3, 0.1], [20.0, -20.0, 0.0], CV.gaussians(6, scale: 3, using: &rng)] {
            let logZ = CV.logNormaliser(logits)
            for b in logits.indices {
                for _ in 0..<2000 {
                    let noise = logits.map { _ in rng.nextGumbel() }
                    let z = CV.conditional(logits, action: b, noise: noise)
                    XCTAssertEqual(CV.argmax(z), b, "logits \(logits), b \(b), z̃ \(z)")
                    XCTAssertEqual(z[b], logZ + noise[b])
                    XCTAssertTrue(z.allSatisfy(\.isFinite))
                }
            }
        }
    }

    /// Drawing from a stream is the construction applied to the stream's Gumbel draws, in index order.
    func testDrawUsesTheStreamsGumbelNoise() {
        let logits = [0.4, -0.3, 0.1, 1.2]
        var a = RandomStream(seed: 9), b = a
        for action in logits.indices {
            let drawn = CV.conditional(logits, action: action, using: &a)
            let noise = logits.map { _ in b.nextGumbel() }
            XCTAssertEqual(drawn, CV.conditional(logits, action: action, noise: noise))
        }
    }

    /// Per action b of a 3-class distribution: the mean and variance of every coordinate of z̃ | b
    /// match rejection sampling (z = θ + g kept when argmax z = b) within 4.5 standard errors.
    func testConditionalMatchesRejectionSampling() {
        let logits = [0.4, -0.3, 0.1], n = 20_000
        var rng = RandomStream(seed: 17)
        for b in logits.indices {
            var built: [[Double]] = [], rejected: [[Double]] = []
            while built.count < n { built.append(CV.conditional(logits, action: b, using: &rng)) }
            while rejected.count < n {
                let z = logits.map { $0 + rng.nextGumbel() }
                if CV.argmax(z) == b { rejected.append(z) }
            }
            for k in logits.indices {
                let (m1, v1) = moments(built.map { $0[k] }), (m2, v2) = moments(rejected.map { $0[k] })
                let se = ((v1 + v2) / Double(n)).squareRoot()
                XCTAssertLessThan(abs(m1 - m2), 4.5 * se, "b \(b), coordinate \(k): mean \(m1) vs \(m2)")
                let fourth = moments(built.map { pow($0[k] - m1, 2) }).variance
                XCTAssertLessThan(abs(v1 - v2), 4.5 * (2 * fourth / Double(n)).squareRoot(), "b \(b), coordinate \(k): variance \(v1) vs \(v2)")
            }
        }
    }

    /// Mixed over b ~ π (drawn by an independent uniform), z̃ is θ + g with g ~ Gumbel(0, 1)ᴬ i.i.d.:
    /// coordinate means θₖ + γ, variances π²/6, covariances 0, and P(z̃ₖ ≤ θₖ) = e⁻¹, each within 4.5 SE.
    func testMixtureOverActionsIsTheUnconditionalGumbel() {
        let n = 50_000
        for logits in [[0.0, 0.0], [1.3, -0.4, 0.2, -1.0]] {
            var rng = RandomStream(seed: 23)
            let p = CV.softmax(logits)
            var samples: [[Double]] = []
            for _ in 0..<n {
                var u = rng.nextUniform(), b = 0
                while b < p.count - 1 && u >= p[b] { u -= p[b]; b += 1 }
                samples.append(CV.conditional(logits, action: b, using: &rng))
            }
            let label = "logits \(logits)"
            for k in logits.indices {
                let (m, v) = moments(samples.map { $0[k] })
                XCTAssertLessThan(abs(m - (logits[k] + eulerGamma)), 4.5 * (gumbelVariance / Double(n)).squareRoot(), "\(label), mean \(k): \(m)")
                XCTAssertLessThan(abs(v - gumbelVariance), 4.5 * gumbelVariance * (4.4 / Double(n)).squareRoot(), "\(label), variance \(k): \(v)")
                let below = Double(samples.filter { $0[k] <= logits[k] }.count) / Double(n), e = exp(-1.0)
                XCTAssertLessThan(abs(below - e), 4.5 * (e * (1 - e) / Double(n)).squareRoot(), "\(label), P(z̃_\(k) ≤ θ_\(k)) = \(below)")
                for j in 0..<k {
                    let mj = moments(samples.map { $0[j] }).mean
                    let c = samples.reduce(0) { $0 + ($1[k] - m) * ($1[j] - mj) } / Double(n)
                    XCTAssertLessThan(abs(c), 4.5 * gumbelVariance / Double(n).squareRoot(), "\(label), cov(\(j), \(k)) = \(c)")
                }
            }
        }
    }

    /// The Jacobian ∂z̃/∂θ with the noise fixed: its columns from ``ConditionalGumbel/tangent`` and its
    /// rows from ``ConditionalGumbel/accumulateBackward`` match fourth-order central differences,
    /// for unnormalised logits, every action b and several noise draws.
    func testJacobianMatchesFiniteDifferences() {
        var rng = RandomStream(seed: 31)
        for count in [2, 3, 5] {
            for _ in 0..<4 {
                let logits = CV.gaussians(count, scale: 1.5, using: &rng).map { $0 + 2.3 }
                let noise = (0..<count).map { _ in rng.nextGumbel() }
                for b in 0..<count {
                    let z = CV.conditional(logits, action: b, noise: noise)
                    for j in 0..<count {
                        let numeric = (0..<count).map { k in
                            CV.derivative { h in CV.conditional(CV.shifted(logits, j, by: h), action: b, noise: noise)[k] }
                        }
                        let column = CV.conditionalTangent(z, logits: logits, action: b, direction: (0..<count).map { $0 == j ? 1 : 0 })
                        XCTAssertLessThan(CV.relativeError(numeric, column), 1e-7, "column \(j), b \(b), logits \(logits)")
                        let row = CV.conditionalBackward(z, logits: logits, action: b, cotangent: (0..<count).map { $0 == j ? 1 : 0 })
                        let numericRow = (0..<count).map { i in
                            CV.derivative { h in CV.conditional(CV.shifted(logits, i, by: h), action: b, noise: noise)[j] }
                        }
                        XCTAssertLessThan(CV.relativeError(numericRow, row), 1e-7, "row \(j), b \(b), logits \(logits)")
                        XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-12, "a shift of every logit shifts z̃_\(j) by as much")
                    }
                }
            }
        }
    }

    /// Sample mean and (population) variance.
    func moments(_ x: [Double]) -> (mean: Double, variance: Double) {
        let m = x.reduce(0, +) / Double(x.count)
        return (m, x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count))
    }
}
