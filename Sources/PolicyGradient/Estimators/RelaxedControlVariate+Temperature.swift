/// The exact derivative in log τ of REBAR's η-part at one step, for a reward with a
/// Hessian–vector product (``TwiceDifferentiableReward``):
///
///     B = J_xᵀ∇f(x) − J̃ᵀ∇f(x̃) − f(x̃) (e_b − π),   x = σ_τ(z), x̃ = σ_τ(z̃),
///
/// with z and z̃ independent of τ. With K(x) w = (1/τ)(x ⊙ w − x⟨x, w⟩) (the softmax Jacobian
/// of σ_τ, symmetric) and ẋ = dx/dlog τ = −K(x) z:
///
///     d/dlog τ [K(x) ∇f(x)] = K(x)(∇²f(x) ẋ − ∇f(x)) + (1/τ)(ẋ ⊙ ∇f − ẋ⟨x, ∇f⟩ − x⟨ẋ, ∇f⟩),
///
/// the same at x̃ taken back through the conditional draw's Jacobian (which does not depend on
/// τ), and d f(x̃)/dlog τ = ⟨∇f(x̃), ẋ̃⟩. Tucker et al., "REBAR", NeurIPS 2017, §3.3 (τ adapted
/// by the gradient of the variance).
extension RelaxedControlVariate {
    /// Writes ẋ = dσ_τ(z)/dlog τ = −(1/τ)(x ⊙ z − x⟨x, z⟩).
    /// - Complexity: O(A); allocates nothing.
    @inlinable
    static func temperatureTangent(relaxed x: UnsafeBufferPointer<Double>, perturbed z: UnsafeBufferPointer<Double>,
                                   temperature tau: Double, into xDot: UnsafeMutableBufferPointer<Double>) {
        var mean = 0.0
        for k in x.indices { mean += x[k] * z[k] }
        for k in x.indices { xDot[k] = -x[k] * (z[k] - mean) / tau }
    }

    /// Writes d/dlog τ [K(x) v] for v = ∇f(x), given ẋ and h = ∇²f(x) ẋ.
    /// - Complexity: O(A); allocates nothing.
    @inlinable
    static func pathwiseTemperatureDerivative(relaxed x: UnsafeBufferPointer<Double>, tangent xDot: UnsafeBufferPointer<Double>,
                                              cotangent v: UnsafeBufferPointer<Double>, hessianTangent h: UnsafeBufferPointer<Double>,
                                              temperature tau: Double, into out: UnsafeMutableBufferPointer<Double>) {
        var xw = 0.0, xv = 0.0, dv = 0.0
        for k in x.indices {
            xw += x[k] * (h[k] - v[k])
            xv += x[k] * v[k]
            dv += xDot[k] * v[k]
        }
        for k in x.indices {
            out[k] = (x[k] * (h[k] - v[k] - xw) + xDot[k] * (v[k] - xv) - x[k] * dv) / tau
        }
    }

    /// Writes dB/dlog τ's pathwise row into `row` and returns d f(x̃)/dlog τ (after the step's
    /// relaxed pair and the gradients v = ∇f(x), ṽ = ∇f(x̃) were computed at τ).
    /// - Parameters:
    ///   - reward: f, with ``RelaxedReward/hasHessian``.
    ///   - state: s.
    ///   - z: the recorded perturbed logits.
    ///   - x: σ_τ(z).
    ///   - v: ∇f(x).
    ///   - zTilde: z̃.
    ///   - xTilde: σ_τ(z̃).
    ///   - vTilde: ∇f(x̃).
    ///   - probabilities: π.
    ///   - action: b.
    ///   - tau: τ.
    ///   - scratch: three A-vectors of scratch.
    ///   - row: receives the row; must not alias the others.
    /// - Complexity: O(A) plus two Hessian–vector products; allocates nothing.
    @inlinable
    static func temperatureDerivative(reward: RelaxedReward, state s: Int, perturbed z: UnsafeBufferPointer<Double>,
                                      relaxed x: UnsafeBufferPointer<Double>, cotangent v: UnsafeBufferPointer<Double>,
                                      conditional zTilde: UnsafeBufferPointer<Double>, relaxedConditional xTilde: UnsafeBufferPointer<Double>,
                                      conditionalCotangent vTilde: UnsafeBufferPointer<Double>, probabilities p: UnsafeBufferPointer<Double>,
                                      action b: Int, temperature tau: Double,
                                      scratch: (UnsafeMutableBufferPointer<Double>, UnsafeMutableBufferPointer<Double>, UnsafeMutableBufferPointer<Double>),
                                      into row: UnsafeMutableBufferPointer<Double>) -> Double {
        let (xDot, h, conditionalRow) = scratch
        temperatureTangent(relaxed: x, perturbed: z, temperature: tau, into: xDot)
        reward.hessianProduct(state: s, at: x, direction: UnsafeBufferPointer(xDot), into: h)
        pathwiseTemperatureDerivative(relaxed: x, tangent: UnsafeBufferPointer(xDot), cotangent: v, hessianTangent: UnsafeBufferPointer(h),
                                      temperature: tau, into: row)
        temperatureTangent(relaxed: xTilde, perturbed: zTilde, temperature: tau, into: xDot)
        reward.hessianProduct(state: s, at: xTilde, direction: UnsafeBufferPointer(xDot), into: h)
        pathwiseTemperatureDerivative(relaxed: xTilde, tangent: UnsafeBufferPointer(xDot), cotangent: vTilde,
                                      hessianTangent: UnsafeBufferPointer(h), temperature: tau, into: conditionalRow)
        ConditionalGumbel.accumulateBackward(conditional: zTilde, probabilities: p, action: b,
                                             cotangent: UnsafeBufferPointer(conditionalRow), scale: -1, into: row)
        var fDot = 0.0
        for k in x.indices { fDot += vTilde[k] * xDot[k] }
        return fDot
    }
}
