import Foundation

/// Running mean and variance of a stream of numbers, by Welford's one-pass update, mergeable
/// with Chan, Golub & LeVeque's pairwise formula.
///
/// For values x₁…xₙ it keeps n, the mean x̄ₙ and M₂ = Σ (xᵢ − x̄ₙ)², updated as
/// δ = x − x̄ₙ₋₁, x̄ₙ = x̄ₙ₋₁ + δ/n, M₂ += δ·(x − x̄ₙ) (B. P. Welford, "Note on a method for
/// calculating corrected sums of squares and products", Technometrics 1962). This avoids the
/// cancellation of the textbook Σx² − n·x̄² formula.
///
/// Two summaries A and B merge as n = n_A + n_B, δ = x̄_B − x̄_A, x̄ = x̄_A + δ·n_B/n,
/// M₂ = M₂_A + M₂_B + δ²·n_A·n_B/n (T. F. Chan, G. H. Golub & R. J. LeVeque, "Updating formulae
/// and a pairwise algorithm for computing sample variances", 1979). Merging is exact in real
/// arithmetic but not bit-for-bit associative in floating point, so to get reproducible numbers
/// merge partial summaries in a fixed order (for example by seed index), never in completion order.
///
/// Typical use: aggregate a learning curve over seeds, one `RunningMoments` per iteration
/// (see ``pointwise(_:)``), and plot `mean ± standardError`.
public struct RunningMoments: Sendable, Equatable {
    /// The number of values seen, n.
    public private(set) var count: Int = 0
    /// The mean x̄ of the values seen (0 when `count == 0`).
    public private(set) var mean: Double = 0
    /// The sum of squared deviations from the mean, M₂ = Σ (xᵢ − x̄)².
    public private(set) var sumOfSquaredDeviations: Double = 0

    /// Creates an empty summary (n = 0).
    public init() {}

    /// Creates the summary of `values`, adding them in order.
    /// - Parameter values: the numbers to summarise.
    /// - Complexity: O(n); allocates nothing.
    public init<S: Sequence>(_ values: S) where S.Element == Double {
        for x in values { add(x) }
    }

    /// Restores a summary from its three fields (for example read back from a log), so that
    /// summaries written by separate processes can be merged.
    /// - Parameters:
    ///   - count: n ≥ 0.
    ///   - mean: x̄ (ignored, taken as 0, when n = 0).
    ///   - sumOfSquaredDeviations: M₂ ≥ 0 (ignored when n = 0).
    /// - Precondition: `count ≥ 0`.
    /// - Complexity: O(1).
    public init(count: Int, mean: Double, sumOfSquaredDeviations: Double) {
        precondition(count >= 0, "RunningMoments needs count >= 0")
        self.count = count
        self.mean = count == 0 ? 0 : mean
        self.sumOfSquaredDeviations = count == 0 ? 0 : sumOfSquaredDeviations
    }

    /// Adds one value by Welford's update.
    /// - Parameter x: the new value; a NaN or infinity makes the mean and variance non-finite.
    /// - Complexity: O(1); allocates nothing.
    public mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        sumOfSquaredDeviations += delta * (x - mean)
    }

    /// Merges `other` into `self` with Chan's pairwise formula, as if its values had been added.
    /// - Parameter other: a summary of further values.
    /// - Complexity: O(1); allocates nothing.
    public mutating func merge(_ other: RunningMoments) {
        if other.count == 0 { return }
        if count == 0 { self = other; return }
        let nA = Double(count), nB = Double(other.count)
        let n = nA + nB
        let delta = other.mean - mean
        mean += delta * (nB / n)
        sumOfSquaredDeviations += other.sumOfSquaredDeviations + delta * delta * (nA * nB / n)
        count += other.count
    }

    /// The summary of the values of `self` followed by those of `other`.
    /// - Parameter other: a summary of further values.
    /// - Returns: the merged summary (see ``merge(_:)``).
    public func merged(with other: RunningMoments) -> RunningMoments {
        var result = self
        result.merge(other)
        return result
    }

    /// The unbiased sample variance s² = M₂ / (n − 1); NaN when n < 2.
    public var variance: Double {
        count < 2 ? .nan : sumOfSquaredDeviations / Double(count - 1)
    }

    /// The population variance M₂ / n; NaN when n = 0.
    public var populationVariance: Double {
        count < 1 ? .nan : sumOfSquaredDeviations / Double(count)
    }

    /// The sample standard deviation s = √s²; NaN when n < 2.
    public var standardDeviation: Double { variance.squareRoot() }

    /// The standard error of the mean, s / √n; NaN when n < 2.
    public var standardError: Double { (variance / Double(count)).squareRoot() }

    /// Summaries of several curves point by point: element t summarises `curves[i][t]` over i.
    ///
    /// Curves may have different lengths (a run that stopped early); element t covers only the
    /// curves that reach t. Curves are added in index order, so the result is reproducible.
    /// - Parameter curves: one array per run (for example per seed), indexed by iteration.
    /// - Returns: an array as long as the longest curve.
    /// - Complexity: O(total number of values).
    public static func pointwise(_ curves: [[Double]]) -> [RunningMoments] {
        let length = curves.map(\.count).max() ?? 0
        var result = [RunningMoments](repeating: RunningMoments(), count: length)
        for curve in curves {
            for (t, x) in curve.enumerated() { result[t].add(x) }
        }
        return result
    }
}
