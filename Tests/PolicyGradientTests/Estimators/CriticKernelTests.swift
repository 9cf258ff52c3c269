import Foundation
@testable import PolicyGradient
import XCTest

/// The critic's one-hidden-layer passes (Critic+Kernels.swift) against ``MLP``'s general
/// passes: the same bits for Q, ∇ₓQ and whole fits, for relu and tanh, one-hot and dense
/// features (with zeros among them), relaxed and one-hot actions; and the fit's gradient
/// against central differences of its loss.
final class CriticKernelTests: XCTestCase {
    /// Critics of the default shape (one hidden layer) on one-hot and on dense features.
    func critics(activation: Activation, seed: UInt64) -> [(Critic, String)] {
        var values = SettingValues()
        values.set(Critic.activationSetting, .text(activation.rawValue))
        values.set(Critic.hiddenSetting, .integers([7]))
        var rng = RandomStream(seed: seed)
        let states = 3, actions = 4
        let dense = (0..<(states * 5)).map { i in i % 3 == 1 ? 0 : rng.nextGaussian() }
        var out: [(Critic, String)] = []
        for (features, label) in [(StateFeatures.oneHot(stateCount: states), "one-hot"),
                                  (StateFeatures(dense: dense, stateCount: states, count: 5), "dense")] {
            var critic = Critic(features: features, actionCount: actions, settings: values, using: &rng)
            critic.parameters = critic.parameters.map { $0 + 0.5 * rng.nextGaussian() }  // biases and output non-zero
            out.append((critic, "\(activation), \(label)"))
        }
        return out
    }

    /// Q and ∇ₓQ from both paths at relaxed points, one-hot points and points with zeros.
    func testEvaluateMatchesTheGeneralPassesBitForBit() {
        for activation in Activation.allCases {
            for (critic, label) in critics(activation: activation, seed: 41) {
                var rng = RandomStream(seed: 7)
                for trial in 0..<30 {
                    var x = (0..<4).map { _ in rng.nextUniform() }
                    if trial % 3 == 1 { x = (0..<4).map { $0 == trial % 4 ? 1 : 0 } }
                    if trial % 3 == 2 { x[trial % 4] = 0 }
                    let s = trial % 3
                    var fast = [Double](repeating: .nan, count: 4), general = fast
                    let (q1, q2) = critic.features.withRows { rows in
                        x.withUnsafeBufferPointer { xb in
                            (fast.withUnsafeMutableBufferPointer { critic.evaluate(features: rows[s], action: xb, gradient: $0) },
                             general.withUnsafeMutableBufferPointer {
                                critic.evaluate(features: rows[s], action: xb, gradient: $0, generalPasses: true)
                             })
                        }
                    }
                    XCTAssertEqual(q1.bitPattern, q2.bitPattern, "\(label), trial \(trial): Q \(q1) vs \(q2)")
                    XCTAssertEqual(fast.map(\.bitPattern), general.map(\.bitPattern), "\(label), trial \(trial): ∇ₓQ")
                }
            }
        }
    }

    /// Ten batches of fits through both paths give the same weights, bit for bit (the general
    /// path reads the weights in ``MLP``'s layout and hands Adam its gradient in the kernels').
    func testFitMatchesTheGeneralPassesBitForBit() {
        for activation in Activation.allCases {
            for (start, label) in critics(activation: activation, seed: 43) {
                var fast = start, general = start, rng = RandomStream(seed: 11)
                for batch in 0..<10 {
                    let visits = (0..<12).map { k in (k + batch) % 5 == 0 ? 0 : Double(Int(rng.nextUniform() * 4)) }
                    let returns = visits.map { $0 * (1 + rng.nextGaussian()) }
                    fast.fit(visits: visits, returnSum: returns, actionCount: 4)
                    general.fit(visits: visits, returnSum: returns, actionCount: 4, generalPasses: true)
                    XCTAssertEqual(fast.parameters.map(\.bitPattern), general.parameters.map(\.bitPattern), "\(label), batch \(batch)")
                }
            }
        }
    }

    /// The kernel's fit gradient against central differences of
    /// L(w) = Σ_k (½ n_k Q_k² − G_k Q_k) / Σ n (the kernel ascends −∇L).
    func testFitGradientMatchesFiniteDifferences() {
        for activation in Activation.allCases {
            for (critic, label) in critics(activation: activation, seed: 47) {
                let a = 4, visits: [Double] = [2, 0, 1, 3, 0, 1, 1, 0, 4, 2, 0, 1]
                let returns = visits.enumerated().map { k, n in n * (0.3 * Double(k) - 1) }
                let total = visits.reduce(0, +)
                let pairs = visits.indices.filter { visits[$0] > 0 }
                func loss(_ c: Critic) -> Double {
                    c.features.withRows { rows in
                        pairs.reduce(0.0) { sum, k in
                            let x = (0..<a).map { $0 == k % a ? 1.0 : 0 }
                            let q = x.withUnsafeBufferPointer { c.evaluate(features: rows[k / a], action: $0, gradient: nil) }
                            return sum + (0.5 * visits[k] * q * q - returns[k] * q) / total
                        }
                    }
                }
                let h = critic.network.widths[1]
                var grad = [Double](repeating: 0, count: critic.parameters.count)
                var hidden = [Double](repeating: 0, count: pairs.count * (h + 1))
                critic.features.withRows { rows in
                    pairs.withUnsafeBufferPointer { pp in visits.withUnsafeBufferPointer { vp in returns.withUnsafeBufferPointer { rp in
                        hidden.withUnsafeMutableBufferPointer { hp in grad.withUnsafeMutableBufferPointer { gp in
                            critic.fitGradientOneHidden(pairs: pp, visits: vp, returnSum: rp, total: total, actionCount: a,
                                                        rows: rows, hidden: hp.baseAddress!, into: gp.baseAddress!)
                        } }
                    } } }
                }
                grad = Critic.reordered(grad, network: critic.network, toKernel: false)  // the kernels' layout → MLP's
                let eps = 1e-6
                for i in critic.parameters.indices {
                    var up = critic, down = critic
                    up.parameters[i] += eps
                    down.parameters[i] -= eps
                    let numeric = (loss(up) - loss(down)) / (2 * eps)
                    XCTAssertEqual(-grad[i], numeric, accuracy: 1e-6 * max(1, abs(numeric)), "\(label), weight \(i)")
                }
            }
        }
    }

    /// Setting and reading the weights round-trips through the kernels' layout, and a critic of
    /// two hidden layers keeps ``MLP``'s layout and passes.
    func testParametersRoundTripAndDeeperCriticsUseTheGeneralPasses() {
        var values = SettingValues()
        values.set(Critic.hiddenSetting, .integers([5]))
        var rng = RandomStream(seed: 3)
        var critic = Critic(features: .oneHot(stateCount: 2), actionCount: 3, settings: values, using: &rng)
        XCTAssertTrue(critic.usesKernels)
        let w = (0..<critic.network.parameterCount).map { Double($0) }
        critic.parameters = w
        XCTAssertEqual(critic.parameters, w)
        XCTAssertEqual(critic.weights[1], w[5])  // W₁[1, 0] (MLP index 1 · 5 + 0) right after W₁[0, 0]
        values.set(Critic.hiddenSetting, .integers([4, 3]))
        let deep = Critic(features: .oneHot(stateCount: 2), actionCount: 3, settings: values, using: &rng)
        XCTAssertFalse(deep.usesKernels)
        XCTAssertEqual(deep.weights, deep.parameters)
    }
}
