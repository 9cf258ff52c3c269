import Foundation

/// Gumbel-perturbed logits conditioned on their argmax: a draw of z̃ ~ p(z | argmax z = b) for
/// z = θ + g, g ~ Gumbel(0, 1)ᴬ, reparameterised through the logits θ, with its Jacobian.
///
/// The maximum of θ + g is Gumbel with location log Z, Z = Σₖ exp θₖ, and independent of which
/// entry attains it; given the maximum T, each other entry is θₖ + gₖ truncated to lie below T.
/// From fresh Gumbel noise g (one value per entry, gₖ = −log(−log vₖ) for uniforms vₖ):
///
///     z̃_b = T = log Z + g_b,          z̃ₖ = −log(exp(−(θₖ + gₖ)) + exp(−T))   (k ≠ b),
///
/// which is Tucker et al.'s categorical construction (with θ normalised, log Z = 0:
/// z̃ₖ = −log(−log vₖ / πₖ − log v_b)). Tucker, Mnih, Maddison, Lawson & Sohl-Dickstein,
/// "REBAR: Low-variance, unbiased gradient estimates for discrete latent variable models",
/// NeurIPS 2017, appendix; Grathwohl et al., "Backpropagation through the Void", ICLR 2018,
/// appendix B; Maddison, Tarlow & Minka, "A* Sampling", NeurIPS 2014 (truncated Gumbels).
///
/// With the noise g held fixed, the Jacobian follows from ∂T/∂θⱼ = πⱼ (π = softmax θ) and,
/// for k ≠ b, with qₖ = exp(−(θₖ + gₖ)) / (exp(−(θₖ + gₖ)) + exp(−T)), so that 1 − qₖ = exp(z̃ₖ − T):
///
///     ∂z̃_b/∂θⱼ = πⱼ,          ∂z̃ₖ/∂θⱼ = δₖⱼ qₖ + (1 − qₖ) πⱼ.
///
/// Every row sums to one: a common shift of the logits shifts z̃ by the same amount, so a
/// function of softmax(z̃/τ) does not depend on the shift, and its logit cotangent sums to zero.
///
/// Every function works on buffers the caller owns and allocates nothing.
public enum ConditionalGumbel {
    // MARK: Sampling

    /// log Z = log Σₖ exp θₖ, computed stably (0 up to rounding when θ = log π).
    /// - Parameter logits: θ, not empty.
    /// - Returns: log Σₖ exp θₖ.
    /// - Complexity: O(n); allocates nothing.
    @inlinable
    static func logNormaliser(_ logits: UnsafeBufferPointer<Double>) -> Double {
        precondition(!logits.isEmpty, "logNormaliser of an empty buffer")
        var m = -Double.infinity
        for x in logits where x > m { m = x }
        var sum = 0.0
        for x in logits { sum += Foundation.exp(x - m) }
        return m + Foundation.log(sum)
    }

    /// Writes z̃ ~ p(z | argmax z = b) for given Gumbel noise g (the reparameterisation
    /// z̃(θ, g, b) with the noise held fixed, as in a finite-difference check).
    /// - Parameters:
    ///   - logits: θ (any shift).
    ///   - logNormaliser: log Σₖ exp θₖ (``logNormaliser(_:)``).
    ///   - action: b, the entry that must be the largest.
    ///   - noise: g, one standard Gumbel value per entry.
    ///   - out: receives z̃ (same length); must not alias `logits` or `noise`.
    /// - Precondition: equal lengths; 0 ≤ b < n.
    /// - Complexity: O(n); allocates nothing.
    @inlinable
    static func sample(logits: UnsafeBufferPointer<Double>, logNormaliser: Double, action b: Int,
                              noise: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(noise.count == logits.count && out.count == logits.count && logits.indices.contains(b),
                     "ConditionalGumbel.sample: buffers of the wrong size or action out of range")
        let top = logNormaliser + noise[b]
        for k in logits.indices {
            out[k] = k == b ? top : truncated(logits[k] + noise[k], below: top)
        }
    }

