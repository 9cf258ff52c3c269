/// Numbers of several independent runs held together, one per lane: a `Double` for one run,
/// `SIMD2<Double>` for two seeds advanced in lockstep (the vector dimension is the seed).
///
/// Every lane-wise operation is the scalar operation, and ``FastMath``'s exp and log give the
/// same bits at any width, so a lane's numbers are those its run would have alone, whatever
/// runs share its vector. Code written once over `Lanes` (``PolicyTable``'s normalisation, the
/// gradient bandit's lockstep stages) thus serves one run and two alike.
@usableFromInline protocol Lanes: Sendable {
    /// Runs per value.
    static var laneCount: Int { get }
    /// Every lane `x`.
    init(repeating x: Double)
    /// Lane 0 `a` and lane 1 `b` (a one-lane value keeps `a`).
    init(lanes a: Double, _ b: Double)
    /// Lane-wise sum.
    static func + (a: Self, b: Self) -> Self
    /// Lane-wise difference.
    static func - (a: Self, b: Self) -> Self
    /// Lane-wise product.
    static func * (a: Self, b: Self) -> Self
    /// Lane-wise quotient.
    static func / (a: Self, b: Self) -> Self
    /// Lane-wise: `other` where it is greater than `self` (NaN compares false), else `self`.
    func maxed(with other: Self) -> Self
    /// ``FastMath/exp(_:)-swift.type.method`` of every lane.
    static func fastExp(_ x: Self) -> Self
    /// ``FastMath/log(_:)-swift.type.method`` of every lane.
    static func fastLog(_ x: Self) -> Self
    /// Lane-wise square root.
    func squareRoot() -> Self
    /// Lane i.
    subscript(lane i: Int) -> Double { get set }
    /// Adds, in lane i of `counts`, 1 where lane i of `c` is at most lane i of `u` (a NaN compares
    /// false): the count by which inversion picks an action.
    static func count(_ c: Self, atMost u: Self, into counts: inout SIMD2<Int64>)
}

extension Double: Lanes {
    @inlinable static var laneCount: Int { 1 }
    @inlinable @inline(__always) init(repeating x: Double) { self = x }
    @inlinable @inline(__always) init(lanes a: Double, _ b: Double) { self = a }
    @inlinable @inline(__always) func maxed(with other: Double) -> Double { other > self ? other : self }
    @inlinable @inline(__always) static func fastExp(_ x: Double) -> Double { FastMath.exp(x) }
    @inlinable @inline(__always) static func fastLog(_ x: Double) -> Double { FastMath.log(x) }
    @inlinable subscript(lane i: Int) -> Double {
        get { self }
        set { self = newValue }
    }
    @inlinable @inline(__always) static func count(_ c: Double, atMost u: Double, into counts: inout SIMD2<Int64>) {
        counts[0] &+= c <= u ? 1 : 0
    }
}

extension SIMD2: Lanes where Scalar == Double {
    @inlinable static var laneCount: Int { 2 }
    @inlinable @inline(__always) init(lanes a: Double, _ b: Double) { self.init(a, b) }
    @inlinable @inline(__always) func maxed(with other: SIMD2<Double>) -> SIMD2<Double> {
        replacing(with: other, where: other .> self)
    }
    @inlinable @inline(__always) static func fastExp(_ x: SIMD2<Double>) -> SIMD2<Double> { FastMath.exp(x) }
    @inlinable @inline(__always) static func fastLog(_ x: SIMD2<Double>) -> SIMD2<Double> { FastMath.log(x) }
    @inlinable subscript(lane i: Int) -> Double {
        get { self[i] }
        set { self[i] = newValue }
    }
    @inlinable @inline(__always) static func count(_ c: SIMD2<Double>, atMost u: SIMD2<Double>, into counts: inout SIMD2<Int64>) {
        counts &-= unsafeBitCast(c .<= u, to: SIMD2<Int64>.self)  // a true lane is −1
    }
}
