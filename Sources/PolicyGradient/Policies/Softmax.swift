import Foundation

/// Numerically stable softmax helpers on raw buffers.
public enum Softmax {
    /// Writes log softmax(`logits`) into `out`: out_k = z_k − max z − log Σ exp(z_j − max z).
    /// `out` may alias `logits`.
    /// - Complexity: O(n); allocates nothing.
    @inlinable
    static func logSoftmax(_ logits: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        var m = -Double.infinity
        for z in logits where z > m { m = z }
        var sum = 0.0
        for z in logits { sum += exp(z - m) }
        let lse = m + log(sum)
        for k in logits.indices { out[k] = logits[k] - lse }
    }

    /// Writes softmax(`logits` / τ) into `out` (τ = 1 by default). `out` may alias `logits`.
    /// Stable for any τ > 0 and any finite logits: the largest term is exp(0) = 1.
    /// - Complexity: O(n); allocates nothing.
    @inlinable
    static func softmax(_ logits: UnsafeBufferPointer<Double>, temperature tau: Double = 1,
                               into out: UnsafeMutableBufferPointer<Double>) {
        var m = -Double.infinity
        for z in logits where z > m { m = z }
        var sum = 0.0
        for k in logits.indices {
            let e = exp((logits[k] - m) / tau)
            out[k] = e
            sum += e
        }
        let inv = 1 / sum
        for k in logits.indices { out[k] *= inv }
    }

    /// Entropy −Σ p log p of the distribution with log-probabilities `logp`.
    @inlinable
    static func entropy(logProbabilities logp: UnsafeBufferPointer<Double>) -> Double {
        var h = 0.0
        for l in logp where l > -Double.infinity { h -= exp(l) * l }
        return h
    }
}
