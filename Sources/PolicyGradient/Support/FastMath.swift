/// Vectorised `exp` and `log` for `Double`, in pure Swift on the standard library's SIMD types.
///
/// The hot loops of a rollout spend much of their time in scalar `exp` and `log` (a
/// straight-through Gumbel draw takes 20 logs and 10 exps); Foundation's functions take one
/// value at a time. These take a whole SIMD vector (``exp(_:)-swift.type.method`` and
/// ``log(_:)-swift.type.method`` are generic over the width: `SIMD2`, `SIMD4`, `SIMD8` and
/// `SIMD16` of `Double`, through ``FastMathVector``) or one `Double`, and the scalar and vector versions run the same operations in the same order, so
/// they give bit-identical results: the scalar tail of a vector loop gives the numbers the
/// vector body would have given.
///
/// Method (no tables, so every lane does the same work):
/// * exp: x = k·ln 2 + r with k = round(x/ln 2) and |r| ≤ ln 2 / 2 (Cody & Waite's two-part
///   ln 2, so r is nearly exact); eʳ ≈ 1 + r + r²·Q(r) with Q the degree-9 minimax polynomial
///   for the relative error of eʳ (2^−57.9 before rounding), evaluated by Estrin's scheme; the result is scaled by 2ᵏ built
///   from exponent bits, as 2^⌊k/2⌉ · 2^(k−⌊k/2⌉) so that overflow gives +∞ and results in the
///   subnormal range are rounded once, correctly.
/// * log: x = 2ᵏ·m with m in [√½, √2), f = m − 1, s = f/(2 + f), so that
///   log m = 2 artanh s = f − f²/2 + s·(f²/2 + R(s²)) with R the degree-7 minimax polynomial
///   (absolute error 2^−58.5 before rounding; Estrin's scheme), then log x = k·ln 2 + log m (the
///   formulation of Sun Microsystems' fdlibm `e_log.c`, with coefficients of our own Remez fit).
///
/// Accuracy: within 2 ulp of Foundation's `exp` and `log` (glibc's, correctly rounded in
/// practice) everywhere; the tests measure at most 1 ulp over dense and random sweeps
/// (FastMathTests). Special values are Foundation's: exp(+∞) = +∞, exp(−∞) = 0, overflow
/// (x > 709.78) gives +∞, underflow gives subnormals and then 0 (x < −745.13); log(±0) = −∞,
/// log(x < 0) = NaN, log(+∞) = +∞, subnormal x exact to the same accuracy; NaN gives NaN.
///
/// Cody & Waite, "Software Manual for the Elementary Functions", 1980; Remez, "Sur le calcul
/// effectif des polynômes d'approximation de Tchebichef", 1934. The coefficients are derived by
/// `scripts/fastmath-coefficients.py`.
///
/// The code is written without fused multiply-adds (pg builds for baseline x86-64, which has
/// none, and Swift does not contract `a * b + c` into one), so the bits do not depend on the
/// instruction set the compiler targets.
///
/// Speed (measured on a shared 2-core AMD EPYC VM, eight lanes at a time over a buffer): exp
/// 1.8–2.5× and log 1.3–1.9× faster per value than Foundation's scalar calls, a Gumbel draw
/// 1.4–2×. The compiler targets baseline x86-64 (SSE2: two lanes per instruction, no FMA),
/// which bounds the gain; the scalar versions are no faster than Foundation's (log slower).
public enum FastMath {}

// MARK: Bit patterns

extension FastMath {
    /// The bit patterns of the lanes of `x`.
    @inlinable @inline(__always)
    static func bits<V: SIMD>(_ x: V) -> V.MaskStorage where V.Scalar == Double {
        unsafeBitCast(x, to: V.MaskStorage.self)
    }

    /// The doubles whose bit patterns are the lanes of `b`.
    @inlinable @inline(__always)
    static func doubles<V: SIMD>(_ b: V.MaskStorage, as _: V.Type = V.self) -> V where V.Scalar == Double {
        unsafeBitCast(b, to: V.self)
    }
}

// MARK: Constants