    /// Draws z̃ ~ p(z | argmax z = b), its noise g from `rng` (n Gumbel draws, in index order).
    /// - Parameters:
    ///   - logits: θ (any shift).
    ///   - logNormaliser: log Σₖ exp θₖ.
    ///   - action: b.
    ///   - out: receives z̃ (same length); must not alias `logits`.
    ///   - rng: the stream the noise is drawn from.
    /// - Complexity: O(n); allocates nothing.
    @inlinable
    static func sample(logits: UnsafeBufferPointer<Double>, logNormaliser: Double, action b: Int,
                              into out: UnsafeMutableBufferPointer<Double>, using rng: inout RandomStream) {
        precondition(out.count == logits.count && logits.indices.contains(b),
                     "ConditionalGumbel.sample: buffers of the wrong size or action out of range")
        var top = 0.0
        for k in logits.indices {
            let g = rng.nextGumbel()
            out[k] = logits[k] + g
            if k == b { top = logNormaliser + g }
        }
        for k in logits.indices { out[k] = k == b ? top : truncated(out[k], below: top) }
    }

    /// −log(exp(−m) + exp(−T)): the Gumbel value m truncated to lie below T, kept strictly
    /// below T so that the argmax is b even where the difference underflows.
    /// - Complexity: O(1).
    @inlinable
    public static func truncated(_ m: Double, below top: Double) -> Double {
        let value = Swift.min(m, top) - Foundation.log1p(Foundation.exp(-Swift.abs(m - top)))
        return value < top ? value : top.nextDown
    }

    // MARK: Derivatives

    /// Adds `scale` · (∂z̃/∂θ)ᵀ u to `out`: the logit cotangent of a cotangent u on z̃,
    ///
    ///     out_j += scale · ([j ≠ b] qⱼ uⱼ + πⱼ (u_b + Σ_{k≠b} (1 − qₖ) uₖ)),   1 − qₖ = exp(z̃ₖ − z̃_b).
    ///
    /// - Parameters:
    ///   - conditional: z̃ (from ``sample(logits:logNormaliser:action:noise:into:)``).
    ///   - probabilities: π = softmax θ.
    ///   - action: b.
    ///   - cotangent: u, the cotangent on z̃.
    ///   - scale: the weight of this term.
    ///   - out: the accumulator (same length); must not alias the others.
    /// - Precondition: equal lengths.
    /// - Complexity: O(n); allocates nothing.
    @inlinable
    static func accumulateBackward(conditional z: UnsafeBufferPointer<Double>, probabilities p: UnsafeBufferPointer<Double>,
                                          action b: Int, cotangent u: UnsafeBufferPointer<Double>, scale: Double,
                                          into out: UnsafeMutableBufferPointer<Double>) {
        precondition(p.count == z.count && u.count == z.count && out.count == z.count, "accumulateBackward: wrong sizes")
        let top = z[b]
        var shared = u[b]
        for k in z.indices where k != b {
            let rest = Foundation.exp(z[k] - top)
            shared += rest * u[k]
            out[k] += scale * (1 - rest) * u[k]
        }
        for j in z.indices { out[j] += scale * p[j] * shared }
    }

    /// Writes (∂z̃/∂θ) v, the tangent of z̃ along a logit direction v:
    /// δz̃_b = ⟨π, v⟩ and δz̃ₖ = qₖ vₖ + (1 − qₖ) ⟨π, v⟩ for k ≠ b.
    /// - Parameters:
    ///   - conditional: z̃.
    ///   - probabilities: π = softmax θ.
    ///   - action: b.
    ///   - direction: v, a logit direction.
    ///   - out: receives δz̃ (same length); must not alias the others.
    /// - Precondition: equal lengths.
    /// - Complexity: O(n); allocates nothing.
    @inlinable
    static func tangent(conditional z: UnsafeBufferPointer<Double>, probabilities p: UnsafeBufferPointer<Double>,
                               action b: Int, direction v: UnsafeBufferPointer<Double>,
                               into out: UnsafeMutableBufferPointer<Double>) {
        precondition(p.count == z.count && v.count == z.count && out.count == z.count, "tangent: wrong sizes")
        var mean = 0.0
        for k in z.indices { mean += p[k] * v[k] }
        let top = z[b]
        for k in z.indices {
            if k == b {
                out[k] = mean
            } else {
                let rest = Foundation.exp(z[k] - top)
                out[k] = (1 - rest) * v[k] + rest * mean
            }
        }
    }
}
