import Foundation

/// The Gumbel-max trick and its Gumbel-softmax / Concrete relaxation, on raw buffers.
///
/// With gₖ ~ Gumbel(0, 1) i.i.d., argmaxₖ(logitsₖ + gₖ) is an exact sample of
/// softmax(logits), and y = softmax((logits + g)/τ) is its continuous relaxation on the
/// simplex: a draw from the Concrete distribution with location αₖ = exp(logitsₖ) and
/// temperature λ = τ. As τ → 0, y tends to the one-hot argmax; as τ → ∞, to the centre.
///
/// Jang, Gu & Poole, "Categorical Reparameterization with Gumbel-Softmax", ICLR 2017;
/// Maddison, Mnih & Teh, "The Concrete Distribution: A Continuous Relaxation of Discrete
/// Random Variables", ICLR 2017.
///
/// Every function works on buffers the caller owns and allocates nothing. A temperature
/// τ ≤ 0 (or not finite) is a programmer error and stops with a precondition failure; the
/// command line checks `--tau` separately and reports bad values as input errors.
public enum GumbelSoftmax {
    // MARK: Sampling

    /// Draws g ~ Gumbel(0, 1)ⁿ, writes the perturbed logits logitsₖ + gₖ and returns
    /// argmaxₖ(logitsₖ + gₖ), an exact sample of softmax(logits) (the Gumbel-max trick).
    ///
    /// The noise is drawn in index order, one uniform per entry, and transformed by the vector
    /// logs of ``FastMath/fillGumbel(_:using:)`` (each gₖ within a few ulp of
    /// ``RandomStream/nextGumbel()``); ties go to the lowest index.
    /// Gumbel, "Statistical Theory of Extreme Values", 1954; Maddison, Tarlow & Minka,
    /// "A* Sampling", NeurIPS 2014.
    /// - Parameters:
    ///   - logits: the unnormalised log-probabilities (log π works too: the shift cancels).
    ///   - perturbed: receives logits + g; same length as `logits`, must not alias it.
    ///   - rng: the stream the noise is drawn from (n draws).
    /// - Returns: the sampled index.
    /// - Precondition: `logits` is not empty and `perturbed` has the same length.
    /// - Complexity: O(n); allocates nothing.
    @inlinable
    static func sampleArgmax(logits: UnsafeBufferPointer<Double>, perturbed: UnsafeMutableBufferPointer<Double>,
                                    using rng: inout RandomStream) -> Int {
        precondition(!logits.isEmpty && perturbed.count == logits.count, "sampleArgmax: buffers of the wrong size")
        FastMath.fillGumbel(perturbed, using: &rng)
        var best = 0
        for k in logits.indices {
            perturbed[k] += logits[k]
            if perturbed[k] > perturbed[best] { best = k }
        }
        return best
    }

    /// The index of the largest entry (ties go to the lowest index): the Gumbel-max sample
    /// argmaxₖ(logitsₖ + gₖ) when given perturbed logits, and argmaxₖ yₖ of the relaxation.
    /// - Parameter values: a non-empty buffer.
    /// - Returns: the index of the largest value.
    /// - Complexity: O(n); allocates nothing.
    @inlinable
    static func argmax(_ values: UnsafeBufferPointer<Double>) -> Int {
        precondition(!values.isEmpty, "argmax of an empty buffer")
        var best = 0
        for k in values.indices where values[k] > values[best] { best = k }
        return best
    }

    // MARK: Relaxation

