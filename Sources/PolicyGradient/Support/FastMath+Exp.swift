extension FastMath {
    /// eˣ for one `Double`, bit-identical to every lane of the vector ``exp(_:)-swift.type.method``.
    ///
    /// x = k·ln 2 + r, eʳ ≈ 1 + r + r²·Q(r), eˣ = 2ᵏ·eʳ (see ``FastMath``).
    /// Within 2 ulp of Foundation's `exp` (measured: at most 1 ulp), not bit-identical to it.
    /// exp(+∞) = +∞, exp(−∞) = 0, x > 709.78 gives +∞, x < −708.4 gives a correctly rounded
    /// subnormal and x < −745.13 gives 0; exp(NaN) = NaN.
    /// - Parameter x: any double.
    /// - Returns: eˣ.
    /// - Complexity: O(1), no branches on the value; allocates nothing.
    @inlinable
    public static func exp(_ x: Double) -> Double {
        typealias C = FastMathConstants
        var xc = x > C.expClamp ? C.expClamp : x
        xc = xc < -C.expClamp ? -C.expClamp : xc
        let t = xc * C.log2e + C.shifter
        let kd = t - C.shifter
        let r = (xc - kd * C.ln2Hi) - kd * C.ln2Lo
        let r2 = r * r
        let r4 = r2 * r2
        // Estrin's scheme for Q (short dependency chains).
        let a0 = C.e2 + C.e3 * r, a1 = C.e4 + C.e5 * r, a2 = C.e6 + C.e7 * r
        let a3 = C.e8 + C.e9 * r, a4 = C.e10 + C.e11 * r
        let b0 = a0 + a1 * r2, b1 = a2 + a3 * r2
        let q = (b0 + b1 * r4) + a4 * (r4 * r4)
        let p = 1 + (r + r2 * q)
        let th = kd * 0.5 + C.shifter
        let k = Int64(bitPattern: t.bitPattern) &- C.shifterBits
        let k1 = Int64(bitPattern: th.bitPattern) &- C.shifterBits
        let k2 = k &- k1
        let s1 = Double(bitPattern: UInt64(bitPattern: (k1 &+ 1023) &<< 52))
        let s2 = Double(bitPattern: UInt64(bitPattern: (k2 &+ 1023) &<< 52))
        return p * s1 * s2
    }

    /// eˣ lane by lane, for any SIMD width (`SIMD2<Double>`, `SIMD4<Double>`, `SIMD8<Double>`, …).
    ///
    /// The same operations in the same order as the scalar ``exp(_:)-swift.type.method``, so
    /// each lane is bit-identical to it; within 2 ulp of Foundation's `exp` (measured: at most
    /// 1 ulp), not bit-identical to it. Special values as the scalar version.
    /// - Parameter x: any doubles.
    /// - Returns: the vector of eˣ.
    /// - Complexity: O(lanes), no branches; allocates nothing.
    @inlinable @inline(__always)
    public static func exp<V: FastMathVector>(_ x: V) -> V {
        typealias C = FastMathConstants
        let xc = x.clampedAbove(C.expClamp).clampedBelow(-C.expClamp)
        let t = xc * C.log2e + C.shifter
        let kd = t - C.shifter
        let r = (xc - kd * C.ln2Hi) - kd * C.ln2Lo
        let r2 = r * r
        let r4 = r2 * r2
        // Estrin's scheme for Q (short dependency chains).
        let a0 = C.e2 + C.e3 * r, a1 = C.e4 + C.e5 * r, a2 = C.e6 + C.e7 * r
        let a3 = C.e8 + C.e9 * r, a4 = C.e10 + C.e11 * r
        let b0 = a0 + a1 * r2, b1 = a2 + a3 * r2
        let q = (b0 + b1 * r4) + a4 * (r4 * r4)
        let p = 1 + (r + r2 * q)
        let th = kd * 0.5 + C.shifter
        let k = bits(t) &- C.shifterBits
        let k1 = bits(th) &- C.shifterBits
        let k2 = k &- k1
        let s1: V = doubles((k1 &+ 1023) &<< 52)
        let s2: V = doubles((k2 &+ 1023) &<< 52)
        return p * s1 * s2
    }
}
