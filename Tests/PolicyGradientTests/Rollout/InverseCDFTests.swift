@testable import PolicyGradient
import XCTest

/// The rollout's inversion (vector compares, two at a time) against the definition: the first
/// k with u < c_k, or A − 1 when there is none.
final class InverseCDFTests: XCTestCase {

    static func reference(_ c: [Double], _ u: Double) -> Int {
        for k in 0..<(c.count - 1) where u < c[k] { return k }
        return c.count - 1
    }

    func testMatchesTheDefinitionForEveryWidthAndOnTheEdges() {
        var rng = RandomStream(seed: 11)
        for a in 1...13 {
            for _ in 0..<200 {
                var p = (0..<a).map { _ in rng.nextUniform() < 0.2 ? 0 : rng.nextUniform() }  // some zero-probability actions
                if p.allSatisfy({ $0 == 0 }) { p[0] = 1 }
                let z = p.reduce(0, +)
                var acc = 0.0
                var c = p.map { acc += $0 / z; return acc }
                c[a - 1] = 1
                // Uniform draws, the edges themselves (u = c_k picks k + 1), 0 and just below 1.
                let us = [rng.nextUniform(), rng.nextUniform(), 0, 1.0.nextDown] + c.dropLast()
                for u in us {
                    let k = c.withUnsafeBufferPointer { InverseCDFSampler.action($0.baseAddress!, count: a, uniform: u) }
                    XCTAssertEqual(k, Self.reference(c, u), "A = \(a), u = \(u), c = \(c)")
                }
            }
        }
    }
}
