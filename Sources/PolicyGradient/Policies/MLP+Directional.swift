extension Activation {
    /// σ''(a) · ȧ for a pre-activation a with tangent ȧ, expressed through the output h = σ(a) and
    /// its tangent ḣ = σ'(a) ȧ: tanh'' = −2 tanh · tanh', so σ''(a) ȧ = −2 h ḣ; relu'' = 0.
    @inlinable func curvature(output h: Double, tangent hDot: Double) -> Double {
        switch self {
        case .tanh: return -2 * h * hDot
        case .relu: return 0
        }
    }
}

extension MLP {
    /// Forward pass with a tangent: the outputs c(x) and their directional derivatives
    /// D_u c(x) = (∂c/∂e) u along a direction u of the input's ``MLPInput/extra`` part e
    /// (forward-mode differentiation). Writes the hidden activations h and their tangents ḣ
    /// (concatenated, ``hiddenCount`` each), which ``accumulateDirectionalGradient(_:input:direction:hidden:tangent:valueCotangent:directionalCotangent:gradient:)`` reads.
    ///
    /// Layer by layer: aₗ = Wₗ hₗ₋₁ + bₗ, ȧₗ = Wₗ ḣₗ₋₁ (ḣ₀ = (0, u)), hₗ = σ(aₗ), ḣₗ = σ'(aₗ) ȧₗ;
    /// the linear output layer gives c = W_L h_{L−1} + b_L and D_u c = W_L ḣ_{L−1}.
    /// - Parameters:
    ///   - p: the parameters.
    ///   - input: the input (features and extra part).
    ///   - direction: u, as long as the extra part.
    ///   - output: receives c (output width).
    ///   - directional: receives D_u c (output width).
    ///   - hidden: receives h (``hiddenCount``).
    ///   - tangent: receives ḣ (``hiddenCount``).
    /// - Complexity: about twice a forward pass; allocates nothing.
    @usableFromInline func forward(_ p: UnsafeBufferPointer<Double>, input: MLPInput, direction u: UnsafeBufferPointer<Double>,
                        output: UnsafeMutableBufferPointer<Double>, directional: UnsafeMutableBufferPointer<Double>,
                        hidden: UnsafeMutableBufferPointer<Double>, tangent: UnsafeMutableBufferPointer<Double>) {
        precondition(input.count == widths[0] && u.count == input.extra.count, "MLP input or direction of the wrong length")
        let extraStart = input.features.count
        var inStart = 0, hStart = 0
        for l in 1..<widths.count {
            let nIn = widths[l - 1], nOut = widths[l], w = offsets[l - 1], b = w + nOut * nIn
            let last = l == widths.count - 1
            for o in 0..<nOut {
                var a = p[b + o], aDot = 0.0
                let row = w + o * nIn
                if l == 1 {
                    input.forEachNonZero { i, x in a += p[row + i] * x }
                    for i in u.indices { aDot += p[row + extraStart + i] * u[i] }
                } else {
                    for i in 0..<nIn {
                        a += p[row + i] * hidden[inStart + i]
                        aDot += p[row + i] * tangent[inStart + i]
                    }
                }
                if last {
                    output[o] = a
                    directional[o] = aDot
                } else {
                    let h = activation.apply(a)
                    hidden[hStart + o] = h
                    tangent[hStart + o] = activation.derivative(output: h) * aDot
                }
            }
            if l > 1 { inStart += nIn }
            if !last { hStart += nOut }
        }
    }

    /// Adds ∂/∂p [⟨α, c(x)⟩ + ⟨β, D_u c(x)⟩] to `gradient`: the parameter gradient of the
    /// outputs and of their directional derivative along u, i.e. the mixed second derivative
    /// ∂²c/∂p∂e contracted with u (reverse mode through the forward pass and its tangent).
    ///
    /// With λ and λ̇ the adjoints of a layer's activations h and tangents ḣ (at the output,
    /// the adjoints of c and D_u c are α and β), the adjoints of its pre-activations are
    /// μ̇ = λ̇ ⊙ σ'(a) and μ = λ ⊙ σ'(a) + λ̇ ⊙ σ''(a) ȧ; the layer's weights receive μ hᵀ + μ̇ ḣᵀ of
    /// its inputs, its biases μ, and the layer below λ = Wᵀμ, λ̇ = Wᵀμ̇.
    /// - Parameters:
    ///   - p: the parameters.
    ///   - input: the input of the forward pass.
    ///   - direction: u.
    ///   - hidden: h from ``forward(_:input:direction:output:directional:hidden:tangent:)``.
    ///   - tangent: ḣ from the same pass.
    ///   - valueCotangent: α (output width).
    ///   - directionalCotangent: β (output width).
    ///   - gradient: the accumulator (``parameterCount``).
    /// - Complexity: about twice a backward pass; allocates nothing (uses stack scratch).
    @usableFromInline func accumulateDirectionalGradient(_ p: UnsafeBufferPointer<Double>, input: MLPInput, direction u: UnsafeBufferPointer<Double>,
                                              hidden: UnsafeBufferPointer<Double>, tangent: UnsafeBufferPointer<Double>,
                                              valueCotangent alpha: UnsafeBufferPointer<Double>,
                                              directionalCotangent beta: UnsafeBufferPointer<Double>,
                                              gradient g: UnsafeMutableBufferPointer<Double>) {
        let width = layerWidth
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 4 * width) { s in
            var mu = UnsafeMutableBufferPointer(rebasing: s[0..<width])
            var muDot = UnsafeMutableBufferPointer(rebasing: s[width..<(2 * width)])
            var below = UnsafeMutableBufferPointer(rebasing: s[(2 * width)..<(3 * width)])
            var belowDot = UnsafeMutableBufferPointer(rebasing: s[(3 * width)..<(4 * width)])
            for o in 0..<widths.last! {
                mu[o] = alpha[o]
                muDot[o] = beta[o]
            }
            var hEnd = hiddenCount
            let extraStart = input.features.count
            for l in stride(from: widths.count - 1, through: 1, by: -1) {
                let nIn = widths[l - 1], nOut = widths[l], w = offsets[l - 1], b = w + nOut * nIn
                let inStart = hEnd - (l > 1 ? nIn : 0)
                if l > 1 { for i in 0..<nIn { below[i] = 0; belowDot[i] = 0 } }
                for o in 0..<nOut {
                    let d = mu[o], dDot = muDot[o], row = w + o * nIn
                    g[b + o] += d
                    if l == 1 {
                        input.forEachNonZero { i, x in g[row + i] += d * x }
                        for i in u.indices { g[row + extraStart + i] += dDot * u[i] }
                    } else {
                        for i in 0..<nIn {
                            g[row + i] += d * hidden[inStart + i] + dDot * tangent[inStart + i]
                            below[i] += d * p[row + i]
                            belowDot[i] += dDot * p[row + i]
                        }
                    }
                }
                if l > 1 {
                    for i in 0..<nIn {
                        let h = hidden[inStart + i], slope = activation.derivative(output: h)
                        below[i] = below[i] * slope + belowDot[i] * activation.curvature(output: h, tangent: tangent[inStart + i])
                        belowDot[i] *= slope
                    }
                    hEnd = inStart
                    swap(&mu, &below)
                    swap(&muDot, &belowDot)
                }
            }
        }
    }
}
