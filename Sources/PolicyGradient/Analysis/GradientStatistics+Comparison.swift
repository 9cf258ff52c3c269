import Foundation

extension GradientStatistics {
    /// How R estimates compare with the exact gradient ∇J.
    ///
    /// Definitions (ḡ is the sample mean, Ĉ the unbiased sample covariance, R the count):
    /// * ``relativeBias``: ‖ḡ − ∇J‖ / ‖∇J‖.
    /// * ``relativeBiasNoiseFloor``: √(tr Ĉ / R) / ‖∇J‖, the standard error of the relative
    ///   bias. An unbiased estimator has E‖ḡ − ∇J‖² = tr Cov / R, so its measured relative bias
    ///   is of the order of this floor, not zero; only a bias well above it is resolved.
    /// * ``debiasedRelativeBias``: √max(0, ‖ḡ − ∇J‖² − tr Ĉ / R) / ‖∇J‖, whose square is an
    ///   unbiased estimate of ‖E ĝ − ∇J‖² / ‖∇J‖².
    /// * ``zeroBias``: the calibrated zero-bias test (``ZeroBiasTest``): yes, NO or
    ///   inconclusive with its reason. ``isConsistentWithZeroBias`` is "not NO".
    /// * ``maxAbsZ``: max_k |ḡ_k − ∇J_k| / (s_k / √R) with s_k² = Ĉ_kk; a coordinate whose
    ///   difference is within rounding, |ḡ_k − ∇J_k| ≤ 10⁻¹² max(‖∇J‖, ‖ḡ‖), scores 0, and any
    ///   other with s_k = 0 scores +∞; and ``zThreshold`` z* = Φ⁻¹(1 − α / (2d)): the raw
    ///   per-coordinate statistic, kept as a description. It is not the verdict: at
    ///   near-deterministic policies s_k underestimates the spread of coordinates driven by rare
    ///   draws, and max |z_k| grows with R for unbiased estimators.
    /// * ``signalToNoise``: ‖∇J‖ / √(tr Ĉ), the size of the true gradient against the spread of
    ///   one estimate.
    /// * ``meanCosine``: (1/R) Σ_r cos(ĝ_r, ∇J), with an all-zero estimate counted as 0, and
    ///   ``meanCosineStandardError`` its standard error s_cos / √R.
    ///
    /// When ∇J = 0 the relative quantities, the SNR and the cosines are NaN; ``biasNorm`` and
    /// ``biasNoiseFloor`` give the bias in absolute terms, and the test still applies.
    public struct Comparison: Sendable, Equatable {
        /// The exact gradient ∇J.
        public let exactGradient: [Double]
        /// ‖∇J‖.
        public let exactNorm: Double
        /// ‖ḡ − ∇J‖, the norm of the measured bias.
        public let biasNorm: Double
        /// √(tr Ĉ / R), the standard error (noise floor) of ``biasNorm``.
        public let biasNoiseFloor: Double
        /// ‖ḡ − ∇J‖ / ‖∇J‖.
        public let relativeBias: Double
        /// √(tr Ĉ / R) / ‖∇J‖, the standard error (noise floor) of ``relativeBias``.
        public let relativeBiasNoiseFloor: Double
        /// √max(0, ‖ḡ − ∇J‖² − tr Ĉ / R) / ‖∇J‖.
        public let debiasedRelativeBias: Double
        /// max_k |ḡ_k − ∇J_k| / (s_k / √R).
        public let maxAbsZ: Double
        /// The family-wise significance level α of the zero-bias test.
        public let significance: Double
        /// Φ⁻¹(1 − α / (2d)).
        public let zThreshold: Double
        /// The calibrated zero-bias test.
        public let zeroBias: ZeroBiasTest
        /// Whether the verdict is not NO (yes or inconclusive).
        public var isConsistentWithZeroBias: Bool { zeroBias.verdict != .biased }
        /// ‖∇J‖ / √(tr Ĉ).
        public let signalToNoise: Double
        /// The mean over estimates of cos(ĝ_r, ∇J).
        public let meanCosine: Double
        /// The standard error of ``meanCosine``.
        public let meanCosineStandardError: Double

        /// Compares sample moments with the exact gradient.
        /// - Parameters:
        ///   - mean: ḡ (d values).
        ///   - variances: Ĉ_kk (d values, unbiased).
        ///   - count: R ≥ 2.
        ///   - exact: ∇J (d values).
        ///   - cosines: cos(ĝ_r, ∇J) for each estimate.
        ///   - significance: the family-wise level α of the zero-bias test.
        ///   - zeroBias: the zero-bias test of the estimates.
        /// - Precondition: `mean`, `variances` and `exact` have the same length; R ≥ 2.
        /// - Complexity: O(d + R).
        public init(mean: [Double], variances: [Double], count: Int, exact: [Double],
                    cosines: [Double], significance: Double, zeroBias: ZeroBiasTest) {
            precondition(mean.count == exact.count && variances.count == exact.count,
                         "mean, variances and exact gradient must have the same length")
            precondition(count >= 2, "a comparison needs at least 2 estimates")
            let r = Double(count)
            let trace = variances.reduce(0, +)
            let gNorm = GradientStatistics.norm(exact)
            let diff = zip(mean, exact).map { $0 - $1 }
            let bNorm = GradientStatistics.norm(diff)
            exactGradient = exact
            exactNorm = gNorm
            biasNorm = bNorm
            biasNoiseFloor = (trace / r).squareRoot()
            relativeBias = GradientStatistics.ratio(bNorm, gNorm)
            relativeBiasNoiseFloor = GradientStatistics.ratio((trace / r).squareRoot(), gNorm)
            debiasedRelativeBias = GradientStatistics.ratio(max(0, bNorm * bNorm - trace / r).squareRoot(), gNorm)
            maxAbsZ = Self.maxAbsZ(difference: diff, variances: variances, count: count,
                                   rounding: Self.roundingTolerance * max(gNorm, GradientStatistics.norm(mean)))
            self.significance = significance
            zThreshold = GradientStatistics.bonferroniThreshold(significance: significance, tests: exact.count)
            self.zeroBias = zeroBias
            signalToNoise = GradientStatistics.ratio(gNorm, trace.squareRoot())
            let moments = RunningMoments(cosines)
            meanCosine = gNorm == 0 ? .nan : moments.mean
            meanCosineStandardError = gNorm == 0 ? .nan : moments.standardError
        }

        /// The relative size of a difference that is rounding, not bias: 10⁻¹² of the gradient's norm
        /// (double precision rounds at 10⁻¹⁶; no bias this small is resolved by any feasible R).
        static let roundingTolerance = 1e-12

        /// max_k |diff_k| / √(var_k / R), a difference of at most `rounding` counted as 0.
        static func maxAbsZ(difference: [Double], variances: [Double], count: Int, rounding: Double = 0) -> Double {
            var z = 0.0
            for (dk, vk) in zip(difference, variances) {
                let se = (vk / Double(count)).squareRoot()
                let zk = abs(dk) <= rounding ? 0 : abs(dk) / se
                if zk.isNaN { return .nan }
                z = max(z, zk)
            }
            return z
        }
    }
}