    /// Writes the relaxed sample y = softmax(perturbed/τ), yₖ = exp((zₖ − max z)/τ) / Σⱼ exp((zⱼ − max z)/τ),
    /// for perturbed logits z = logits + g (Jang et al. 2017, eq. 2; Maddison et al. 2017), with
    /// the vector exp of ``FastMath/softmax(_:temperature:into:)``.
    ///
    /// Safe for any τ > 0 and finite z: the largest term is exp(0) = 1, so the sum lies in
    /// [1, n] and the others underflow to 0 rather than overflow (no NaN or ∞ at τ = 10⁻³ or
    /// τ = 100 with |z| ≈ 50).
    /// - Parameters:
    ///   - perturbed: z = logits + g.
    ///   - tau: the temperature τ > 0.
    ///   - y: receives y (same length); may alias `perturbed`.
    /// - Precondition: τ > 0 and finite; equal lengths.
    /// - Complexity: O(n); allocates nothing.
    @inlinable
    static func relax(perturbed: UnsafeBufferPointer<Double>, temperature tau: Double,
                             into y: UnsafeMutableBufferPointer<Double>) {
        precondition(tau > 0 && tau.isFinite, "the Gumbel-softmax temperature must be > 0, got \(tau)")
        precondition(y.count == perturbed.count && !y.isEmpty, "relax: buffers of the wrong size")
        FastMath.softmax(perturbed, temperature: tau, into: y)
    }

    /// Writes y = softmax((logits + g)/τ) for given noise g (the reparameterisation
    /// y(φ, g) with the noise held fixed, as in a finite-difference check).
    /// - Parameters:
    ///   - logits: logits(φ).
    ///   - noise: g, one Gumbel value per entry.
    ///   - tau: the temperature τ > 0.
    ///   - y: receives y (same length); may alias `logits` or `noise`.
    /// - Precondition: τ > 0 and finite; equal lengths.
    /// - Complexity: O(n); allocates nothing.
    @inlinable
    static func relax(logits: UnsafeBufferPointer<Double>, noise: UnsafeBufferPointer<Double>,
                             temperature tau: Double, into y: UnsafeMutableBufferPointer<Double>) {
        precondition(noise.count == logits.count && y.count == logits.count, "relax: buffers of the wrong size")
        for k in logits.indices { y[k] = logits[k] + noise[k] }
        relax(perturbed: UnsafeBufferPointer(y), temperature: tau, into: y)
    }

    /// Writes the one-hot vector z = e_index (the straight-through forward value onehot(argmax y)).
    /// - Parameters:
    ///   - index: the hot entry.
    ///   - z: receives z.
    /// - Precondition: 0 ≤ index < z.count.
    /// - Complexity: O(n); allocates nothing.
    @inlinable
    static func oneHot(_ index: Int, into z: UnsafeMutableBufferPointer<Double>) {
        precondition(z.indices.contains(index), "oneHot: index \(index) out of range 0..<\(z.count)")
        for k in z.indices { z[k] = k == index ? 1 : 0 }
    }

    // MARK: Backward pass

    /// Writes the vector–Jacobian product of the relaxation,
    /// (∂y/∂logits)ᵀ v = (1/τ) y ⊙ (v − ⟨y, v⟩), for y = softmax((logits + g)/τ).
    ///
    /// With v = ∇_y f(y) this is the Gumbel-softmax gradient on the logits (Jang et al. 2017);
    /// with v = ∇_z f(z) at the hard sample z it is the straight-through one (Bengio, Léonard
    /// & Courville, "Estimating or Propagating Gradients Through Stochastic Neurons", 2013).
    /// The result sums to zero, so it is unchanged by a shift of the logits (log π or logits).
    /// - Parameters:
    ///   - y: the relaxed sample.
    ///   - v: the cotangent on y.
    ///   - tau: the temperature τ > 0 used to form y.
    ///   - out: receives the logit cotangent (same length); must not alias `y` or `v`.
    /// - Precondition: τ > 0 and finite; equal lengths.
    /// - Complexity: O(n); allocates nothing.
    @inlinable
    static func backward(relaxed y: UnsafeBufferPointer<Double>, cotangent v: UnsafeBufferPointer<Double>,
                                temperature tau: Double, into out: UnsafeMutableBufferPointer<Double>) {
        for k in out.indices { out[k] = 0 }
        accumulateBackward(relaxed: y, cotangent: v, temperature: tau, scale: 1, into: out)
    }

