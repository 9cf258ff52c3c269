import Foundation
@testable import PolicyGradient
import XCTest

/// The distance in units in the last place between two doubles: how many representable doubles
/// lie between them, counting one endpoint (adjacent doubles are 1 apart, +0 and −0 are 0 apart,
/// the largest finite double and +∞ are 1 apart). Two NaNs are 0 apart, a NaN and a number
/// `UInt64.max`.
func ulpDistance(_ a: Double, _ b: Double) -> UInt64 {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN ? 0 : .max }
    // Map the bit patterns to an order-preserving line: negatives below 2⁶³, positives above.
    func key(_ x: Double) -> UInt64 {
        let magnitude = x.bitPattern & ~(1 << 63)
        return x.sign == .minus ? (1 << 63) - magnitude : (1 << 63) + magnitude
    }
    let ka = key(a), kb = key(b)
    return ka > kb ? ka - kb : kb - ka
}

/// FastMath's exp and log against Foundation's (glibc's, correctly rounded in practice): at
/// most 2 ulp over every input range that stresses them, special values exactly as Foundation,
/// and scalar and vector versions bit-identical (so the scalar tail of a vector loop gives the
/// same numbers). The maxima measured are printed, for the README and reviews.
final class FastMathTests: XCTestCase {
    private let tolerance: UInt64 = 2

    // MARK: ulp distance

    func testULPDistanceOnHandComputedPairs() {
        XCTAssertEqual(ulpDistance(1, 1), 0)
        XCTAssertEqual(ulpDistance(1, 1.nextUp), 1)
        XCTAssertEqual(ulpDistance(1.nextDown, 1.nextUp), 2, "across the binade boundary at 1")
        XCTAssertEqual(ulpDistance(1, 2), 1 << 52, "one binade holds 2⁵² doubles")
        XCTAssertEqual(ulpDistance(-1, -2), 1 << 52)
        XCTAssertEqual(ulpDistance(0, -0.0), 0)
        XCTAssertEqual(ulpDistance(Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude), 2, "across zero")
        XCTAssertEqual(ulpDistance(0, Double.leastNormalMagnitude), 1 << 52, "the subnormals")
        XCTAssertEqual(ulpDistance(Double.greatestFiniteMagnitude, .infinity), 1)
        XCTAssertEqual(ulpDistance(-.infinity, .infinity), 2 * 0x7FF0_0000_0000_0000)
        XCTAssertEqual(ulpDistance(.nan, .nan), 0)
        XCTAssertEqual(ulpDistance(.nan, 1), .max)
        XCTAssertEqual(ulpDistance(2, 1), ulpDistance(1, 2), "symmetric")
    }

    // MARK: Special values

    func testExpSpecialValuesAreFoundations() {
        XCTAssertEqual(FastMath.exp(0), 1)
        XCTAssertEqual(FastMath.exp(-0.0), 1)
        XCTAssertEqual(FastMath.exp(.infinity), .infinity)
        XCTAssertEqual(FastMath.exp(-.infinity), 0)
        XCTAssertTrue(FastMath.exp(.nan).isNaN)
        XCTAssertEqual(FastMath.exp(709.79), .infinity, "overflow")
        XCTAssertEqual(FastMath.exp(1e300), .infinity)
        XCTAssertEqual(FastMath.exp(-745.14), 0, "underflow")
        XCTAssertEqual(FastMath.exp(-1e300), 0)
        XCTAssertEqual(FastMath.exp(-Double.greatestFiniteMagnitude), 0)
        XCTAssertTrue(FastMath.exp(709.78).isFinite, "just below overflow")
        XCTAssertEqual(FastMath.exp(-745.13), Double.leastNonzeroMagnitude, "the smallest subnormal")
        XCTAssertTrue(FastMath.exp(-720).isSubnormal)
    }

    func testLogSpecialValuesAreFoundations() {
        XCTAssertEqual(FastMath.log(1), 0)
        XCTAssertEqual(FastMath.log(0), -.infinity)
        XCTAssertEqual(FastMath.log(-0.0), -.infinity)
        XCTAssertTrue(FastMath.log(-1).isNaN)
        XCTAssertTrue(FastMath.log(-Double.leastNonzeroMagnitude).isNaN)
        XCTAssertTrue(FastMath.log(-.infinity).isNaN)
        XCTAssertEqual(FastMath.log(.infinity), .infinity)
        XCTAssertTrue(FastMath.log(.nan).isNaN)
        XCTAssertEqual(FastMath.log(2), Foundation.log(2))
        XCTAssertLessThanOrEqual(ulpDistance(FastMath.log(.leastNonzeroMagnitude), Foundation.log(.leastNonzeroMagnitude)), 1)
        XCTAssertLessThanOrEqual(ulpDistance(FastMath.log(.greatestFiniteMagnitude), Foundation.log(.greatestFiniteMagnitude)), 1)
    }

