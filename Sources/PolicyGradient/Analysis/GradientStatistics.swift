import Foundation

/// Bias, variance and signal-to-noise ratio of a gradient estimator, measured from R
/// independent estimates ĝ₁…ĝ_R ∈ ℝᵈ drawn at one fixed policy.
///
/// Definitions (ḡ is the sample mean, Ĉ the unbiased sample covariance):
/// * ``mean``: ḡ = (1/R) Σ_r ĝ_r.
/// * ``coordinateVariances``: Ĉ_kk = Σ_r (ĝ_rk − ḡ_k)² / (R − 1).
/// * ``variance``: tr Ĉ = Σ_k Ĉ_kk, the expected squared distance E‖ĝ − E ĝ‖² of one estimate
///   from its mean (the "gradient variance" of the estimator literature).
/// * ``signalToNoise``: ‖ḡ‖ / √(tr Ĉ), the SNR of one estimate against its own mean. Because
///   E‖ḡ‖² = ‖E ĝ‖² + tr Cov / R, this overstates ‖E ĝ‖/√(tr Cov) by about 1/(2R·SNR²) in
///   relative terms; when the exact gradient is known use ``Comparison/signalToNoise`` instead.
///
/// Mean and variances are accumulated per coordinate by Welford's one-pass update, which is
/// numerically stable when ‖E ĝ‖ is large compared with the spread (see ``RunningMoments``).
/// When the exact gradient ∇J is supplied, ``exact`` holds the bias, cosine and SNR against it.
/// Non-finite estimates propagate into NaN or infinite statistics.
public struct GradientStatistics: Sendable, Equatable {
    /// The family-wise level α of the zero-bias test unless one is given (0.01).
    public static let defaultSignificance = 0.01

    /// The number of estimates, R.
    public let count: Int
    /// The dimension of each estimate, d.
    public let dimension: Int
    /// The sample mean ḡ (d values).
    public let mean: [Double]
    /// The unbiased per-coordinate variances Ĉ_kk, dividing by R − 1 (d values).
    public let coordinateVariances: [Double]
    /// The trace of the unbiased sample covariance, tr Ĉ = Σ_k Ĉ_kk.
    public let variance: Double
    /// The standard error of ``variance``: with z_r = ‖ĝ_r − ḡ‖², tr Ĉ = Σ_r z_r / (R − 1), so
    /// its standard error is about s_z √R / (R − 1) (s_z the sample SD of the z_r); NaN for R < 3.
    public let varianceStandardError: Double
    /// The Euclidean norm of the sample mean, ‖ḡ‖.
    public let meanNorm: Double
    /// ‖ḡ‖ / √(tr Ĉ); +∞ when tr Ĉ = 0 < ‖ḡ‖, NaN when both are 0.
    public let signalToNoise: Double
    /// The comparison with the exact gradient, when one was given.
    public let exact: Comparison?

    /// Statistics of R estimates stored row-major in one flat array.
    /// - Parameters:
    ///   - estimates: R·d values; estimate r is `estimates[r*d ..< (r+1)*d]`.
    ///   - count: R, the number of estimates.
    ///   - dimension: d, the length of each estimate.
    ///   - exactGradient: ∇J (d values), if known.
    ///   - significance: the family-wise level α of the zero-bias test (default ``defaultSignificance``).
    ///   - unseen: what undersampled state-action pairs could leave out of the mean, for the
    ///     zero-bias test (``ZeroBiasTest``; nil: not known).
    /// - Precondition: R ≥ 2, d ≥ 1, `estimates.count == R·d`, `exactGradient` has d values,
    ///   0 < α < 1.
    /// - Complexity: O(R·d) time and O(d) extra memory; O(R·d·10) and O(R·9) with the exact gradient.
    public init(estimates: [Double], count: Int, dimension: Int,
                exactGradient: [Double]? = nil, significance: Double = defaultSignificance, unseen: UnseenDrawBound? = nil) {
        precondition(count >= 2, "GradientStatistics needs at least 2 estimates")
        precondition(dimension >= 1, "GradientStatistics needs dimension ≥ 1")
        precondition(estimates.count == count * dimension, "estimates must hold count × dimension values")
        precondition(significance > 0 && significance < 1, "significance must be in (0, 1)")
        let (mean, m2) = Self.welford(estimates, count: count, dimension: dimension)
        let variances = m2.map { $0 / Double(count - 1) }
        let trace = variances.reduce(0, +)
        let norm = Self.norm(mean)
        self.count = count
        self.dimension = dimension
        self.mean = mean
        self.coordinateVariances = variances
        self.variance = trace
        varianceStandardError = Self.traceStandardError(estimates, mean: mean, count: count, dimension: dimension)
        self.meanNorm = norm
        self.signalToNoise = Self.ratio(norm, trace.squareRoot())
        if let g = exactGradient {
            precondition(g.count == dimension, "exactGradient must have `dimension` values")
            let cosines = Self.cosines(estimates, count: count, dimension: dimension, exact: g)
            let test = ZeroBiasTest(estimates: estimates, count: count, exact: g, significance: significance, unseen: unseen)
            exact = Comparison(mean: mean, variances: variances, count: count, exact: g,
                               cosines: cosines, significance: significance, zeroBias: test)
        } else {
            exact = nil
        }
    }

