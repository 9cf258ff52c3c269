import Foundation

extension RandomStream {
    /// A uniform draw strictly inside the open interval (0, 1).
    ///
    /// u = (k + ½) · 2⁻⁵² for a uniform 52-bit integer k, so 2⁻⁵³ ≤ u ≤ 1 − 2⁻⁵³ always; this is
    /// what makes `log(u)` and `log(−log(u))` finite. (k + ½ needs 53 significant bits, so it is
    /// exact for k < 2⁵²; with a 53-bit k the largest value would round up to exactly 1.)
    /// - Complexity: O(1); allocates nothing.
    @inlinable
    public mutating func nextUniformOpen() -> Double {
        (Double(next() >> 12) + 0.5) * 0x1p-52
    }

    /// A uniform draw in the half-open interval [0, 1).
    @inlinable
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A normal draw N(mean, sd²).
    @inlinable
    public mutating func nextGaussian(mean: Double, standardDeviation sd: Double) -> Double {
        mean + sd * nextGaussian()
    }

    /// A standard Gumbel(0, 1) draw, g = −log(−log u) with u strictly inside (0, 1).
    ///
    /// Because u is never 0 or 1, g is always finite (|g| < 40).
    /// - Complexity: O(1); allocates nothing.
    @inlinable
    public mutating func nextGumbel() -> Double {
        -Foundation.log(-Foundation.log(nextUniformOpen()))
    }

    /// A uniform integer in `0..<n` by Lemire's multiply-shift (no rejection step, so each
    /// value's probability is off by at most n · 2⁻⁶⁴).
    /// - Precondition: n > 0.
    @inlinable
    public mutating func nextInt(below n: Int) -> Int {
        precondition(n > 0, "nextInt(below:) needs n > 0")
        return Int((UInt64(n).multipliedFullWidth(by: next())).high)
    }

    /// A Bernoulli(p) draw: true with probability p.
    @inlinable
    public mutating func nextBernoulli(_ p: Double) -> Bool {
        nextUniform() < p
    }
}