    // MARK: Accuracy sweeps

    /// The inputs that stress exp, by name.
    private func expInputs() -> [(String, [Double])] {
        var rng = RandomStream(seed: 11)
        let half = M_LN2 / 2
        let reduced = (0...40_000).map { -half + 2 * half * Double($0) / 40_000 }
        let random = (0..<40_000).map { _ in -745.2 + 1455 * rng.nextUniformOpen() }
        let small = (0..<10_000).map { _ in (rng.nextUniformOpen() - 0.5) * 0x1p-20 }
        // k·ln 2 and its neighbours: where the reduction changes k.
        let boundaries = stride(from: -1075, through: 1024, by: 1).flatMap { k -> [Double] in
            let x = Double(k) * M_LN2, y = (Double(k) + 0.5) * M_LN2
            return [x.nextDown, x, x.nextUp, y.nextDown, y, y.nextUp]
        }
        let edges = [709.782712893384, -708.3964185322641, -745.1332191019411, -745.1332191019412].flatMap { e in
            (-200...200).map { e + Double($0) * e.ulp }
        }
        let subnormal = (0...20_000).map { -745.13 + 36.73 * Double($0) / 20_000 }
        return [("reduced range |x| <= ln2/2", reduced), ("random in [-745.2, 709.8]", random),
                ("|x| < 2^-21", small), ("k ln2 and (k+1/2) ln2 and neighbours", boundaries),
                ("overflow / subnormal / underflow edges", edges), ("subnormal results", subnormal)]
    }

    /// The inputs that stress log, by name.
    private func logInputs() -> [(String, [Double])] {
        var rng = RandomStream(seed: 12)
        let lo: Double = 0.5.squareRoot(), width: Double = 2.squareRoot() - lo
        let reduced: [Double] = (0...40_000).map { lo + width * Double($0) / 40_000 }
        // Random bit patterns: every exponent equally likely, all positive normal finite doubles.
        let random: [Double] = (0..<40_000).map { _ in
            let bits: UInt64 = 0x0010_0000_0000_0000 + rng.next() % 0x7FE0_0000_0000_0000
            return Double(bitPattern: bits)
        }
        let powers = (-1074...1023).flatMap { e -> [Double] in
            let x = Double(sign: .plus, exponent: e, significand: 1)
            return [x.nextDown, x, x.nextUp]
        }.filter { $0 > 0 && $0.isFinite }
        let nearOne: [Double] = (-20_000...20_000).map { (k: Int) -> Double in 1 + Double(k) * 0x1p-40 }
            + (-500...500).map { (k: Int) -> Double in 1 + Double(k) * 0x1p-52 }
        let subnormal = (0..<20_000).map { _ in Double(bitPattern: 1 + rng.next() % 0x000F_FFFF_FFFF_FFFF) }
        let uniforms = (0..<20_000).map { _ in rng.nextUniformOpen() }
        let tiny: [Double] = (1...1_000).map { (k: Int) -> Double in Double(k) * 0x1p-53 }
            + (1...1_000).map { (k: Int) -> Double in 1 - Double(k) * 0x1p-53 }
        return [("reduced range [sqrt(1/2), sqrt(2)]", reduced), ("random positive normals (bit patterns)", random),
                ("powers of two and neighbours", powers), ("near 1", nearOne), ("subnormal inputs", subnormal),
                ("open-interval uniforms", uniforms), ("uniforms' extremes k 2^-53, 1 - k 2^-53", tiny)]
    }

    private func assertWithinTolerance(_ name: String, _ sets: [(String, [Double])], _ fast: (Double) -> Double,
                                       _ reference: (Double) -> Double, file: StaticString = #filePath, line: UInt = #line) {
        for (label, xs) in sets {
            var worst: UInt64 = 0, worstX = 0.0
            for x in xs {
                let d = ulpDistance(fast(x), reference(x))
                if d > worst { worst = d; worstX = x }
            }
            print("FastMath.\(name) vs Foundation, \(label): max \(worst) ulp over \(xs.count) inputs")
            XCTAssertLessThanOrEqual(worst, tolerance, "\(name)(\(worstX)) [\(label)]: \(fast(worstX)) vs \(reference(worstX))",
                                     file: file, line: line)
        }
    }

    func testExpIsWithinTwoULPOfFoundation() {
        assertWithinTolerance("exp", expInputs(), { FastMath.exp($0) }, { Foundation.exp($0) })
    }

    func testLogIsWithinTwoULPOfFoundation() {
        assertWithinTolerance("log", logInputs(), { FastMath.log($0) }, { Foundation.log($0) })
    }

