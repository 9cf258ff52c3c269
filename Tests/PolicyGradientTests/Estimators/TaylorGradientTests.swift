import Foundation
@testable import PolicyGradient
import XCTest

/// Finite-difference and hand-computed checks of the hand-written pieces of `muprop`, `darn`
/// and `st`: MuProp's correction (∂π/∂logits)ᵀ v, the straight-through backward pass, and the
/// Taylor baseline b(e_a) = f(x̄) + ∇f(x̄)ᵀ(e_a − x̄) with f the toy reward or a critic.
final class TaylorGradientTests: XCTestCase {
    func softmax(_ logits: [Double]) -> [Double] {
        let m = logits.max()!, e = logits.map { Foundation.exp($0 - m) }, z = e.reduce(0, +)
        return e.map { $0 / z }
    }

    /// scale · (∂π/∂logits)ᵀ v through the library.
    func correction(_ p: [Double], _ v: [Double], scale: Double = 1) -> [Double] {
        var out = [Double](repeating: 0, count: p.count)
        p.withUnsafeBufferPointer { pb in
            v.withUnsafeBufferPointer { vb in
                out.withUnsafeMutableBufferPointer {
                    TaylorBaseline.accumulateCorrection(probabilities: pb, gradient: vb, scale: scale, into: $0)
                }
            }
        }
        return out
    }

    func baseline(action a: Int, f0: Double, v: [Double], point x: [Double]) -> Double {
        v.withUnsafeBufferPointer { vb in x.withUnsafeBufferPointer { TaylorBaseline.value(action: a, pointValue: f0, gradient: vb, point: $0) } }
    }

    /// Fourth-order central differences of F along each coordinate of `x`.
    func centralDifferences(_ x: [Double], h: Double = 1e-4, _ f: ([Double]) -> Double) -> [Double] {
        x.indices.map { i in
            func at(_ step: Double) -> Double { var y = x; y[i] += step; return f(y) }
            return (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h)
        }
    }

