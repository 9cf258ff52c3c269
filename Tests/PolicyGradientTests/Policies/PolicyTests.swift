import Foundation
@testable import PolicyGradient
import XCTest

/// Every policy passes one shared conformance check (normalised, stable log-probabilities;
/// hand-written backward passes equal to central finite differences), plus layout fixtures
/// per policy and `Softmax` fixtures (the policies' contract).
final class PolicyTests: XCTestCase {
    // MARK: Helpers

    private func gaussians(_ n: Int, _ rng: inout RandomStream, sd: Double = 1) -> [Double] {
        (0..<n).map { _ in sd * rng.nextGaussian() }
    }

    private func logits<P: Policy>(_ p: P, state: Int, features x: [Double]) -> [Double] {
        var out = [Double](repeating: .nan, count: p.actionCount)
        x.withUnsafeBufferPointer { f in
            out.withUnsafeMutableBufferPointer { p.logits(state: state, features: FeatureRow(values: f), into: $0) }
        }
        return out
    }

    private func logProbabilities<P: Policy>(_ p: P, state: Int, features x: [Double]) -> [Double] {
        var out = [Double](repeating: .nan, count: p.actionCount)
        x.withUnsafeBufferPointer { f in
            out.withUnsafeMutableBufferPointer { p.logProbabilities(state: state, features: FeatureRow(values: f), into: $0) }
        }
        return out
    }

    private func logProbability<P: Policy>(_ p: P, of a: Int, state: Int, features x: [Double]) -> Double {
        logProbabilities(p, state: state, features: x)[a]
    }

    /// The logits and the backward pass of a one-hot row given by its index equal those of the
    /// same row written out densely (the implicit features pg uses for every state index).
    private func assertOneHotMatchesDense<P: Policy>(_ p: P, featureCount f: Int, _ name: String,
                                                     file: StaticString = #filePath, line: UInt = #line) {
        var rng = RandomStream(seed: 9)
        for s in 0..<f {
            let dense = (0..<f).map { $0 == s ? 1.0 : 0.0 }
            var sparse = [Double](repeating: .nan, count: p.actionCount)
            sparse.withUnsafeMutableBufferPointer { p.logits(state: s, features: FeatureRow(hotIndex: s, count: f), into: $0) }
            XCTAssertEqual(sparse, logits(p, state: s, features: dense), "\(name) state \(s)", file: file, line: line)
            let c = gaussians(p.actionCount, &rng)
            var g1 = [Double](repeating: 0, count: p.parameterCount), g2 = g1
            c.withUnsafeBufferPointer { cb in
                g1.withUnsafeMutableBufferPointer {
                    p.backpropagate(state: s, features: FeatureRow(hotIndex: s, count: f), logitCotangent: cb, into: $0)
                }
                dense.withUnsafeBufferPointer { d in
                    g2.withUnsafeMutableBufferPointer { p.backpropagate(state: s, features: FeatureRow(values: d), logitCotangent: cb, into: $0) }
                }
            }
            XCTAssertEqual(g1, g2, "\(name) state \(s) backward", file: file, line: line)
        }
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    private func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }

