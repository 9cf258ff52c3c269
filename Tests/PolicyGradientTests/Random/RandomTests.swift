import Foundation
@testable import PolicyGradient
import XCTest

/// RandomStream: determinism, independence of derived streams, exact ranges, and the moments of
/// its samplers within standard errors (Determinism.md).
final class RandomTests: XCTestCase {
    private let seeds: [UInt64] = [1, 2, 3]

    private func draws(_ stream: RandomStream, _ n: Int = 64) -> [UInt64] {
        var s = stream
        return (0..<n).map { _ in s.next() }
    }

    // MARK: Determinism

    func testSameTripleGivesSameStream() {
        for seed in seeds {
            for (it, ep) in [(0, 0), (3, 7), (-1, 5), (1000, -12)] {
                XCTAssertEqual(draws(RandomStream(seed: seed, iteration: it, episode: ep)),
                               draws(RandomStream(seed: seed, iteration: it, episode: ep)), "seed \(seed) (\(it), \(ep))")
            }
            XCTAssertEqual(draws(RandomStream(seed: seed)), draws(RandomStream(seed: seed)), "seed \(seed)")
        }
    }

    func testDifferentTriplesGiveDifferentStreams() {
        for seed in seeds {
            var firsts = Set<UInt64>()
            var count = 0
            for it in 0..<20 {
                for ep in -3..<20 {
                    firsts.insert(draws(RandomStream(seed: seed, iteration: it, episode: ep), 1)[0])
                    count += 1
                }
            }
            // 460 streams: a repeated first draw among 64-bit values would mean two triples collide.
            XCTAssertEqual(firsts.count, count, "seed \(seed): two (iteration, episode) pairs share a stream")
            XCTAssertNotEqual(draws(RandomStream(seed: seed, iteration: 0, episode: 0)),
                              draws(RandomStream(seed: seed &+ 1, iteration: 0, episode: 0)), "seed \(seed)")
            // Swapping iteration and episode must not give the same stream.
            XCTAssertNotEqual(draws(RandomStream(seed: seed, iteration: 2, episode: 5)),
                              draws(RandomStream(seed: seed, iteration: 5, episode: 2)), "seed \(seed)")
        }
    }

    func testSplitIsDeterministicAndLeavesParentUnchanged() {
        for seed in seeds {
            let parent = RandomStream(seed: seed)
            let before = draws(parent)
            XCTAssertEqual(draws(parent.split(7)), draws(parent.split(7)), "seed \(seed)")
            XCTAssertNotEqual(draws(parent.split(7)), draws(parent.split(8)), "seed \(seed)")
            XCTAssertNotEqual(draws(parent.split(0)), before, "seed \(seed)")
            XCTAssertEqual(draws(parent), before, "seed \(seed): split changed the parent")
        }
    }

    /// Sample correlation of paired uniforms from two streams is within 4.5/√n of 0.
    private func assertUncorrelated(_ a: RandomStream, _ b: RandomStream, n: Int = 20_000, _ label: String,
                                    file: StaticString = #filePath, line: UInt = #line) {
        var x = a, y = b
        var sx = 0.0, sy = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0
        for _ in 0..<n {
            let u = x.nextUniform(), v = y.nextUniform()
            sx += u; sy += v; sxx += u * u; syy += v * v; sxy += u * v
        }
        let m = Double(n)
        let cov = sxy / m - sx / m * sy / m
        let r = cov / ((sxx / m - sx * sx / (m * m)) * (syy / m - sy * sy / (m * m))).squareRoot()
        XCTAssertLessThan(abs(r), 4.5 / m.squareRoot(), "\(label): correlation \(r)", file: file, line: line)
    }

    func testSplitAndEpisodeStreamsAreUncorrelated() {
        for seed in seeds {
            let p = RandomStream(seed: seed)
            assertUncorrelated(p.split(0), p.split(1), "seed \(seed) split(0) vs split(1)")
            assertUncorrelated(p, p.split(0), "seed \(seed) parent vs split(0)")
            assertUncorrelated(RandomStream(seed: seed, iteration: 0, episode: 0),
                               RandomStream(seed: seed, iteration: 0, episode: 1), "seed \(seed) episodes 0, 1")
        }
    }

