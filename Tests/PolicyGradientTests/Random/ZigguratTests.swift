import Foundation
@testable import PolicyGradient
import XCTest

/// The ziggurat's fast path and its out-of-line rare cases (``RandomStream/nextGaussian()``)
/// draw exactly what the textbook loop draws, bit for bit and stream position for position,
/// including the wedge tests and the tail; and a bandit's pulls, which pass the tables in,
/// are those of the public sampler.
final class ZigguratTests: XCTestCase {
    /// The ziggurat as one loop (Marsaglia & Tsang with Doornik's disjoint bits), the reference.
    func referenceGaussian(_ rng: inout RandomStream) -> Double {
        let table = ZigguratTable.shared
        while true {
            let bits = rng.next()
            let i = Int(bits & 0x7F)
            let u = 2 * ((Double(bits >> 11) + 0.5) * 0x1p-53) - 1
            if abs(u) < table.ratio[i] { return u * table.x[i] }
            if i == 0 {
                let r = ZigguratTable.tailStart
                var x = 0.0, y = 0.0
                repeat {
                    x = Foundation.log(rng.nextUniformOpen()) / r
                    y = Foundation.log(rng.nextUniformOpen())
                } while -2 * y < x * x
                return u < 0 ? x - r : r - x
            }
            let x = u * table.x[i]
            let f0 = Foundation.exp(-0.5 * (table.x[i] * table.x[i] - x * x))
            let f1 = Foundation.exp(-0.5 * (table.x[i + 1] * table.x[i + 1] - x * x))
            if f1 + rng.nextUniformOpen() * (f0 - f1) < 1 { return x }
        }
    }

    func testDrawsEqualTheReferenceLoopIncludingTheRareCases() {
        var fast = RandomStream(seed: 77), slow = fast
        var tails = 0, outsideTheCore = 0
        for _ in 0..<200_000 {
            var peek = fast
            let bits = peek.next(), i = Int(bits & 0x7F)
            if abs(2 * ((Double(bits >> 11) + 0.5) * 0x1p-53) - 1) >= ZigguratTable.shared.ratio[i] { outsideTheCore += 1 }
            let g = fast.nextGaussian(), r = referenceGaussian(&slow)
            XCTAssertEqual(g.bitPattern, r.bitPattern)
            if abs(g) > ZigguratTable.tailStart { tails += 1 }
            XCTAssertEqual(fast.next(), slow.next(), "the streams moved apart")
        }
        XCTAssertGreaterThan(tails, 20, "the tail (P ≈ 5.8e-4) was not exercised")
        XCTAssertGreaterThan(outsideTheCore, 2000, "the wedge tests (about 1.5% of draws) were not exercised")
    }

    func testABanditPullIsThePublicSamplersDraw() {
        var bandit = Bandit.tenArmedTestbed(seed: 5, mean: 4)
        var a = RandomStream(seed: 9), b = a
        for k in 0..<5000 {
            let pulled = bandit.step(k % 10, using: &a).reward
            XCTAssertEqual(pulled.bitPattern, bandit.arms[k % 10].sample(using: &b).bitPattern)
        }
    }
}
