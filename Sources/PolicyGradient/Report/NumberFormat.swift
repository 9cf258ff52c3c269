import Foundation

/// Formats numbers for tables and plots: a fixed number of significant digits, scientific
/// notation for very small or very large magnitudes, and "mean ± se" cells.
///
/// Output is locale-independent (`String(format:)` with no locale: a "." decimal point, no
/// grouping) and uses an ASCII "-" sign, so it can be read back by other tools.
public enum NumberFormat {
    /// `x` to `digits` significant digits.
    ///
    /// Fixed notation when 10⁻³ ≤ |x| < 10⁶ after rounding (integer digits are never dropped,
    /// so 123456 stays "123456"), otherwise scientific: "1.235e-05", "-6.022e+23". Zero is "0",
    /// and non-finite values are "nan", "inf", "-inf".
    /// Examples (4 digits): 3.14159 → "3.142", 0.5 → "0.5000", 9.99999 → "10.00", 1234.5 → "1235".
    /// - Parameters:
    ///   - x: the number.
    ///   - digits: significant digits, at least 1 (default 4).
    /// - Returns: the formatted number.
    /// - Complexity: O(1).
    public static func significant(_ x: Double, digits: Int = 4) -> String {
        precondition(digits >= 1, "significant(_:digits:) needs digits ≥ 1")
        if let special = nonFinite(x) { return special }
        if x == 0 { return "0" }
        let e = decimalExponent(x, digits: digits)
        if e < -3 || e >= 6 {
            return String(format: "%.\(digits - 1)e", x)
        }
        return fixed(x, decimals: max(0, digits - 1 - e))
    }

    /// A "mean ± se" cell, with the mean rounded to the last digit shown for the standard error.
    ///
    /// The standard error gets `seDigits` significant digits and the mean the same number of
    /// decimals: (0.123456, 0.00234) → "0.1235 ± 0.0023", (1234.5, 56.7) → "1234 ± 57".
    /// When that would need more than 6 decimals, or |mean| ≥ 10⁶, both parts are formatted
    /// with ``significant(_:digits:)`` instead; an se of 0 or a non-finite se gives
    /// "mean ± 0" / "mean ± nan" with the mean to 4 significant digits.
    /// - Parameters:
    ///   - mean: the estimate.
    ///   - standardError: its standard error (≥ 0).
    ///   - seDigits: significant digits of the standard error (default 2).
    /// - Returns: the formatted cell, with " ± " (U+00B1) between the two numbers.
    /// - Complexity: O(1).
    public static func meanWithError(_ mean: Double, _ standardError: Double, seDigits: Int = 2) -> String {
        precondition(seDigits >= 1, "meanWithError needs seDigits ≥ 1")
        let se = abs(standardError)
        guard se.isFinite, se > 0, mean.isFinite else {
            return significant(mean) + " ± " + significant(se)
        }
        let decimals = max(0, seDigits - 1 - decimalExponent(se, digits: seDigits))
        if decimals > 6 || abs(mean) >= 1e6 {
            return significant(mean) + " ± " + significant(se, digits: seDigits)
        }
        return fixed(mean, decimals: decimals) + " ± " + fixed(se, decimals: decimals)
    }

    /// ⌊log₁₀|x|⌋ after rounding x to `digits` significant digits (so 9.99999 at 4 digits is 1).
    static func decimalExponent(_ x: Double, digits: Int) -> Int {
        var e = Int(floor(log10(abs(x))))
        let scale = pow(10, Double(digits - 1 - e))
        let rounded = (abs(x) * scale).rounded() / scale
        if rounded >= pow(10, Double(e + 1)) { e += 1 }
        return e
    }

    /// `x` with exactly `decimals` digits after the point; "-0" and "-0.00" lose their sign.
    static func fixed(_ x: Double, decimals: Int) -> String {
        let s = String(format: "%.\(decimals)f", x)
        if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            return String(s.dropFirst())
        }
        return s
    }

    /// "nan", "inf" or "-inf" for non-finite values, else nil.
    static func nonFinite(_ x: Double) -> String? {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return nil
    }

}