    /// The engine uses the first draws of many neighbouring episode streams: across episodes they
    /// must be uniform and uncorrelated with the neighbour's.
    func testFirstDrawsAcrossEpisodesAreIndependentUniforms() {
        for seed in seeds {
            let n = 20_000
            let u = (0..<(n + 1)).map { e -> Double in
                var r = RandomStream(seed: seed, iteration: 4, episode: e)
                return r.nextUniform()
            }
            let mean = u.reduce(0, +) / Double(n + 1)
            XCTAssertLessThan(abs(mean - 0.5), 4.5 * (1.0 / 12 / Double(n)).squareRoot(), "seed \(seed) mean \(mean)")
            var c = 0.0
            for e in 0..<n { c += (u[e] - 0.5) * (u[e + 1] - 0.5) }
            let r = c / Double(n) * 12
            XCTAssertLessThan(abs(r), 4.5 / Double(n).squareRoot(), "seed \(seed) lag-1 correlation \(r)")
        }
    }

    // MARK: Exact ranges

    /// SplitMix64's finaliser inverted: x ^ (x >> s) and multiplication by an odd constant are bijections.
    private func unmix(_ x: UInt64) -> UInt64 {
        func unxorshift(_ y: UInt64, _ s: UInt64) -> UInt64 {
            var z = y
            for _ in 0..<(64 / Int(s) + 1) { z = y ^ (z >> s) }
            return z
        }
        func inverse(_ m: UInt64) -> UInt64 {
            var inv = m
            for _ in 0..<6 { inv = inv &* (2 &- m &* inv) }
            return inv
        }
        var z = unxorshift(x, 31)
        z = z &* inverse(0x94D0_49BB_1331_11EB)
        z = unxorshift(z, 27)
        z = z &* inverse(0xBF58_476D_1CE4_E5B9)
        return unxorshift(z, 30)
    }

    /// A stream whose first `next()` is `bits`: state = unmix(bits) − γ, seed = unmix(state) − offset.
    private func stream(firstDraw bits: UInt64) -> RandomStream {
        let state = unmix(bits) &- 0x9E37_79B9_7F4A_7C15
        return RandomStream(seed: unmix(state) &- 0x5851_F42D_4C95_7F2D)
    }

    func testUnmixInvertsMix() {
        var r = RandomStream(seed: 9)
        for _ in 0..<100 {
            let x = r.next()
            XCTAssertEqual(unmix(RandomStream.mix(x)), x)
        }
    }

    /// The extreme bit patterns (all zeros, all ones) give the formula's minimum and maximum; both
    /// must lie strictly inside (0, 1), and the Gumbel and Gaussian draws built on them must be finite.
    func testUniformOpenAtExtremeBitPatterns() {
        for bits: UInt64 in [0, 1, 1 << 11, UInt64.max, UInt64.max - (1 << 11), UInt64.max >> 1, 1 << 63] {
            var probe = stream(firstDraw: bits)
            XCTAssertEqual(probe.next(), bits, "cannot steer the stream: RandomStream is no longer SplitMix64")
            var u = stream(firstDraw: bits)
            let x = u.nextUniformOpen()
            XCTAssertGreaterThan(x, 0, "bits \(String(bits, radix: 16))")
            XCTAssertLessThan(x, 1, "bits \(String(bits, radix: 16))")
            var g = stream(firstDraw: bits)
            let gumbel = g.nextGumbel()
            XCTAssertTrue(gumbel.isFinite && abs(gumbel) < 40, "bits \(String(bits, radix: 16)): Gumbel \(gumbel)")
            var n = stream(firstDraw: bits)
            XCTAssertTrue(n.nextGaussian().isFinite, "bits \(String(bits, radix: 16))")
            var h = stream(firstDraw: bits)
            let half = h.nextUniform()
            XCTAssertTrue(half >= 0 && half < 1, "bits \(String(bits, radix: 16)): nextUniform \(half)")
        }
        // Minimum and maximum are symmetric about ½, so the open uniform has mean exactly ½.
        var lo = stream(firstDraw: 0), hi = stream(firstDraw: UInt64.max)
        XCTAssertEqual(lo.nextUniformOpen() + hi.nextUniformOpen(), 1)
    }

    func testUniformOpenNeverHitsTheEnds() {
        for seed in seeds {
            var r = RandomStream(seed: seed)
            var lo = 1.0, hi = 0.0
            for _ in 0..<200_000 {
                let u = r.nextUniformOpen()
                lo = min(lo, u); hi = max(hi, u)
            }
            XCTAssertTrue(lo > 0 && hi < 1, "seed \(seed): range [\(lo), \(hi)]")
        }
    }

    // MARK: Moments within standard errors

    private struct Moments {
        var n = 0.0, s1 = 0.0, s2 = 0.0, s4 = 0.0
        mutating func add(_ x: Double) { n += 1; s1 += x; s2 += x * x; s4 += x * x * x * x }
        var mean: Double { s1 / n }
        var variance: Double { s2 / n - mean * mean }
    }

