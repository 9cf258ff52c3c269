/// The Gumbel-softmax arithmetic on `Span`s, for estimators of a user's own (the library's
/// loops call the same functions on its buffers).
extension GumbelSoftmax {
    /// Draws g ~ Gumbel(0, 1)ⁿ from `rng`, writes z = logits + g into `perturbed` and returns
    /// argmax z (an exact sample of softmax(logits)).
    /// - Precondition: `perturbed` has as many values as `logits`, at least one.
    /// - Complexity: O(n); allocates nothing.
    public static func sampleArgmax(logits: Span<Double>, perturbed: inout MutableSpan<Double>,
                                    using rng: inout RandomStream) -> Int {
        precondition(!logits.isEmpty && perturbed.count == logits.count, "sampleArgmax: vectors of the wrong size")
        return logits.withUnsafeBufferPointer { l in
            perturbed.withUnsafeMutableBufferPointer { sampleArgmax(logits: l, perturbed: $0, using: &rng) }
        }
    }

    /// Writes y = softmax(z/τ) of perturbed logits z into `relaxed`.
    /// - Precondition: τ > 0; equal lengths.
    /// - Complexity: O(n); allocates nothing.
    public static func relax(perturbed z: Span<Double>, temperature tau: Double, into relaxed: inout MutableSpan<Double>) {
        precondition(tau > 0 && relaxed.count == z.count, "relax: tau > 0 and vectors of equal length")
        z.withUnsafeBufferPointer { zp in relaxed.withUnsafeMutableBufferPointer { relax(perturbed: zp, temperature: tau, into: $0) } }
    }

    /// Writes the one-hot vector e_index into `z`.
    /// - Precondition: `index` in range.
    public static func oneHot(_ index: Int, into z: inout MutableSpan<Double>) {
        precondition(index >= 0 && index < z.count, "oneHot: index out of range")
        z.withUnsafeMutableBufferPointer { oneHot(index, into: $0) }
    }

    /// Adds `scale` · (∂y/∂logits)ᵀ v = (scale/τ) y ⊙ (v − ⟨y, v⟩) to `out`: the logit
    /// cotangent of a cotangent v on the relaxed sample y = softmax((logits + g)/τ).
    /// - Precondition: τ > 0; equal lengths.
    /// - Complexity: O(n); allocates nothing.
    public static func accumulateBackward(relaxed y: Span<Double>, cotangent v: Span<Double>, temperature tau: Double,
                                          scale: Double, into out: inout MutableSpan<Double>) {
        precondition(tau > 0 && v.count == y.count && out.count == y.count, "accumulateBackward: vectors of the wrong size")
        y.withUnsafeBufferPointer { yp in
            v.withUnsafeBufferPointer { vp in
                out.withUnsafeMutableBufferPointer { accumulateBackward(relaxed: yp, cotangent: vp, temperature: tau, scale: scale, into: $0) }
            }
        }
    }
}

extension ConditionalGumbel {
    /// Draws z̃ ~ p(z | argmax z = b) for the logits θ (Tucker et al. 2017, appendix: the
    /// conditional Gumbel construction), its noise from `rng`, into `out`.
    /// - Precondition: `b` in range; equal lengths.
    /// - Complexity: O(n); allocates nothing.
    public static func sample(logits: Span<Double>, action b: Int, into out: inout MutableSpan<Double>,
                              using rng: inout RandomStream) {
        precondition(b >= 0 && b < logits.count && out.count == logits.count, "sample: action or vectors out of range")
        logits.withUnsafeBufferPointer { l in
            out.withUnsafeMutableBufferPointer { sample(logits: l, logNormaliser: logNormaliser(l), action: b, into: $0, using: &rng) }
        }
    }
}

extension Softmax {
    /// Writes log softmax(`logits`) into `out`, stably.
    /// - Precondition: equal lengths, at least one value.
    public static func logSoftmax(_ logits: Span<Double>, into out: inout MutableSpan<Double>) {
        precondition(!logits.isEmpty && out.count == logits.count, "logSoftmax: vectors of the wrong size")
        logits.withUnsafeBufferPointer { l in out.withUnsafeMutableBufferPointer { logSoftmax(l, into: $0) } }
    }

    /// Writes softmax(`logits`/τ) into `out`, stably.
    /// - Precondition: τ > 0; equal lengths, at least one value.
    public static func softmax(_ logits: Span<Double>, temperature tau: Double = 1, into out: inout MutableSpan<Double>) {
        precondition(tau > 0 && !logits.isEmpty && out.count == logits.count, "softmax: vectors of the wrong size")
        logits.withUnsafeBufferPointer { l in out.withUnsafeMutableBufferPointer { softmax(l, temperature: tau, into: $0) } }
    }
}
