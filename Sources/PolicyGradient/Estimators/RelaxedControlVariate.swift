/// What REBAR and RELAX share at one step: the relaxed pair x = σ_τ(z), x̃ = σ_τ(z̃) of the
/// recorded Gumbel-perturbed logits z = θ + g (b = argmax z the executed action) and of a
/// conditional draw z̃ ~ p(z | b), and the pathwise logit row of a control variate c evaluated
/// at both, J_xᵀ ∇c(x) − J̃ᵀ ∇c(x̃), where σ_τ(z) = softmax(z/τ), J_x = ∂σ_τ(θ + g)/∂θ with g
/// fixed and J̃ = ∂σ_τ(z̃(θ, g̃, b))/∂θ with the conditional noise g̃ fixed (``ConditionalGumbel``).
///
/// Tucker et al., "REBAR", NeurIPS 2017, eq. (3)–(5); Grathwohl et al., "Backpropagation through
/// the Void", ICLR 2018, §3.3. The softmax Jacobian (1/τ)(diag x − x xᵀ) is symmetric, so one
/// routine (``GumbelSoftmax/accumulateBackward(relaxed:cotangent:temperature:scale:into:)``)
/// gives both its vector–Jacobian and Jacobian–vector products.
public enum RelaxedControlVariate {
    /// Writes x = σ_τ(z), z̃ ~ p(z | b) with its noise drawn from `rng`, and x̃ = σ_τ(z̃).
    /// - Parameters:
    ///   - z: the recorded perturbed logits (argmax b).
    ///   - logits: θ of the step's state (log π works: only differences matter).
    ///   - action: b.
    ///   - tau: τ > 0.
    ///   - x: receives σ_τ(z).
    ///   - conditional: receives z̃.
    ///   - relaxedConditional: receives σ_τ(z̃).
    ///   - rng: the step's own stream (``EpisodeGroup/noise(episode:step:)``).
    /// - Complexity: O(A); allocates nothing.
    @inlinable
    static func relaxedPair(perturbed z: UnsafeBufferPointer<Double>, logits: UnsafeBufferPointer<Double>, action b: Int,
                                   temperature tau: Double, relaxed x: UnsafeMutableBufferPointer<Double>,
                                   conditional zTilde: UnsafeMutableBufferPointer<Double>,
                                   relaxedConditional xTilde: UnsafeMutableBufferPointer<Double>, using rng: inout RandomStream) {
        GumbelSoftmax.relax(perturbed: z, temperature: tau, into: x)
        ConditionalGumbel.sample(logits: logits, logNormaliser: ConditionalGumbel.logNormaliser(logits), action: b,
                                 into: zTilde, using: &rng)
        GumbelSoftmax.relax(perturbed: UnsafeBufferPointer(zTilde), temperature: tau, into: xTilde)
    }

    /// Writes the pathwise logit row J_xᵀ v − J̃ᵀ ṽ for cotangents v = ∇c(x) and ṽ = ∇c(x̃).
    /// - Parameters:
    ///   - x: σ_τ(z).
    ///   - v: ∇c at x.
    ///   - zTilde: z̃.
    ///   - xTilde: σ_τ(z̃).
    ///   - vTilde: ∇c at x̃.
    ///   - probabilities: π = softmax θ.
    ///   - action: b.
    ///   - tau: τ.
    ///   - scratch: A values of scratch.
    ///   - row: receives the row (length A); must not alias the others.
    /// - Complexity: O(A); allocates nothing.
    @inlinable
    static func pathwise(relaxed x: UnsafeBufferPointer<Double>, cotangent v: UnsafeBufferPointer<Double>,
                                conditional zTilde: UnsafeBufferPointer<Double>, relaxedConditional xTilde: UnsafeBufferPointer<Double>,
                                conditionalCotangent vTilde: UnsafeBufferPointer<Double>, probabilities: UnsafeBufferPointer<Double>,
                                action b: Int, temperature tau: Double, scratch: UnsafeMutableBufferPointer<Double>,
                                into row: UnsafeMutableBufferPointer<Double>) {
        GumbelSoftmax.backward(relaxed: x, cotangent: v, temperature: tau, into: row)
        GumbelSoftmax.backward(relaxed: xTilde, cotangent: vTilde, temperature: tau, into: scratch)
        ConditionalGumbel.accumulateBackward(conditional: zTilde, probabilities: probabilities, action: b,
                                             cotangent: UnsafeBufferPointer(scratch), scale: -1, into: row)
    }