    /// ‖a − b‖ / max(‖a‖, ‖b‖) (0 when both are 0).
    private func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        let scale = max(norm(a), norm(b))
        return scale == 0 ? 0 : norm(zip(a, b).map { $0 - $1 }) / scale
    }

    /// Central differences of `f` along every parameter.
    private func finiteDifference<P: Policy>(_ p: P, step h: Double, _ f: (P) -> Double) -> [Double] {
        (0..<p.parameterCount).map { i in
            var plus = p, minus = p
            plus.parameters[i] += h
            minus.parameters[i] -= h
            return (f(plus) - f(minus)) / (2 * h)
        }
    }

    // MARK: The shared conformance check

    /// Checks a policy on the given states (state index, feature vector):
    /// parameter count; log-probabilities normalised, ≤ 0 and consistent with the logits;
    /// `backpropagate` = FD of ⟨c, logits⟩ for random cotangents c; `accumulateScore` = FD of
    /// scale · log π(a|s); both add into the gradient; stability when the parameters are scaled
    /// so that logits reach the thousands.
    private func assertConforms<P: Policy>(_ policy: P, _ name: String, states: [(Int, [Double])], step h: Double = 1e-5,
                                           seed: UInt64, file: StaticString = #filePath, line: UInt = #line) {
        let label = "\(name) seed \(seed)"
        XCTAssertEqual(policy.parameters.count, policy.parameterCount, label, file: file, line: line)
        var rng = RandomStream(seed: seed).split(77)
        let d = policy.parameterCount, a = policy.actionCount
        for (s, x) in states {
            let z = logits(policy, state: s, features: x)
            let lp = logProbabilities(policy, state: s, features: x)
            XCTAssertEqual(lp.reduce(0) { $0 + exp($1) }, 1, accuracy: 1e-12, "\(label) state \(s)", file: file, line: line)
            XCTAssertTrue(lp.allSatisfy { $0 <= 0 && $0.isFinite }, "\(label) state \(s): \(lp)", file: file, line: line)
            for k in 1..<a {
                XCTAssertEqual(lp[k] - lp[0], z[k] - z[0], accuracy: 1e-9, "\(label) state \(s)", file: file, line: line)
            }
            XCTAssertEqual(logProbability(policy, of: a - 1, state: s, features: x), lp[a - 1], accuracy: 1e-15,
                           label, file: file, line: line)

            // backpropagate: (∂logits/∂φ)ᵀ c, added to what is already in the buffer.
            for _ in 0..<2 {
                let c = gaussians(a, &rng)
                let prior = gaussians(d, &rng)
                var g = prior
                x.withUnsafeBufferPointer { f in
                    c.withUnsafeBufferPointer { cb in
                        g.withUnsafeMutableBufferPointer {
                            policy.backpropagate(state: s, features: FeatureRow(values: f), logitCotangent: cb, into: $0)
                        }
                    }
                }
                let analytic = zip(g, prior).map { $0 - $1 }
                let fd = finiteDifference(policy, step: h) { dot(c, logits($0, state: s, features: x)) }
                let err = relativeError(analytic, fd)
                XCTAssertLessThan(err, 1e-6, "\(label) state \(s): backpropagate vs FD", file: file, line: line)
                XCTAssertGreaterThan(norm(fd), 0, "\(label) state \(s): the check saw a zero gradient", file: file, line: line)
            }

            // accumulateScore: scale · ∇ log π(a|s).
            for action in 0..<a {
                let scale = rng.nextGaussian()
                let prior = gaussians(d, &rng)
                var g = prior
                x.withUnsafeBufferPointer { f in
                    g.withUnsafeMutableBufferPointer {
                        policy.accumulateScore(state: s, features: FeatureRow(values: f), action: action, scale: scale, into: $0)
                    }
                }
                let analytic = zip(g, prior).map { $0 - $1 }
                let fd = finiteDifference(policy, step: h) { scale * logProbability($0, of: action, state: s, features: x) }
                XCTAssertLessThan(relativeError(analytic, fd), 1e-6, "\(label) state \(s) action \(action): score vs FD (‖FD‖ = \(norm(fd)))",
                                  file: file, line: line)
            }
        }

        // Huge logits: still finite and normalised (log-softmax subtracts the max).
        var big = policy
        big.parameters = big.parameters.map { $0 * 1000 }
        for (s, x) in states {
            let z = logits(big, state: s, features: x)
            let lp = logProbabilities(big, state: s, features: x)
            XCTAssertGreaterThan(z.max()! - z.min()!, 100, "\(label): scaling did not make large logits", file: file, line: line)
            XCTAssertTrue(lp.allSatisfy { $0 <= 0 && !$0.isNaN }, "\(label) state \(s) large logits: \(lp)", file: file, line: line)
            XCTAssertGreaterThanOrEqual(lp.max()!, -log(Double(a)), "\(label) state \(s) large logits", file: file, line: line)
            let top = z.indices.max { z[$0] < z[$1] }!
            for k in 0..<a {
                XCTAssertEqual(lp[k] - lp[top], z[k] - z[top], accuracy: 1e-12 * max(1, abs(z[k] - z[top])),
                               "\(label) state \(s) large logits", file: file, line: line)
            }
            XCTAssertEqual(lp.reduce(0) { $0 + exp($1) }, 1, accuracy: 1e-12, "\(label) state \(s)", file: file, line: line)
        }
    }

    /// Hidden pre-activations of an MLP from its documented layout (per layer: row-major
    /// outputs × inputs weights, then biases), and the output it implies.
    private func reference(_ net: MLP, _ p: [Double], _ x: [Double]) -> (pre: [Double], output: [Double]) {
        var input = x, pre: [Double] = [], offset = 0
        for l in 1..<net.widths.count {
            let nIn = net.widths[l - 1], nOut = net.widths[l]
            let z = (0..<nOut).map { o in
                p[offset + nOut * nIn + o] + (0..<nIn).reduce(0.0) { $0 + p[offset + o * nIn + $1] * input[$1] }
            }
            offset += nOut * (nIn + 1)
            if l == net.widths.count - 1 { return (pre, z) }
            pre += z
            input = z.map { net.activation == .tanh ? tanh($0) : max(0, $0) }
        }
        return (pre, input)
    }

    // MARK: Conformance of every policy

    private let seeds: [UInt64] = [1, 2, 3]

    func testTabularConforms() {
        for seed in seeds {
            var rng = RandomStream(seed: seed)
            var p = TabularPolicy(stateCount: 3, actionCount: 4)
            p.parameters = gaussians(p.parameterCount, &rng, sd: 2)
            assertConforms(p, "tabular", states: (0..<3).map { ($0, []) }, seed: seed)
        }
    }

    func testLinearConformsWithDenseFeatures() {
        for seed in seeds {
            var rng = RandomStream(seed: seed)
            var p = LinearPolicy(featureCount: 5, actionCount: 3)
            p.parameters = gaussians(p.parameterCount, &rng)
            assertConforms(p, "linear", states: (0..<3).map { ($0, gaussians(5, &rng)) }, seed: seed)
            assertOneHotMatchesDense(p, featureCount: 5, "linear")
        }
    }

    func testMLPConforms() {
        for seed in seeds {
            for hidden in [[6], [5, 4]] {
                for activation in Activation.allCases {
                    var rng = RandomStream(seed: seed)
                    var p = MLPPolicy(featureCount: 4, actionCount: 3, hidden: hidden, activation: activation, using: &rng)
                    // Moderate weights: with saturated probabilities (π ≈ 1 − 1e-7) the score is ~1e-6
                    // and central differences of log π lose their digits to rounding.
                    p.parameters = gaussians(p.parameterCount, &rng, sd: 0.5)
                    let states = (0..<3).map { ($0, gaussians(4, &rng)) }
                    let name = "mlp \(hidden) \(activation)"
                    if activation == .relu {
                        // FD must not cross a kink: every pre-activation stays far from 0 compared with the step.
                        for (_, x) in states {
                            let closest = reference(p.network, p.parameters, x).pre.map(abs).min()!
                            XCTAssertGreaterThan(closest, 1e-3, "\(name) seed \(seed): pick another seed")
                        }
                    }
                    assertConforms(p, name, states: states, step: activation == .relu ? 1e-6 : 1e-5, seed: seed)
                    assertOneHotMatchesDense(p, featureCount: 4, name)
                }
            }
        }
    }

    // MARK: Layouts

    func testTabularLayout() {
        var p = TabularPolicy(stateCount: 3, actionCount: 2)
        XCTAssertEqual(p.parameterCount, 6)
        XCTAssertEqual(p.parameters, [Double](repeating: 0, count: 6), "starts uniform")
        p.parameters = [1, 2, 3, 4, 5, 6]
        XCTAssertEqual(logits(p, state: 1, features: []), [3, 4])
        XCTAssertEqual(logits(p, state: 2, features: []), [5, 6])
        XCTAssertEqual(p.kind, "tabular")
    }

    func testLinearLayout() {
        var p = LinearPolicy(featureCount: 2, actionCount: 3)
        XCTAssertEqual(p.parameterCount, 9)
        XCTAssertEqual(p.parameters, [Double](repeating: 0, count: 9), "starts uniform")
        p.parameters = [1, 2, 3, 4, 5, 6, 0.1, 0.2, 0.3]  // W row-major 3 × 2, then b
        let z = logits(p, state: 0, features: [1, -1])
        for (got, want) in zip(z, [-0.9, -0.8, -0.7]) { XCTAssertEqual(got, want, accuracy: 1e-15) }
        XCTAssertEqual(p.kind, "linear")
    }

    func testMLPLayoutByHand() {
        var rng = RandomStream(seed: 1)
        var p = MLPPolicy(featureCount: 2, actionCount: 2, hidden: [2], activation: .relu, using: &rng)
        XCTAssertEqual(p.parameterCount, 12)
        XCTAssertEqual(Array(p.parameters[6...]), [Double](repeating: 0, count: 6), "output layer starts at zero")
        XCTAssertEqual(logits(p, state: 0, features: [0.3, -2]), [0, 0], "starts uniform")
        // W1 = [[1, -1], [0.5, 2]], b1 = [0, -1]; W2 = [[1, 1], [-1, 0.5]], b2 = [0.5, 0].
        // x = (2, 1): z1 = (1, 2), h = (1, 2), logits = (1 + 2 + 0.5, -1 + 1 + 0) = (3.5, 0).
        p.parameters = [1, -1, 0.5, 2, 0, -1, 1, 1, -1, 0.5, 0.5, 0]
        XCTAssertEqual(logits(p, state: 0, features: [2, 1]), [3.5, 0])
        // x = (-1, 1): z1 = (-2, 0.5) → h = (0, 0.5) → logits = (0.5 + 0.5, 0.25).
        XCTAssertEqual(logits(p, state: 0, features: [-1, 1]), [1, 0.25])
        XCTAssertEqual(p.kind, "mlp")
    }

    func testMLPShapesAndReferenceForward() {
        for (hidden, count) in [([4], 4 * 4 + 2 * 5), ([4, 3], 4 * 4 + 3 * 5 + 2 * 4)] {
            for activation in Activation.allCases {
                let net = MLP(inputs: 3, hidden: hidden, outputs: 2, activation: activation)
                XCTAssertEqual(net.parameterCount, count)
                XCTAssertEqual(net.hiddenCount, hidden.reduce(0, +))
                XCTAssertEqual(net.widths, [3] + hidden + [2])
                var rng = RandomStream(seed: 5)
                let policy = MLPPolicy(featureCount: 3, actionCount: 2, hidden: hidden, activation: activation, using: &rng)
                var q = policy
                q.parameters = gaussians(count, &rng)
                let x = gaussians(3, &rng)
                let want = reference(net, q.parameters, x).output
                let got = logits(q, state: 0, features: x)
                for k in 0..<2 { XCTAssertEqual(got[k], want[k], accuracy: 1e-12, "\(hidden) \(activation)") }
            }
        }
    }

    /// `MLP.backward`'s input cotangent (the critic's ∇ₓQ) against finite differences in the input.
    func testMLPInputCotangentMatchesFiniteDifferences() {
        for seed in seeds {
            for hidden in [[5], [4, 3]] {
                let net = MLP(inputs: 4, hidden: hidden, outputs: 2, activation: .tanh)
                var rng = RandomStream(seed: seed)
                let p = gaussians(net.parameterCount, &rng)
                let x = gaussians(4, &rng), c = gaussians(2, &rng)
                var hiddenBuffer = [Double](repeating: 0, count: net.hiddenCount), out = [0.0, 0.0]
                var dx = [Double](repeating: .nan, count: 4)
                // The first input is a feature, the other three the "extra" inputs (a critic's action).
                p.withUnsafeBufferPointer { pb in
                    x.withUnsafeBufferPointer { xb in
                        let input = MLPInput(features: FeatureRow(values: UnsafeBufferPointer(rebasing: xb[0..<1])),
                                             extra: UnsafeBufferPointer(rebasing: xb[1...]))
                        hiddenBuffer.withUnsafeMutableBufferPointer { hb in
                            out.withUnsafeMutableBufferPointer { net.forward(pb, input: input, output: $0, hidden: hb) }
                            c.withUnsafeBufferPointer { cb in
                                dx.withUnsafeMutableBufferPointer {
                                    net.backward(pb, input: input, hidden: UnsafeBufferPointer(hb), cotangent: cb,
                                                 gradient: nil, extraCotangent: UnsafeMutableBufferPointer(rebasing: $0[1...]))
                                }
                            }
                        }
                    }
                }
                let h = 1e-5
                let fd = (1..<4).map { i -> Double in
                    var plus = x, minus = x
                    plus[i] += h; minus[i] -= h
                    return (dot(c, reference(net, p, plus).output) - dot(c, reference(net, p, minus).output)) / (2 * h)
                }
                XCTAssertLessThan(relativeError(Array(dx[1...]), fd), 1e-6, "seed \(seed) \(hidden)")
            }
        }
    }

    func testPolicyKindMakesUniformPolicies() {
        let env = Bandit.tenArmedTestbed(seed: 1)
        for kind in PolicyKind.allCases {
            let p = kind.make(for: env, hidden: [8], activation: .tanh, seed: 3)
            XCTAssertEqual(p.kind, kind.rawValue)
            XCTAssertEqual(p.actionCount, 10)
            XCTAssertEqual(p.parameters.count, p.parameterCount)
            for k in 0..<10 { XCTAssertEqual(p.logProbability(of: k, state: 0, features: .oneHot(stateCount: 1)), -log(10), accuracy: 1e-12) }
        }
        let mlp = PolicySpec(kind: .mlp)
        let a = mlp.make(for: env, seed: 3), b = mlp.make(for: env, seed: 3), c = mlp.make(for: env, seed: 4)
        XCTAssertEqual(a.parameters, b.parameters, "same seed, same initial weights")
        XCTAssertNotEqual(a.parameters, c.parameters)
    }

    // MARK: Softmax fixtures

    private func logSoftmax(_ z: [Double]) -> [Double] {
        var out = z
        z.withUnsafeBufferPointer { zb in out.withUnsafeMutableBufferPointer { Softmax.logSoftmax(zb, into: $0) } }
        return out
    }

    private func softmax(_ z: [Double], tau: Double = 1) -> [Double] {
        var out = z
        z.withUnsafeBufferPointer { zb in out.withUnsafeMutableBufferPointer { Softmax.softmax(zb, temperature: tau, into: $0) } }
        return out
    }

    private func assertClose(_ a: [Double], _ b: [Double], _ tol: Double = 1e-15, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: tol, "\(a) vs \(b)", file: file, line: line) }
    }

    func testSoftmaxFixtures() {
        assertClose(softmax([0, log(3)]), [0.25, 0.75])
        assertClose(softmax([log(1), log(2), log(3), log(4)]), [0.1, 0.2, 0.3, 0.4])
        assertClose(softmax([0, 2 * log(3)], tau: 2), [0.25, 0.75])
        assertClose(softmax([7, 7, 7]), [1.0 / 3, 1.0 / 3, 1.0 / 3])
        assertClose(softmax([1000, -1000]), [1, 0])
        assertClose(softmax([-1000, -1000, -1000]), [1.0 / 3, 1.0 / 3, 1.0 / 3])
        assertClose(softmax([1000, 999], tau: 0.01), [1, exp(-100)])
        assertClose(logSoftmax([0, 0]), [-log(2), -log(2)])
        assertClose(logSoftmax([log(1), log(3)]), [log(0.25), log(0.75)])
        assertClose(logSoftmax([1000, -1000]), [0, -2000])
        assertClose(logSoftmax([1000, 1000]), [-log(2), -log(2)], 1e-13)
        assertClose(logSoftmax([-1000, -1000, -1000, -1000]), [-log(4), -log(4), -log(4), -log(4)], 1e-13)
        XCTAssertTrue(logSoftmax([1e308, -1e308]).allSatisfy { !$0.isNaN })
    }

    func testEntropyFixtures() {
        func entropy(_ lp: [Double]) -> Double { lp.withUnsafeBufferPointer { Softmax.entropy(logProbabilities: $0) } }
        XCTAssertEqual(entropy([log(0.25), log(0.25), log(0.25), log(0.25)]), log(4), accuracy: 1e-15)
        XCTAssertEqual(entropy([0, -Double.infinity]), 0)
        XCTAssertEqual(entropy([log(0.5), log(0.5), -Double.infinity]), log(2), accuracy: 1e-15)
        XCTAssertEqual(entropy([log(0.1), log(0.9)]), -(0.1 * log(0.1) + 0.9 * log(0.9)), accuracy: 1e-15)
    }
}