    /// Adds `scale` · (∂y/∂logits)ᵀ v = (scale/τ) y ⊙ (v − ⟨y, v⟩) to `out` (see
    /// ``backward(relaxed:cotangent:temperature:into:)``); the rollout uses it to add each
    /// step's γᵗ/N-weighted term to the batch's logit cotangents.
    /// - Parameters:
    ///   - y: the relaxed sample.
    ///   - v: the cotangent on y.
    ///   - tau: the temperature τ > 0 used to form y.
    ///   - scale: the weight of this term.
    ///   - out: the accumulator (same length); must not alias `y` or `v`.
    /// - Precondition: τ > 0 and finite; equal lengths.
    /// - Complexity: O(n); allocates nothing.
    @inlinable
    static func accumulateBackward(relaxed y: UnsafeBufferPointer<Double>, cotangent v: UnsafeBufferPointer<Double>,
                                          temperature tau: Double, scale: Double,
                                          into out: UnsafeMutableBufferPointer<Double>) {
        precondition(tau > 0 && tau.isFinite, "the Gumbel-softmax temperature must be > 0, got \(tau)")
        precondition(v.count == y.count && out.count == y.count, "backward: buffers of the wrong size")
        var dot = 0.0
        for k in y.indices { dot += y[k] * v[k] }
        let c = scale / tau
        for k in y.indices { out[k] += c * y[k] * (v[k] - dot) }
    }

    // MARK: Density

    /// log p_{α,λ}(y), the log-density of the Concrete distribution at a point y of the open
    /// simplex, with location αₖ = exp(logitsₖ) and temperature λ = τ
    /// (Maddison, Mnih & Teh, "The Concrete Distribution", ICLR 2017, Definition 1):
    ///
    ///     log p = log((n−1)!) + (n−1) log λ + Σₖ (log αₖ − (λ+1) log yₖ) − n log Σₖ αₖ yₖ^(−λ).
    ///
    /// It is the density of (y₁, …, y_{n−1}) with respect to Lebesgue measure (yₙ = 1 − Σ the
    /// others), i.e. of y = softmax((logits + g)/τ). The last term is computed as
    /// n · logsumexpₖ(logitsₖ − λ log yₖ), so nothing overflows for small λ or tiny yₖ, and the
    /// result is unchanged by a common shift of the logits.
    /// - Parameters:
    ///   - y: a point with every yₖ > 0 (summing to 1).
    ///   - logits: log α (any shift).
    ///   - tau: the temperature λ = τ > 0.
    /// - Returns: the log-density (finite).
    /// - Precondition: τ > 0 and finite; at least two entries; equal lengths; every yₖ > 0.
    /// - Complexity: O(n); allocates nothing.
    @inlinable
    static func logDensity(of y: UnsafeBufferPointer<Double>, logits: UnsafeBufferPointer<Double>,
                                  temperature tau: Double) -> Double {
        precondition(tau > 0 && tau.isFinite, "the Concrete temperature must be > 0, got \(tau)")
        precondition(y.count >= 2 && logits.count == y.count, "logDensity: buffers of the wrong size")
        let n = Double(y.count)
        var linear = 0.0, m = -Double.infinity
        for k in y.indices {
            precondition(y[k] > 0, "logDensity: y must lie in the open simplex")
            let ly = Foundation.log(y[k])
            linear += logits[k] - (tau + 1) * ly
            m = Swift.max(m, logits[k] - tau * ly)
        }
        var sum = 0.0
        for k in y.indices { sum += Foundation.exp(logits[k] - tau * Foundation.log(y[k]) - m) }
        return Foundation.lgamma(n) + (n - 1) * Foundation.log(tau) + linear - n * (m + Foundation.log(sum))
    }
}