/// The constants shared by the scalar and vector code (computed properties, so they fold
/// into the caller as literals).
@usableFromInline
enum FastMathConstants {
    /// ln 2 to 32 significant bits, so that k·ln2Hi is exact for |k| < 2²¹ (fdlibm's `ln2_hi`).
    @inlinable static var ln2Hi: Double { 0x1.62e42fee00000p-1 }
    /// ln 2 − ln2Hi rounded to double (fdlibm's `ln2_lo`).
    @inlinable static var ln2Lo: Double { 0x1.a39ef35793c76p-33 }
    /// 1/ln 2 rounded to double.
    @inlinable static var log2e: Double { 0x1.71547652b82fep0 }
    /// 1.5·2⁵²: adding and subtracting it rounds a double of magnitude < 2⁵¹ to the nearest
    /// integer (ties to even), and the integer sits in the low bits of the sum.
    @inlinable static var shifter: Double { 0x1.8p52 }
    /// The bit pattern of ``shifter``.
    @inlinable static var shifterBits: Int64 { 0x4338_0000_0000_0000 }
    /// exp's inputs are clamped to ±expClamp first: e^±1000 is already +∞ or 0, and with
    /// |x| ≤ 1000 each half of k (|k| ≤ 1443) is a valid exponent.
    @inlinable static var expClamp: Double { 1000 }

    // exp: Q(r) ≈ (eʳ − 1 − r)/r² on |r| ≤ ln 2/2, coefficients of r⁰ … r⁹.
    @inlinable static var e2: Double { 0x1.000000000000ap-1 }
    @inlinable static var e3: Double { 0x1.55555555554fap-3 }
    @inlinable static var e4: Double { 0x1.555555555088cp-5 }
    @inlinable static var e5: Double { 0x1.1111111127b9ap-7 }
    @inlinable static var e6: Double { 0x1.6c16c184266ccp-10 }
    @inlinable static var e7: Double { 0x1.a01a012a6a08dp-13 }
    @inlinable static var e8: Double { 0x1.a0199a16e2c9fp-16 }
    @inlinable static var e9: Double { 0x1.71df2539806b2p-19 }
    @inlinable static var e10: Double { 0x1.28ad68a1ae631p-22 }
    @inlinable static var e11: Double { 0x1.ad7f7bef7e1f2p-26 }

    // log: R(z) = z·(l1 + l2 z + … + l7 z⁶) ≈ 2 artanh(s)/s − 2, z = s², |s| ≤ 3 − 2√2.
    @inlinable static var l1: Double { 0x1.5555555555592p-1 }
    @inlinable static var l2: Double { 0x1.999999997fdb8p-2 }
    @inlinable static var l3: Double { 0x1.24924941f123ap-2 }
    @inlinable static var l4: Double { 0x1.c71c52095dfa3p-3 }
    @inlinable static var l5: Double { 0x1.74663ee846c12p-3 }
    @inlinable static var l6: Double { 0x1.39a1bababab7bp-3 }
    @inlinable static var l7: Double { 0x1.2f0563674ab91p-3 }
    /// Added to a positive double's bits, moves the exponent boundary from 1 to √½:
    /// 0x3ff0000000000000 − bits(√½) (bits(√½) = 0x3fe6a09e667f3bcd).
    @inlinable static var sqrtHalfOffset: Int64 { 0x0009_5F61_9980_C433 }
    /// The bit pattern of √½ rounded to double.
    @inlinable static var sqrtHalfBits: Int64 { 0x3FE6_A09E_667F_3BCD }
    /// The mantissa field of a double.
    @inlinable static var mantissaMask: Int64 { 0x000F_FFFF_FFFF_FFFF }
    /// The bit pattern of 2⁵²: a biased exponent e (0 ≤ e < 2¹¹) ORed into it gives 2⁵² + e exactly.
    @inlinable static var twoP52Bits: Int64 { 0x4330_0000_0000_0000 }
    /// 2⁵² + 1023: subtracted from 2⁵² + e, gives the unbiased exponent e − 1023 exactly.
    @inlinable static var exponentBias: Double { 0x1p52 + 1023 }
    /// The smallest positive normal double, 2⁻¹⁰²²; smaller inputs to log are scaled by 2⁵⁴.
    @inlinable static var smallestNormal: Double { 0x1p-1022 }
}
