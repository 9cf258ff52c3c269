/// A SIMD vector of doubles that ``FastMath``'s vector functions accept: `SIMD2<Double>`,
/// `SIMD4<Double>`, `SIMD8<Double>` and `SIMD16<Double>` conform.
///
/// Why a protocol of its own: in code generic over `SIMD`, the standard library's operators
/// resolve to their generic, lane-by-lane implementations, which the optimiser vectorises
/// only sometimes (a `SIMD8` comparison stays a loop). Restating the operators ``FastMath``
/// uses as requirements makes each width's own vectorised operators the witnesses, so the
/// generic code compiles to the same instructions as code written for that width. A
/// conformance implements ``allLanes(_:)``, ``clampedAbove(_:)`` and ``clampedBelow(_:)``; every
/// other requirement is met by the standard library.
public protocol FastMathVector: SIMD where Scalar == Double, MaskStorage: FastMathIntegerVector {
    /// Lane-wise sum. - Returns: a + b.
    static func + (a: Self, b: Self) -> Self
    /// Lane-wise difference. - Returns: a − b.
    static func - (a: Self, b: Self) -> Self
    /// Lane-wise product. - Returns: a · b.
    static func * (a: Self, b: Self) -> Self
    /// Lane-wise quotient. - Returns: a / b.
    static func / (a: Self, b: Self) -> Self
    /// Adds a scalar to every lane. - Returns: a + b.
    static func + (a: Self, b: Scalar) -> Self
    /// Subtracts a scalar from every lane. - Returns: a − b.
    static func - (a: Self, b: Scalar) -> Self
    /// Multiplies every lane by a scalar. - Returns: a · b.
    static func * (a: Self, b: Scalar) -> Self
    /// Adds every lane to a scalar. - Returns: a + b.
    static func + (a: Scalar, b: Self) -> Self
    /// Multiplies a scalar by every lane. - Returns: a · b.
    static func * (a: Scalar, b: Self) -> Self
    /// Lane-wise negation (exact). - Returns: −a.
    static prefix func - (a: Self) -> Self
    /// The lanes greater than a scalar (false for NaN). - Returns: the mask a > b.
    static func .> (a: Self, b: Scalar) -> SIMDMask<MaskStorage>
    /// The lanes less than a scalar (false for NaN). - Returns: the mask a < b.
    static func .< (a: Self, b: Scalar) -> SIMDMask<MaskStorage>
    /// The lanes at least a scalar (false for NaN). - Returns: the mask a ≥ b.
    static func .>= (a: Self, b: Scalar) -> SIMDMask<MaskStorage>
    /// The lanes equal to a scalar. - Returns: the mask a = b.
    static func .== (a: Self, b: Scalar) -> SIMDMask<MaskStorage>
    /// The lanes that differ (true where either is NaN). - Returns: the mask a ≠ b.
    static func .!= (a: Self, b: Self) -> SIMDMask<MaskStorage>
    /// `self` with the lanes where `mask` is true replaced by `other`.
    /// - Returns: the blended vector.
    func replacing(with other: Scalar, where mask: SIMDMask<MaskStorage>) -> Self
    /// `self` with the lanes where `mask` is true replaced by those of `other`.
    /// - Returns: the blended vector.
    func replacing(with other: Self, where mask: SIMDMask<MaskStorage>) -> Self
    /// Whether every lane of `mask` is true (the standard library's `all(_:)` for this width).
    /// - Parameter mask: a lane mask.
    /// - Returns: true if all lanes are true.
    static func allLanes(_ mask: SIMDMask<MaskStorage>) -> Bool
    /// `self` with the lanes above `bound` replaced by `bound` (NaN lanes stay NaN): one
    /// `minpd` per pair of lanes, which the optimiser finds for `SIMD2` only, so wider
    /// vectors apply their halves' versions.
    /// - Parameter bound: the upper bound.
    /// - Returns: the clamped vector.
    func clampedAbove(_ bound: Scalar) -> Self
    /// `self` with the lanes below `bound` replaced by `bound` (NaN lanes stay NaN); see
    /// ``clampedAbove(_:)``.
    /// - Parameter bound: the lower bound.
    /// - Returns: the clamped vector.
    func clampedBelow(_ bound: Scalar) -> Self
}

/// The integer vectors (the lane masks' storage, `SIMDn<Int64>`) on which ``FastMath`` builds
/// and takes apart the bit patterns of doubles; like ``FastMathVector``, it restates the
/// operators used so that each width's vectorised ones are the witnesses.
public protocol FastMathIntegerVector: SIMD where Scalar == Int64 {
    /// Lane-wise wrapping sum. - Returns: a &+ b.
    static func &+ (a: Self, b: Scalar) -> Self
    /// Lane-wise wrapping difference. - Returns: a &− b.
    static func &- (a: Self, b: Scalar) -> Self
    /// Lane-wise wrapping difference. - Returns: a &− b.
    static func &- (a: Self, b: Self) -> Self
    /// Lane-wise left shift. - Returns: a &<< b.
    static func &<< (a: Self, b: Scalar) -> Self
    /// Lane-wise arithmetic right shift. - Returns: a &>> b.
    static func &>> (a: Self, b: Scalar) -> Self
    /// Lane-wise bitwise and. - Returns: a & b.
    static func & (a: Self, b: Scalar) -> Self
    /// Lane-wise bitwise or. - Returns: a | b.
    static func | (a: Self, b: Scalar) -> Self
}

