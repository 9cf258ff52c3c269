extension FastMath {
    /// The natural logarithm of one `Double`, bit-identical to every lane of the vector
    /// ``log(_:)-swift.type.method``.
    ///
    /// x = 2ᵏ·m, m in [√½, √2), f = m − 1, s = f/(2 + f),
    /// log x = k·ln 2 + f − f²/2 + s·(f²/2 + R(s²)) (see ``FastMath``).
    /// Within 2 ulp of Foundation's `log` (measured: at most 1 ulp), not bit-identical to it.
    /// log(±0) = −∞, log(x < 0) = NaN, log(+∞) = +∞, log(NaN) = NaN; subnormal x are scaled by
    /// 2⁵⁴ first, so they are as accurate as normal ones.
    /// - Parameter x: any double.
    /// - Returns: log x.
    /// - Complexity: O(1); allocates nothing.
    @inlinable
    public static func log(_ x: Double) -> Double {
        typealias C = FastMathConstants
        guard x >= C.smallestNormal && x < .infinity else {
            if x > 0 && x < C.smallestNormal { return logCore(x * 0x1p54, bias: C.exponentBias + 54) }
            return x == 0 ? -.infinity : x < 0 ? .nan : x
        }
        return logCore(x, bias: C.exponentBias)
    }

    /// log x for a positive normal finite x, with `bias` = 2⁵² + 1023 (+ 54 if x was scaled by 2⁵⁴).
    @inlinable @inline(__always)
    static func logCore(_ x: Double, bias: Double) -> Double {
        typealias C = FastMathConstants
        let t = Int64(bitPattern: x.bitPattern) &+ C.sqrtHalfOffset
        let e = (t &>> 52) & 0x7FF
        let m = Double(bitPattern: UInt64(bitPattern: (t & C.mantissaMask) &+ C.sqrtHalfBits))
        let kd = Double(bitPattern: UInt64(bitPattern: e | C.twoP52Bits)) - bias
        let f = m - 1
        let s = f / (2 + f)
        let z = s * s
        let z2 = z * z
        // Estrin's scheme for R(z)/z (short dependency chains).
        let a0 = C.l1 + C.l2 * z, a1 = C.l3 + C.l4 * z, a2 = C.l5 + C.l6 * z
        let b0 = a0 + a1 * z2, b1 = a2 + C.l7 * z2
        let q = b0 + b1 * (z2 * z2)
        let r = z * q
        let hfsq = 0.5 * f * f
        let lo = s * (hfsq + r) + kd * C.ln2Lo
        return kd * C.ln2Hi - ((hfsq - lo) - f)
    }

    /// The natural logarithm lane by lane, for any SIMD width (`SIMD2<Double>`, `SIMD4<Double>`,
    /// `SIMD8<Double>`, …).
    ///
    /// The same operations in the same order as the scalar ``log(_:)-swift.type.method``, so
    /// each lane is bit-identical to it; within 2 ulp of Foundation's `log` (measured: at most
    /// 1 ulp), not bit-identical to it. Special values as the scalar version.
    /// - Parameter x: any doubles.
    /// - Returns: the vector of log x.
    /// - Complexity: O(lanes); one branch, taken only when some lane is zero, negative,
    ///   subnormal, infinite or NaN; allocates nothing.
    @inlinable
    public static func log<V: FastMathVector>(_ x: V) -> V {
        typealias C = FastMathConstants
        if V.allLanes((x .>= C.smallestNormal) .& (x .< .infinity)) {
            return logCore(x, bias: V(repeating: C.exponentBias))
        }
        // Subnormal lanes (and zero or negative ones, replaced below) are scaled by 2⁵⁴ first.
        let small = x .< C.smallestNormal
        var y = logCore(x.replacing(with: x * 0x1p54, where: small),
                        bias: V(repeating: C.exponentBias).replacing(with: C.exponentBias + 54, where: small))
        y = y.replacing(with: -.infinity, where: x .== 0)
        y = y.replacing(with: .nan, where: x .< 0)
        y = y.replacing(with: x, where: x .== .infinity)
        return y.replacing(with: x, where: x .!= x)
    }

    /// log x lane by lane for positive normal finite lanes (see the scalar `logCore`).
    @inlinable @inline(__always)
    static func logCore<V: FastMathVector>(_ x: V, bias: V) -> V {
        typealias C = FastMathConstants
        let t = bits(x) &+ C.sqrtHalfOffset
        let e = (t &>> 52) & 0x7FF
        let m: V = doubles((t & C.mantissaMask) &+ C.sqrtHalfBits)
        let kd: V = doubles(e | C.twoP52Bits) - bias
        let f = m - 1
        let s = f / (2 + f)
        let z = s * s
        let z2 = z * z
        // Estrin's scheme for R(z)/z (short dependency chains).
        let a0 = C.l1 + C.l2 * z, a1 = C.l3 + C.l4 * z, a2 = C.l5 + C.l6 * z
        let b0 = a0 + a1 * z2, b1 = a2 + C.l7 * z2
        let q = b0 + b1 * (z2 * z2)
        let r = z * q
        let hfsq = 0.5 * f * f
        let lo = s * (hfsq + r) + kd * C.ln2Lo
        return kd * C.ln2Hi - ((hfsq - lo) - f)
    }
}
