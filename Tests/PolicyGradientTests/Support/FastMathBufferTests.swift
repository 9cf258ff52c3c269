import Foundation
@testable import PolicyGradient
import XCTest

/// FastMath's buffer helpers: exp/log over buffers give the scalar function's bits for every
/// length (every tail), the Gumbel fill consumes exactly the scalar loop's uniforms, and the
/// softmax agrees with the Foundation path to a few ulp.
final class FastMathBufferTests: XCTestCase {
    private func assertSameBits(_ a: [Double], _ b: [Double], _ label: String,
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, label, file: file, line: line)
        for (k, (x, y)) in zip(a, b).enumerated() where x.bitPattern != y.bitPattern && !(x.isNaN && y.isNaN) {
            return XCTFail("\(label) [\(k)]: \(x) vs \(y)", file: file, line: line)
        }
    }

    func testBufferExpAndLogMatchScalarForEveryTail() {
        var rng = RandomStream(seed: 21)
        for n in 0...27 {
            let x = (0..<n).map { _ in 40 * rng.nextUniformOpen() - 20 }
            var out = [Double](repeating: .nan, count: n)
            x.withUnsafeBufferPointer { src in out.withUnsafeMutableBufferPointer { FastMath.exp(src, into: $0) } }
            assertSameBits(out, x.map { FastMath.exp($0) }, "exp, n = \(n)")
            let positive = x.map { Swift.abs($0) + 1e-3 }
            positive.withUnsafeBufferPointer { src in out.withUnsafeMutableBufferPointer { FastMath.log(src, into: $0) } }
            assertSameBits(out, positive.map { FastMath.log($0) }, "log, n = \(n)")
            var inPlace = positive
            inPlace.withUnsafeMutableBufferPointer { FastMath.log(UnsafeBufferPointer($0), into: $0) }
            assertSameBits(inPlace, out, "log in place, n = \(n)")
        }
    }

    // MARK: Gumbel noise

    func testFillGumbelConsumesTheScalarLoopsUniforms() {
        for seed: UInt64 in [1, 2, 3] {
            for n in [0, 1, 7, 8, 9, 10, 17, 100] {
                var a = RandomStream(seed: seed), b = RandomStream(seed: seed), c = RandomStream(seed: seed)
                var g = [Double](repeating: 0, count: n)
                g.withUnsafeMutableBufferPointer { FastMath.fillGumbel($0, using: &a) }
                let scalar = (0..<n).map { _ in -FastMath.log(-FastMath.log(b.nextUniformOpen())) }
                assertSameBits(g, scalar, "seed \(seed), n = \(n)")
                XCTAssertEqual(a.next(), b.next(), "seed \(seed), n = \(n): the stream must end where the scalar loop's does")
                // Against Foundation's nextGumbel: each of the two logs is within 2 ulp, so
                // |Δg| ≤ 2⁻⁵⁰ (from the inner log) + 2 ulp(g) (from the outer).
                for k in 0..<n {
                    let reference = c.nextGumbel()
                    XCTAssertLessThanOrEqual(Swift.abs(g[k] - reference), 0x1p-50 + 2 * reference.ulp,
                                             "seed \(seed), n = \(n), k = \(k)")
                }
            }
        }
    }

    func testGumbelMomentsWithinStandardErrors() {
        // Gumbel(0, 1): mean γ (Euler–Mascheroni), variance π²/6.
        let n = 20_000, gamma = 0.5772156649015329, variance = Double.pi * Double.pi / 6
        for seed: UInt64 in [4, 5] {
            var rng = RandomStream(seed: seed)
            var g = [Double](repeating: 0, count: n)
            g.withUnsafeMutableBufferPointer { FastMath.fillGumbel($0, using: &rng) }
            let mean = g.reduce(0, +) / Double(n)
            XCTAssertLessThan(Swift.abs(mean - gamma), 4 * (variance / Double(n)).squareRoot(), "seed \(seed)")
            XCTAssertTrue(g.allSatisfy { $0.isFinite && Swift.abs($0) < 40 }, "seed \(seed)")
        }
    }

    // MARK: Softmax

    func testSoftmaxAgreesWithTheFoundationPath() {
        var rng = RandomStream(seed: 31)
        for n in [1, 2, 3, 9, 10, 11, 16, 33] {
            for tau in [1e-3, 0.3, 1, 100] {
                let z = (0..<n).map { _ in 100 * rng.nextUniformOpen() - 50 }
                var fast = [Double](repeating: 0, count: n), slow = fast
                z.withUnsafeBufferPointer { src in
                    fast.withUnsafeMutableBufferPointer { FastMath.softmax(src, temperature: tau, into: $0) }
                    slow.withUnsafeMutableBufferPointer { Softmax.softmax(src, temperature: tau, into: $0) }
                }
                // Each exp within 2 ulp, the sum of n terms and one reciprocal: a few ulp in all.
                for k in 0..<n {
                    XCTAssertLessThanOrEqual(Swift.abs(fast[k] - slow[k]), 8 * Double.ulpOfOne * slow[k] + 1e-300,
                                             "n = \(n), τ = \(tau), k = \(k): \(fast[k]) vs \(slow[k])")
                }
                XCTAssertEqual(fast.reduce(0, +), 1, accuracy: 1e-14, "n = \(n), τ = \(tau)")
                XCTAssertTrue(fast.allSatisfy { $0.isFinite && $0 >= 0 }, "n = \(n), τ = \(tau)")
            }
        }
    }

    func testSoftmaxRowsIsEachRowsSoftmaxBitForBit() {
        var rng = RandomStream(seed: 32)
        for columns in [1, 3, 10] {
            let rows = 7
            let z = (0..<rows * columns).map { _ in 20 * rng.nextUniformOpen() - 10 }
            var all = [Double](repeating: 0, count: z.count)
            z.withUnsafeBufferPointer { src in all.withUnsafeMutableBufferPointer { FastMath.softmaxRows(src, columns: columns, temperature: 0.7, into: $0) } }
            for r in 0..<rows {
                let row = Array(z[r * columns..<(r + 1) * columns])
                var one = [Double](repeating: 0, count: columns)
                row.withUnsafeBufferPointer { src in one.withUnsafeMutableBufferPointer { FastMath.softmax(src, temperature: 0.7, into: $0) } }
                assertSameBits(Array(all[r * columns..<(r + 1) * columns]), one, "columns \(columns), row \(r)")
            }
            var inPlace = z
            inPlace.withUnsafeMutableBufferPointer { FastMath.softmaxRows(UnsafeBufferPointer($0), columns: columns, temperature: 0.7, into: $0) }
            assertSameBits(inPlace, all, "columns \(columns), in place")
        }
    }

    func testSoftmaxInPlaceEqualsOutOfPlace() {
        let z: [Double] = [0.3, -1.2, 4.0, 4.0, 2.5, -30, 0, 7, 1, 1, 1e-3]
        var out = [Double](repeating: 0, count: z.count), inPlace = z
        z.withUnsafeBufferPointer { src in out.withUnsafeMutableBufferPointer { FastMath.softmax(src, into: $0) } }
        inPlace.withUnsafeMutableBufferPointer { FastMath.softmax(UnsafeBufferPointer($0), into: $0) }
        assertSameBits(inPlace, out, "in place")
        XCTAssertEqual(out[2], out[3], "equal logits, equal probabilities")
    }
}