extension SIMD2: FastMathIntegerVector where Scalar == Int64 {}
extension SIMD4: FastMathIntegerVector where Scalar == Int64 {}
extension SIMD8: FastMathIntegerVector where Scalar == Int64 {}
extension SIMD16: FastMathIntegerVector where Scalar == Int64 {}

extension SIMD2: FastMathVector where Scalar == Double {
    /// Whether every lane of `mask` is true (an AND of the lanes' bits through the halves, not the
    /// standard library's lane-by-lane `all`). - Parameter mask: a lane mask. - Returns: `all(mask)`.
    @inlinable public static func allLanes(_ mask: SIMDMask<MaskStorage>) -> Bool {
        let s = unsafeBitCast(mask, to: SIMD2<Int64>.self)  // a true lane is −1
        return s[0] & s[1] == -1
    }
    /// The lanes above `bound` replaced by it, NaN kept. - Parameter bound: the bound. - Returns: the clamped vector.
    @inlinable @inline(__always) public func clampedAbove(_ bound: Double) -> Self { replacing(with: bound, where: self .> bound) }
    /// The lanes below `bound` replaced by it, NaN kept. - Parameter bound: the bound. - Returns: the clamped vector.
    @inlinable @inline(__always) public func clampedBelow(_ bound: Double) -> Self { replacing(with: bound, where: self .< bound) }
}

extension SIMD4: FastMathVector where Scalar == Double {
    /// Whether every lane of `mask` is true (an AND of the lanes' bits through the halves, not the
    /// standard library's lane-by-lane `all`). - Parameter mask: a lane mask. - Returns: `all(mask)`.
    @inlinable public static func allLanes(_ mask: SIMDMask<MaskStorage>) -> Bool {
        let s = unsafeBitCast(mask, to: SIMD4<Int64>.self), h = s.lowHalf & s.highHalf
        return h[0] & h[1] == -1
    }
    /// The lanes above `bound` replaced by it, NaN kept. - Parameter bound: the bound. - Returns: the clamped vector.
    @inlinable public func clampedAbove(_ bound: Double) -> Self {
        Self(lowHalf: lowHalf.clampedAbove(bound), highHalf: highHalf.clampedAbove(bound))
    }
    /// The lanes below `bound` replaced by it, NaN kept. - Parameter bound: the bound. - Returns: the clamped vector.
    @inlinable public func clampedBelow(_ bound: Double) -> Self {
        Self(lowHalf: lowHalf.clampedBelow(bound), highHalf: highHalf.clampedBelow(bound))
    }
}

extension SIMD8: FastMathVector where Scalar == Double {
    /// Whether every lane of `mask` is true (an AND of the lanes' bits through the halves, not the
    /// standard library's lane-by-lane `all`). - Parameter mask: a lane mask. - Returns: `all(mask)`.
    @inlinable public static func allLanes(_ mask: SIMDMask<MaskStorage>) -> Bool {
        let s = unsafeBitCast(mask, to: SIMD8<Int64>.self), q = s.lowHalf & s.highHalf, h = q.lowHalf & q.highHalf
        return h[0] & h[1] == -1
    }
    /// The lanes above `bound` replaced by it, NaN kept. - Parameter bound: the bound. - Returns: the clamped vector.
    @inlinable public func clampedAbove(_ bound: Double) -> Self {
        Self(lowHalf: lowHalf.clampedAbove(bound), highHalf: highHalf.clampedAbove(bound))
    }
    /// The lanes below `bound` replaced by it, NaN kept. - Parameter bound: the bound. - Returns: the clamped vector.
    @inlinable public func clampedBelow(_ bound: Double) -> Self {
        Self(lowHalf: lowHalf.clampedBelow(bound), highHalf: highHalf.clampedBelow(bound))
    }
}

extension SIMD16: FastMathVector where Scalar == Double {
    /// Whether every lane of `mask` is true (an AND of the lanes' bits through the halves, not the
    /// standard library's lane-by-lane `all`). - Parameter mask: a lane mask. - Returns: `all(mask)`.
    @inlinable public static func allLanes(_ mask: SIMDMask<MaskStorage>) -> Bool {
        let s = unsafeBitCast(mask, to: SIMD16<Int64>.self), o = s.lowHalf & s.highHalf, q = o.lowHalf & o.highHalf
        let h = q.lowHalf & q.highHalf
        return h[0] & h[1] == -1
    }
    /// The lanes above `bound` replaced by it, NaN kept. - Parameter bound: the bound. - Returns: the clamped vector.
    @inlinable public func clampedAbove(_ bound: Double) -> Self {
        Self(lowHalf: lowHalf.clampedAbove(bound), highHalf: highHalf.clampedAbove(bound))
    }
    /// The lanes below `bound` replaced by it, NaN kept. - Parameter bound: the bound. - Returns: the clamped vector.
    @inlinable public func clampedBelow(_ bound: Double) -> Self {
        Self(lowHalf: lowHalf.clampedBelow(bound), highHalf: highHalf.clampedBelow(bound))
    }
}
