/// The weights of the unordered set estimator (Kool, van Hoof & Welling, "Estimating Gradients
/// for Discrete Random Variables by Sampling without Replacement", ICLR 2020) for a sample S of
/// k distinct categories drawn without replacement from p (Gumbel-top-k):
///
/// * R(S, s) = p^{D∖s}(S ∖ s) / p(S), the leave-one-out ratio, and
/// * R^{D∖s}(S, s′) = p^{D∖{s,s′}}(S ∖ {s, s′}) / p^{D∖s}(S ∖ s) for s′ ≠ s, 1 for s′ = s,
///
/// with p^{D∖R}(T) the probability that |T| draws without replacement from p renormalised
/// outside R give the set T (in any order). All of them are values of one function of the
/// subsets U ⊆ S, F(U) = p^{D∖U}(S ∖ U), the probability of drawing the rest of S once U has
/// been drawn: F(S) = 1 and F(U) = Σ_{v ∈ S∖U} (p_v / m(U)) F(U ∪ {v}) with m(U) = 1 − p(U) the
/// mass left, so that p(S) = F(∅), p^{D∖s}(S ∖ s) = F({s}) and p^{D∖{s,s′}}(S ∖ {s,s′}) = F({s,s′}).
/// The mass left is summed from the categories outside S and those of S∖U (never 1 − p(U)),
/// so that it keeps its precision when S holds almost all the mass.
public enum UnorderedSetWeights {
    /// The most categories in a set (2¹⁶ subsets).
    public static let maximumSetSize = 16

    /// Writes F(U) for every subset U of the k categories (bit i of the index: category i is in
    /// U) into `f` (2^k values).
    /// - Parameters:
    ///   - p: the k probabilities p_s of the categories in S.
    ///   - outside: Σ of the probabilities of the categories not in S.
    /// - Complexity: O(k · 2^k); allocates nothing.
    static func fillRemainders(probabilities p: UnsafeBufferPointer<Double>, outside: Double,
                                      into f: UnsafeMutableBufferPointer<Double>) {
        let k = p.count, full = (1 << k) - 1
        precondition(k <= maximumSetSize && f.count >= 1 << k, "2^k values for a set of k <= 16 categories")
        f[full] = 1
        var u = full - 1
        while u >= 0 {
            var left = outside
            for v in 0..<k where u & (1 << v) == 0 { left += p[v] }
            var sum = 0.0
            if left > 0 {
                for v in 0..<k where u & (1 << v) == 0 && p[v] > 0 { sum += p[v] / left * f[u | (1 << v)] }
            }
            f[u] = sum
            u -= 1
        }
    }

    /// R(S, s_i) = F({i}) / F(∅) (0 when p(S) is 0 in floating point).
    @inline(__always)
    static func leaveOneOut(_ f: UnsafeMutableBufferPointer<Double>, _ i: Int) -> Double {
        f[0] > 0 ? f[1 << i] / f[0] : 0
    }

    /// R^{D∖s_i}(S, s_j) = F({i, j}) / F({i}), 1 for j = i (0 when F({i}) is 0 in floating point).
    @inline(__always)
    static func leaveTwoOut(_ f: UnsafeMutableBufferPointer<Double>, _ i: Int, _ j: Int) -> Double {
        if i == j { return 1 }
        let fi = f[1 << i]
        return fi > 0 ? f[(1 << i) | (1 << j)] / fi : 0
    }

    /// p(S), R(S, s_i) for each i and R^{D∖s_i}(S, s_j) for each i, j, for tests and tables.
    /// - Precondition: 1 ≤ k ≤ ``maximumSetSize``.
    public static func weights(probabilities p: [Double], outside: Double) -> (setProbability: Double, first: [Double], second: [[Double]]) {
        var f = [Double](repeating: 0, count: 1 << p.count)
        return p.withUnsafeBufferPointer { pp in
            f.withUnsafeMutableBufferPointer { ff in
                fillRemainders(probabilities: pp, outside: outside, into: ff)
                let k = p.count
                return (ff[0], (0..<k).map { leaveOneOut(ff, $0) }, (0..<k).map { i in (0..<k).map { leaveTwoOut(ff, i, $0) } })
            }
        }
    }
}
