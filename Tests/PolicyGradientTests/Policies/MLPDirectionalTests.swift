import Foundation
@testable import PolicyGradient
import XCTest

/// The MLP's forward-mode directional derivative D_u c(x) = ⟨u, ∇ₓc(x)⟩ and its parameter
/// gradient (the mixed second derivative ∂²c/∂p∂x along u), against the existing backward pass
/// and fourth-order central differences, for one and two hidden layers, tanh and relu, dense
/// and one-hot features.
final class MLPDirectionalTests: XCTestCase {
    struct Case {
        var network: MLP, parameters: [Double], features: [Double]?, hot: Int?, x: [Double], u: [Double], label: String
        var featureCount: Int { features?.count ?? 4 }
    }

    func cases() -> [Case] {
        var rng = RandomStream(seed: 29), out: [Case] = []
        for hidden in [[5], [4, 3]] {
            for activation in Activation.allCases {
                for dense in [true, false] {
                    let network = MLP(inputs: 4 + 3, hidden: hidden, outputs: 1, activation: activation)
                    out.append(Case(network: network, parameters: (0..<network.parameterCount).map { _ in 0.8 * rng.nextGaussian() },
                                    features: dense ? (0..<4).map { _ in rng.nextGaussian() } : nil, hot: dense ? nil : 2,
                                    x: (0..<3).map { _ in rng.nextUniform() }, u: (0..<3).map { _ in rng.nextGaussian() },
                                    label: "hidden \(hidden), \(activation), \(dense ? "dense" : "one-hot")"))
                }
            }
        }
        return out
    }

    func withInput<R>(_ c: Case, x: [Double], _ body: (MLPInput) -> R) -> R {
        x.withUnsafeBufferPointer { xb in
            if let f = c.features {
                return f.withUnsafeBufferPointer { body(MLPInput(features: FeatureRow(values: $0), extra: xb)) }
            }
            return body(MLPInput(features: FeatureRow(hotIndex: c.hot!, count: 4), extra: xb))
        }
    }

    /// (c(x), D_u c(x)) from the new forward pass.
    func directional(_ c: Case, parameters: [Double], x: [Double]) -> (Double, Double) {
        var h = [Double](repeating: 0, count: c.network.hiddenCount), hd = h, out = [0.0], dir = [0.0]
        withInput(c, x: x) { input in
            parameters.withUnsafeBufferPointer { p in c.u.withUnsafeBufferPointer { u in
                h.withUnsafeMutableBufferPointer { hb in hd.withUnsafeMutableBufferPointer { hdb in
                    out.withUnsafeMutableBufferPointer { o in dir.withUnsafeMutableBufferPointer { d in
                        c.network.forward(p, input: input, direction: u, output: o, directional: d, hidden: hb, tangent: hdb)
                    } }
                } }
            } }
        }
        return (out[0], dir[0])
    }

    /// ⟨u, ∇ₓc(x)⟩ from the existing backward pass (independent of the new code).
    func reference(_ c: Case, parameters: [Double], x: [Double]) -> (Double, Double) {
        var h = [Double](repeating: 0, count: c.network.hiddenCount), out = [0.0], grad = [Double](repeating: 0, count: 3)
        withInput(c, x: x) { input in
            parameters.withUnsafeBufferPointer { p in
                h.withUnsafeMutableBufferPointer { hb in out.withUnsafeMutableBufferPointer { o in
                    c.network.forward(p, input: input, output: o, hidden: hb)
                    [1.0].withUnsafeBufferPointer { one in
                        grad.withUnsafeMutableBufferPointer {
                            c.network.backward(p, input: input, hidden: UnsafeBufferPointer(hb), cotangent: one, gradient: nil, extraCotangent: $0)
                        }
                    }
                } }
            }
        }
        return (out[0], zip(grad, c.u).reduce(0) { $0 + $1.0 * $1.1 })
    }

    /// The forward pass's value is the MLP's, and D_u c is ⟨u, ∇ₓc⟩ and the difference quotient along u.
    func testDirectionalDerivativeMatchesBackwardPassAndDifferences() {
        for c in cases() {
            let (value, d) = directional(c, parameters: c.parameters, x: c.x)
            let (refValue, refD) = reference(c, parameters: c.parameters, x: c.x)
            XCTAssertEqual(value, refValue, accuracy: 1e-12, c.label)
            XCTAssertEqual(d, refD, accuracy: 1e-12 * max(1, abs(d)), c.label)
            let numeric = CV.derivative { h in self.reference(c, parameters: c.parameters, x: zip(c.x, c.u).map { $0 + h * $1 }).0 }
            XCTAssertEqual(d, numeric, accuracy: 1e-8 * max(1, abs(d)), c.label)
        }
    }

    /// ∂/∂p [α c + β D_u c] against differences in every parameter of α c + β ⟨u, ∇ₓc⟩ (the latter
    /// from the existing backward pass).
    func testMixedDerivativeMatchesFiniteDifferences() {
        let alpha = 0.7, beta = -1.3
        for c in cases() {
            var h = [Double](repeating: 0, count: c.network.hiddenCount), hd = h
            var g = [Double](repeating: 0, count: c.network.parameterCount), out = [0.0], dir = [0.0]
            withInput(c, x: c.x) { input in
                c.parameters.withUnsafeBufferPointer { p in c.u.withUnsafeBufferPointer { u in
                    h.withUnsafeMutableBufferPointer { hb in hd.withUnsafeMutableBufferPointer { hdb in
                        out.withUnsafeMutableBufferPointer { o in dir.withUnsafeMutableBufferPointer { d in
                            c.network.forward(p, input: input, direction: u, output: o, directional: d, hidden: hb, tangent: hdb)
                        } }
                        [alpha].withUnsafeBufferPointer { a in [beta].withUnsafeBufferPointer { b in
                            g.withUnsafeMutableBufferPointer {
                                c.network.accumulateDirectionalGradient(p, input: input, direction: u, hidden: UnsafeBufferPointer(hb),
                                                                        tangent: UnsafeBufferPointer(hdb), valueCotangent: a,
                                                                        directionalCotangent: b, gradient: $0)
                            }
                        } }
                    } }
                } }
            }
            let numeric = (0..<c.network.parameterCount).map { i in
                CV.derivative { step in
                    let (value, d) = self.reference(c, parameters: CV.shifted(c.parameters, i, by: step), x: c.x)
                    return alpha * value + beta * d
                }
            }
            XCTAssertLessThan(CV.relativeError(numeric, g), 1e-7, c.label)
        }
    }
}