    func assertClose(_ a: [Double], _ b: [Double], _ tolerance: Double, _ label: String, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, label, line: line)
        for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: tolerance, label, line: line) }
    }

    func cases(_ body: ([Double], [Double], String) -> Void) {
        var rng = RandomStream(seed: 17)
        for actions in [2, 3, 5] {
            for trial in 0..<4 {
                let logits = (0..<actions).map { _ in 1.5 * rng.nextGaussian() }
                let v = (0..<actions).map { _ in rng.nextGaussian() }
                body(logits, v, "A \(actions), trial \(trial)")
            }
        }
    }

    /// MuProp's correction is ∇_logits ⟨v, softmax(logits)⟩ (finite differences), and it equals the
    /// exact mean of the baseline's score term, Σ_a π_a b(e_a)(e_a − π), for any f(x̄) and x̄.
    func testMuPropCorrectionIsTheGradientOfTheLinearisedMean() {
        cases { logits, v, label in
            let p = softmax(logits)
            let analytic = correction(p, v, scale: 0.7)
            let fd = centralDifferences(logits) { l in 0.7 * zip(v, softmax(l)).reduce(0) { $0 + $1.0 * $1.1 } }
            assertClose(analytic, fd, 1e-9, label)
            for point in [p, [Double](repeating: 1 / Double(p.count), count: p.count)] {
                var mean = [Double](repeating: 0, count: p.count)
                for a in p.indices {
                    let b = baseline(action: a, f0: -0.37, v: v, point: point)
                    for k in p.indices { mean[k] += p[a] * b * ((k == a ? 1 : 0) - p[k]) }
                }
                assertClose(correction(p, v), mean, 1e-12, label)
            }
        }
    }

    /// The straight-through backward π ⊙ (v − ⟨π, v⟩), v = ∇f(e_a), is the derivative of the
    /// surrogate logits ↦ f(e_a + softmax(logits) − softmax(logits₀)) at logits₀ (forward value
    /// f(e_a), backward as if ∂z/∂π = I), with f the toy reward.
    func testStraightThroughBackwardMatchesFiniteDifferences() {
        for env in [Toy(binaryTarget: 0.45), Toy(targets: [0.2, 0.3, 0.5])] {
            cases { logits, _, label in
                guard logits.count == env.actionCount else { return }
                let p0 = softmax(logits)
                for a in 0..<env.actionCount {
                    let z = (0..<env.actionCount).map { $0 == a ? 1.0 : 0.0 }
                    var v = [Double](repeating: 0, count: z.count)
                    z.withUnsafeBufferPointer { zb in v.withUnsafeMutableBufferPointer { env.rewardGradient(relaxed: zb, state: 0, into: $0) } }
                    let fd = centralDifferences(logits) { l in
                        let x = zip(z, zip(softmax(l), p0)).map { $0 + $1.0 - $1.1 }
                        return x.withUnsafeBufferPointer { env.reward(relaxed: $0, state: 0) }
                    }
                    assertClose(correction(p0, v), fd, 1e-8, "\(label), action \(a)")
                }
            }
        }
    }

    /// Hand-computed: binary toy t = 0.45 at the centre x̄ = (1/2, 1/2): f(x̄) = −0.0025,
    /// ∇f(x̄) = (0, −0.1), so b(e_0) = −0.0025 + 0.05 = 0.0475 and b(e_1) = −0.0525; the residuals
    /// f(e_a) − b(e_a) are −0.2025 − 0.0475 = −0.25 and −0.3025 + 0.0525 = −0.25: the same for both
    /// actions. The K-class toy at the centre: both residuals are −(1 − 1/A) for every action.
    func testTaylorBaselineAtTheCentreHandComputed() {
        let toy = Toy(binaryTarget: 0.45)
        XCTAssertEqual(baseline(action: 0, f0: -0.0025, v: [0, -0.1], point: [0.5, 0.5]), 0.0475, accuracy: 1e-15)
        XCTAssertEqual(baseline(action: 1, f0: -0.0025, v: [0, -0.1], point: [0.5, 0.5]), -0.0525, accuracy: 1e-15)
        XCTAssertEqual(toy.oneHotReward(0) - 0.0475, -0.25, accuracy: 1e-15)
        XCTAssertEqual(toy.oneHotReward(1) + 0.0525, -0.25, accuracy: 1e-15)
        let three = Toy(targets: [0.2, 0.3, 0.5]), centre = [Double](repeating: 1.0 / 3, count: 3)
        let f0 = centre.withUnsafeBufferPointer { three.reward(relaxed: $0, state: 0) }
        var v = [0.0, 0, 0]
        centre.withUnsafeBufferPointer { c in v.withUnsafeMutableBufferPointer { three.rewardGradient(relaxed: c, state: 0, into: $0) } }
        for a in 0..<3 {
            XCTAssertEqual(three.oneHotReward(a) - baseline(action: a, f0: f0, v: v, point: centre), -2.0 / 3, accuracy: 1e-14)
        }
    }

    /// DARN's and MuProp's linearisation: along d = e_a − x̄, (f(x̄ + εd) − f(x̄))/ε → b(e_a) − f(x̄)
    /// (central differences), with f the toy reward and a critic Q_w(s, ·) (its ∇ₓQ is hand-written).
    func testTaylorBaselineIsTheTangentOfF() throws {
        let bandit = Bandit.tenArmedTestbed(seed: 2, mean: 0, arms: 4)
        var settings = SettingValues()
        settings.set(Critic.activationSetting, .text("tanh"))
        let context = EstimatorContext(environment: bandit, features: try bandit.stateFeatures(), model: nil, seed: 5,
                                       gamma: 1, episodesPerUpdate: 8)
        var critic = RelaxedReward(context: context, settings: settings)
        var batch = BatchAccumulator(stateCount: 1, actionCount: 4)
        batch.visits = [3, 2, 1, 4]
        batch.returnSum = [1.5, -0.4, 2.0, 0.8]
        critic.fit(after: batch, actionCount: 4) // its output layer starts at 0: fit it so that ∇ₓQ ≠ 0
        let toy = RelaxedReward(context: EstimatorContext(environment: Toy(targets: [0.1, 0.2, 0.3, 0.4]),
                                                          features: try Toy(targets: [0.1, 0.2, 0.3, 0.4]).stateFeatures(),
                                                          model: nil, seed: 5, gamma: 1, episodesPerUpdate: 8),
                                settings: SettingValues())
        XCTAssertTrue(critic.isLearned)
        XCTAssertFalse(toy.isLearned)
        for (name, f) in [("critic", critic), ("toy", toy)] {
            try f.features.withRows { rows in
                func value(_ x: [Double], gradient: inout [Double]) -> Double {
                    x.withUnsafeBufferPointer { xb in gradient.withUnsafeMutableBufferPointer { f.evaluate(state: 0, rows: rows, at: xb, gradient: $0) } }
                }
                var scratch = [Double](repeating: 0, count: 4)
                for point in [[0.25, 0.25, 0.25, 0.25], [0.1, 0.6, 0.2, 0.1]] {
                    var v = [Double](repeating: 0, count: 4)
                    let f0 = value(point, gradient: &v)
                    XCTAssertNotEqual(v, [0, 0, 0, 0], name)
                    for a in 0..<4 {
                        let d = (0..<4).map { ($0 == a ? 1 : 0) - point[$0] }
                        let fd = try XCTUnwrap(centralDifferences([0]) { e in value(zip(point, d).map { $0 + e[0] * $1 }, gradient: &scratch) }.first)
                        XCTAssertEqual(fd, baseline(action: a, f0: f0, v: v, point: point) - f0, accuracy: 1e-8, "\(name), \(point), action \(a)")
                    }
                }
            }
        }
    }
}