    /// Statistics of R estimates given as R arrays of length d.
    /// - Parameters:
    ///   - estimates: the R estimates, all of the same length d.
    ///   - exactGradient: ∇J (d values), if known.
    ///   - significance: the family-wise level α of the zero-bias test (default ``defaultSignificance``).
    /// - Precondition: R ≥ 2 and every row has the same length d ≥ 1.
    /// - Complexity: O(R·d); copies the rows into one flat array.
    public init(estimates: [[Double]], exactGradient: [Double]? = nil, significance: Double = defaultSignificance) {
        let d = estimates.first?.count ?? 0
        precondition(estimates.allSatisfy { $0.count == d }, "all estimates must have the same length")
        self.init(estimates: estimates.flatMap { $0 }, count: estimates.count, dimension: d,
                  exactGradient: exactGradient, significance: significance)
    }

    // MARK: - Helpers

    /// Per-coordinate Welford pass: returns (mean, M₂) with M₂_k = Σ_r (x_rk − mean_k)².
    static func welford(_ x: [Double], count: Int, dimension d: Int) -> ([Double], [Double]) {
        var mean = [Double](repeating: 0, count: d)
        var m2 = [Double](repeating: 0, count: d)
        for r in 0..<count {
            let n = Double(r + 1)
            for k in 0..<d {
                let v = x[r * d + k]
                let delta = v - mean[k]
                mean[k] += delta / n
                m2[k] += delta * (v - mean[k])
            }
        }
        return (mean, m2)
    }

    /// s_z √R / (R − 1) with z_r = ‖x_r − mean‖².
    static func traceStandardError(_ x: [Double], mean: [Double], count: Int, dimension d: Int) -> Double {
        guard count >= 3 else { return .nan }
        var m = RunningMoments()
        for r in 0..<count {
            var z = 0.0
            for k in 0..<d { let e = x[r * d + k] - mean[k]; z += e * e }
            m.add(z)
        }
        return m.standardDeviation * Double(count).squareRoot() / Double(count - 1)
    }

    /// Cosine between each estimate and `exact`; an all-zero estimate counts as cosine 0.
    static func cosines(_ x: [Double], count: Int, dimension d: Int, exact g: [Double]) -> [Double] {
        let gNorm = norm(g)
        return (0..<count).map { r in
            var dot = 0.0, sq = 0.0
            for k in 0..<d {
                let v = x[r * d + k]
                dot += v * g[k]
                sq += v * v
            }
            return sq == 0 ? 0 : dot / (sq.squareRoot() * gNorm)
        }
    }

    /// The Euclidean norm √(Σ v_k²).
    static func norm(_ v: [Double]) -> Double {
        v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    /// a / b, with 0/0 = NaN and a/0 = +∞ for a > 0.
    static func ratio(_ a: Double, _ b: Double) -> Double {
        b == 0 ? (a == 0 ? .nan : .infinity) : a / b
    }
}