    // MARK: Scalar and vector agree bit for bit

    private let specials: [Double] = [0, -0.0, 1, -1, .infinity, -.infinity, .nan, .leastNonzeroMagnitude,
                                      -.leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
                                      -.greatestFiniteMagnitude, 709.79, -745.14, 1e300, -1e300, 0x1p-1030]

    /// Every lane of `vector` applied to `xs` (padded by repeating) has the scalar's bits.
    private func assertLanesMatch<V: FastMathVector>(_: V.Type, _ xs: [Double], _ vector: (V) -> V,
                                                     _ scalar: (Double) -> Double, _ label: String) {
        var i = 0
        while i < xs.count {
            var v = V()
            for j in 0..<V.scalarCount { v[j] = xs[(i + j) % xs.count] }
            let y = vector(v)
            for j in 0..<V.scalarCount {
                let s = scalar(v[j])
                guard y[j].bitPattern == s.bitPattern || (y[j].isNaN && s.isNaN) else {
                    return XCTFail("\(label) SIMD\(V.scalarCount) lane \(j) at \(v[j]): \(y[j]) vs scalar \(s)")
                }
            }
            i += V.scalarCount
        }
    }

    func testVectorLanesAreBitIdenticalToScalar() {
        // A subsample of every sweep (the vector code is slow in a debug build) and the special values.
        let e = specials + expInputs().flatMap { $0.1.enumerated().filter { $0.offset % 37 == 0 }.map(\.element) }
        let l = specials + logInputs().flatMap { $0.1.enumerated().filter { $0.offset % 37 == 0 }.map(\.element) }
        assertLanesMatch(SIMD2<Double>.self, e, { FastMath.exp($0) }, { FastMath.exp($0) }, "exp")
        assertLanesMatch(SIMD4<Double>.self, e, { FastMath.exp($0) }, { FastMath.exp($0) }, "exp")
        assertLanesMatch(SIMD8<Double>.self, e, { FastMath.exp($0) }, { FastMath.exp($0) }, "exp")
        assertLanesMatch(SIMD16<Double>.self, e, { FastMath.exp($0) }, { FastMath.exp($0) }, "exp")
        assertLanesMatch(SIMD2<Double>.self, l, { FastMath.log($0) }, { FastMath.log($0) }, "log")
        assertLanesMatch(SIMD4<Double>.self, l, { FastMath.log($0) }, { FastMath.log($0) }, "log")
        assertLanesMatch(SIMD8<Double>.self, l, { FastMath.log($0) }, { FastMath.log($0) }, "log")
        assertLanesMatch(SIMD16<Double>.self, l, { FastMath.log($0) }, { FastMath.log($0) }, "log")
    }

    func testVectorSpecialValuesLaneByLane() {
        // One special lane among ordinary ones must not disturb its neighbours.
        let x = SIMD8<Double>(2, 0, -1, .infinity, .nan, 0x1p-1060, 0.5, 1e-300)
        let y = FastMath.log(x)
        XCTAssertEqual(y[0], FastMath.log(2))
        XCTAssertEqual(y[1], -.infinity)
        XCTAssertTrue(y[2].isNaN)
        XCTAssertEqual(y[3], .infinity)
        XCTAssertTrue(y[4].isNaN)
        XCTAssertLessThanOrEqual(ulpDistance(y[5], Foundation.log(0x1p-1060)), 1)
        XCTAssertEqual(y[6], FastMath.log(0.5))
        XCTAssertLessThanOrEqual(ulpDistance(y[7], Foundation.log(1e-300)), 1)
        let z = FastMath.exp(SIMD4<Double>(.nan, -.infinity, .infinity, 1))
        XCTAssertTrue(z[0].isNaN)
        XCTAssertEqual(z[1], 0)
        XCTAssertEqual(z[2], .infinity)
        XCTAssertEqual(z[3], FastMath.exp(1))
    }

    /// `allLanes` of every width: true for all-true masks, false when any one lane is false
    /// (whichever half it is in).
    func testAllLanesSeesEveryLane() {
        func check<V: FastMathVector>(_: V.Type) {
            let ones = V(repeating: 1)
            XCTAssertTrue(V.allLanes(ones .> 0), "\(V.self)")
            for k in 0..<V.scalarCount {
                var v = ones
                v[k] = -1
                XCTAssertFalse(V.allLanes(v .> 0), "\(V.self), lane \(k)")
            }
            XCTAssertFalse(V.allLanes(ones .< 0), "\(V.self)")
        }
        check(SIMD2<Double>.self)
        check(SIMD4<Double>.self)
        check(SIMD8<Double>.self)
        check(SIMD16<Double>.self)
    }
}