    /// Writes the tangents u = J_x d and ũ = J̃ d of x and x̃ along a logit direction d (what the
    /// mixed derivative of RELAX's variance gradient contracts ∂²c/∂ψ∂x with).
    /// - Parameters:
    ///   - direction: d.
    ///   - x: σ_τ(z).
    ///   - zTilde: z̃.
    ///   - xTilde: σ_τ(z̃).
    ///   - probabilities: π.
    ///   - action: b.
    ///   - tau: τ.
    ///   - scratch: A values of scratch.
    ///   - u: receives J_x d.
    ///   - uTilde: receives J̃ d.
    /// - Complexity: O(A); allocates nothing.
    @inlinable
    static func tangents(direction d: UnsafeBufferPointer<Double>, relaxed x: UnsafeBufferPointer<Double>,
                                conditional zTilde: UnsafeBufferPointer<Double>, relaxedConditional xTilde: UnsafeBufferPointer<Double>,
                                probabilities: UnsafeBufferPointer<Double>, action b: Int, temperature tau: Double,
                                scratch: UnsafeMutableBufferPointer<Double>, u: UnsafeMutableBufferPointer<Double>,
                                uTilde: UnsafeMutableBufferPointer<Double>) {
        GumbelSoftmax.backward(relaxed: x, cotangent: d, temperature: tau, into: u)
        ConditionalGumbel.tangent(conditional: zTilde, probabilities: probabilities, action: b, direction: d, into: scratch)
        GumbelSoftmax.backward(relaxed: xTilde, cotangent: UnsafeBufferPointer(scratch), temperature: tau, into: uTilde)
    }

    /// Writes the logit row ∇_θ c(z) − ∇_θ c(z̃) of a function c of the perturbed logits
    /// themselves (RELAX's r_ρ(z)), for cotangents v = ∇c(z) and ṽ = ∇c(z̃): with z = log π + g,
    /// ∂z/∂θ = I − 1πᵀ, so the row is P(v − (∂z̃/∂ℓ)ᵀ ṽ), ℓ = log π, P = I − π1ᵀ.
    /// - Parameters:
    ///   - v: ∇c at z.
    ///   - zTilde: z̃.
    ///   - vTilde: ∇c at z̃.
    ///   - probabilities: π.
    ///   - action: b.
    ///   - row: receives the row (length A); must not alias the others.
    /// - Complexity: O(A); allocates nothing.
    @inlinable
    static func logitPathwise(cotangent v: UnsafeBufferPointer<Double>, conditional zTilde: UnsafeBufferPointer<Double>,
                              conditionalCotangent vTilde: UnsafeBufferPointer<Double>, probabilities p: UnsafeBufferPointer<Double>,
                              action b: Int, into row: UnsafeMutableBufferPointer<Double>) {
        for k in row.indices { row[k] = v[k] }
        ConditionalGumbel.accumulateBackward(conditional: zTilde, probabilities: p, action: b, cotangent: vTilde, scale: -1, into: row)
        var total = 0.0
        for k in row.indices { total += row[k] }
        for k in row.indices { row[k] -= p[k] * total }
    }

    /// Writes the tangents u = J d and ũ = J̃ d of z and z̃ along a logit direction d, for a
    /// control variate of the logits themselves: J d = d − ⟨π, d⟩1 (z = log π + g) and
    /// J̃ d = (∂z̃/∂ℓ)(J d).
    /// - Complexity: O(A); allocates nothing.
    @inlinable
    static func logitTangents(direction d: UnsafeBufferPointer<Double>, conditional zTilde: UnsafeBufferPointer<Double>,
                              probabilities p: UnsafeBufferPointer<Double>, action b: Int,
                              u: UnsafeMutableBufferPointer<Double>, uTilde: UnsafeMutableBufferPointer<Double>) {
        var mean = 0.0
        for k in d.indices { mean += p[k] * d[k] }
        for k in d.indices { u[k] = d[k] - mean }
        ConditionalGumbel.tangent(conditional: zTilde, probabilities: p, action: b, direction: UnsafeBufferPointer(u), into: uTilde)
    }

    /// ⟨d, e_b − π⟩ = d_b − ⟨d, π⟩: a logit row's component along the score ∇ log π(b).
    /// - Complexity: O(A); allocates nothing.
    @inlinable
    static func scoreComponent(_ d: UnsafeBufferPointer<Double>, action b: Int, probabilities p: UnsafeBufferPointer<Double>) -> Double {
        var mean = 0.0
        for k in d.indices { mean += d[k] * p[k] }
        return d[b] - mean
    }
}