    private func moments(seed: UInt64, n: Int = 200_000, _ draw: (inout RandomStream) -> Double) -> Moments {
        var r = RandomStream(seed: seed, iteration: 0, episode: 0)
        var m = Moments()
        for _ in 0..<n { m.add(draw(&r)) }
        return m
    }

    /// |observed − expected| < z · se, with the seed and both numbers in the message.
    private func assertWithin(_ observed: Double, _ expected: Double, se: Double, z: Double = 4.5, _ label: String,
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThan(abs(observed - expected), z * se,
                          "\(label): \(observed) vs \(expected) (\((observed - expected) / se) SE)", file: file, line: line)
    }

    func testUniformMeanAndVariance() {
        for seed in seeds {
            for open in [false, true] {
                let m = moments(seed: seed) { open ? $0.nextUniformOpen() : $0.nextUniform() }
                let label = "seed \(seed) \(open ? "open" : "half-open")"
                assertWithin(m.mean, 0.5, se: (1.0 / 12 / m.n).squareRoot(), label + " mean")
                // Var of the squared deviation: μ₄ − σ⁴ = 1/80 − 1/144.
                assertWithin(m.variance, 1.0 / 12, se: ((1.0 / 80 - 1.0 / 144) / m.n).squareRoot(), label + " variance")
            }
        }
    }

    func testGaussianMeanVarianceKurtosis() {
        for seed in seeds {
            let m = moments(seed: seed) { $0.nextGaussian() }
            assertWithin(m.mean, 0, se: (1 / m.n).squareRoot(), "seed \(seed) mean")
            assertWithin(m.variance, 1, se: (2 / m.n).squareRoot(), "seed \(seed) variance")
            // E x⁴ = 3, Var x⁴ = E x⁸ − 9 = 105 − 9.
            assertWithin(m.s4 / m.n, 3, se: (96 / m.n).squareRoot(), "seed \(seed) fourth moment")
            let shifted = moments(seed: seed, n: 50_000) { $0.nextGaussian(mean: 4, standardDeviation: 0.5) }
            assertWithin(shifted.mean, 4, se: (0.25 / shifted.n).squareRoot(), "seed \(seed) N(4, 0.25) mean")
            assertWithin(shifted.variance, 0.25, se: 0.25 * (2 / shifted.n).squareRoot(), "seed \(seed) N(4, 0.25) variance")
        }
    }

    func testGumbelMeanAndVariance() {
        let eulerGamma = 0.577_215_664_901_532_9
        let variance = Double.pi * Double.pi / 6
        for seed in seeds {
            let m = moments(seed: seed) { $0.nextGumbel() }
            assertWithin(m.mean, eulerGamma, se: (variance / m.n).squareRoot(), "seed \(seed) mean")
            // Gumbel's excess kurtosis is 12/5, so μ₄ − σ⁴ = (3 + 12/5 − 1) σ⁴.
            assertWithin(m.variance, variance, se: variance * (4.4 / m.n).squareRoot(), "seed \(seed) variance")
        }
    }

    func testNextIntFrequencies() {
        for seed in seeds {
            var r = RandomStream(seed: seed)
            for n in [1, 2, 3, 7, 10] {
                let draws = 60_000
                var counts = [Int](repeating: 0, count: n)
                for _ in 0..<draws {
                    let k = r.nextInt(below: n)
                    XCTAssertTrue((0..<n).contains(k), "seed \(seed): nextInt(below: \(n)) gave \(k)")
                    counts[min(max(k, 0), n - 1)] += 1
                }
                let p = 1 / Double(n)
                let se = (p * (1 - p) / Double(draws)).squareRoot()
                for k in 0..<n {
                    let f = Double(counts[k]) / Double(draws)
                    if n == 1 { XCTAssertEqual(f, 1) } else { assertWithin(f, p, se: se, "seed \(seed) n \(n) k \(k)") }
                }
            }
        }
    }

    func testBernoulliFrequency() {
        for seed in seeds {
            for p in [0.0, 0.1, 0.5, 0.93, 1.0] {
                var r = RandomStream(seed: seed)
                let n = 40_000
                var hits = 0
                for _ in 0..<n where r.nextBernoulli(p) { hits += 1 }
                let f = Double(hits) / Double(n)
                if p == 0 || p == 1 { XCTAssertEqual(f, p, "seed \(seed)") }
                else { assertWithin(f, p, se: (p * (1 - p) / Double(n)).squareRoot(), "seed \(seed) p \(p)") }
            }
        }
    }
}
