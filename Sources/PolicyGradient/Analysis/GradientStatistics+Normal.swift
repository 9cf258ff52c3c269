import Foundation

extension GradientStatistics {
    /// The standard normal CDF, Φ(x) = ½ erfc(−x/√2).
    /// - Parameter x: any value.
    /// - Returns: Φ(x) in [0, 1].
    /// - Complexity: O(1); allocates nothing.
    public static func normalCDF(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// The standard normal quantile Φ⁻¹(p).
    ///
    /// P. J. Acklam's rational approximation (relative error < 1.2·10⁻⁹) followed by one
    /// Halley step on Φ(x) − p, which brings it to about full double precision.
    /// - Parameter p: a probability.
    /// - Returns: x with Φ(x) = p; −∞ for p = 0, +∞ for p = 1, NaN outside [0, 1].
    /// - Complexity: O(1); allocates nothing.
    public static func normalQuantile(_ p: Double) -> Double {
        guard p > 0, p < 1 else { return p == 0 ? -.infinity : (p == 1 ? .infinity : .nan) }
        let x = acklam(p)
        let e = normalCDF(x) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        return x - u / (1 + x * u / 2)
    }

    /// Student's t quantile t_ν(p) for ν degrees of freedom: exact for ν = 1 (tan π(p − ½)) and
    /// ν = 2 ((2p − 1)/√(2p(1 − p))), otherwise by the Cornish–Fisher expansion in 1/ν around
    /// the normal quantile z = Φ⁻¹(p) (Abramowitz & Stegun 26.7.5):
    /// t ≈ z + g₁/ν + g₂/ν² + g₃/ν³ + g₄/ν⁴ with g₁ = (z³ + z)/4, g₂ = (5z⁵ + 16z³ + 3z)/96,
    /// g₃ = (3z⁷ + 19z⁵ + 17z³ − 15z)/384, g₄ = (79z⁹ + 776z⁷ + 1482z⁵ − 1920z³ − 945z)/92160.
    /// - Parameters:
    ///   - p: a probability in (0, 1).
    ///   - degreesOfFreedom: ν ≥ 1 (the expansion is within 0.3% of t for ν ≥ 3 at p = 0.975).
    /// - Returns: t with P(T ≤ t) ≈ p.
    /// - Complexity: O(1).
    public static func studentQuantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(nu >= 1, "studentQuantile needs ν ≥ 1")
        if nu == 1 { return tan(Double.pi * (p - 0.5)) }
        if nu == 2 { return (2 * p - 1) / (2 * p * (1 - p)).squareRoot() }
        let z = normalQuantile(p), z2 = z * z
        let g1 = (z2 + 1) * z / 4
        let g2 = ((5 * z2 + 16) * z2 + 3) * z / 96
        let g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384
        let g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160
        return z + g1 / nu + g2 / (nu * nu) + g3 / (nu * nu * nu) + g4 / (nu * nu * nu * nu)
    }

    /// The Bonferroni-corrected two-sided critical value z* = Φ⁻¹(1 − α / (2m)).
    ///
    /// If m z-scores are each N(0, 1), the chance that any |z| exceeds z* is at most α.
    /// - Parameters:
    ///   - significance: the family-wise level α, in (0, 1).
    ///   - tests: the number of tests m ≥ 1.
    /// - Returns: z*.
    /// - Complexity: O(1).
    public static func bonferroniThreshold(significance: Double, tests: Int) -> Double {
        precondition(tests >= 1, "bonferroniThreshold needs at least one test")
        return -normalQuantile(significance / (2 * Double(tests)))
    }

    /// Acklam's piecewise rational approximation to Φ⁻¹ on (0, 1).
    static func acklam(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                 3.754408661907416e+00]
        let low = 0.02425
        func tail(_ q: Double) -> Double {
            (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p < low { return tail((-2 * log(p)).squareRoot()) }
        if p > 1 - low { return -tail((-2 * log1p(-p)).squareRoot()) }
        let q = p - 0.5, r = q * q
        let num = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        return num / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}
