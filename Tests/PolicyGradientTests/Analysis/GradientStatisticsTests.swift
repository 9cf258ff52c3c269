import XCTest
@testable import PolicyGradient

final class GradientStatisticsTests: XCTestCase {
    // MARK: - Hand-computed fixtures

    /// Estimates (1,2), (3,4), (5,0) against ∇J = (3,0): mean (3,2), variances (4,4), trace 8.
    func testTinyFixtureByHand() throws {
        let rows: [[Double]] = [[1, 2], [3, 4], [5, 0]]
        let s = GradientStatistics(estimates: rows, exactGradient: [3, 0])
        XCTAssertEqual(s.count, 3)
        XCTAssertEqual(s.dimension, 2)
        XCTAssertEqual(s.mean, [3, 2])
        XCTAssertEqual(s.coordinateVariances, [4, 4])
        XCTAssertEqual(s.variance, 8)
        XCTAssertEqual(s.meanNorm, 13.0.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(s.signalToNoise, (13.0 / 8).squareRoot(), accuracy: 1e-15)
        let e = try XCTUnwrap(s.exact)
        XCTAssertEqual(e.exactNorm, 3)
        XCTAssertEqual(e.biasNorm, 2)
        XCTAssertEqual(e.relativeBias, 2.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(e.relativeBiasNoiseFloor, (8.0 / 3).squareRoot() / 3, accuracy: 1e-15)
        XCTAssertEqual(e.debiasedRelativeBias, (4 - 8.0 / 3).squareRoot() / 3, accuracy: 1e-15)
        XCTAssertEqual(e.maxAbsZ, 3.0.squareRoot(), accuracy: 1e-12)   // 2 / √(4/3)
        XCTAssertEqual(e.zThreshold, 2.807033768343811, accuracy: 1e-9)  // Φ⁻¹(1 − 0.01/4)
        XCTAssertTrue(e.isConsistentWithZeroBias)
        XCTAssertEqual(e.signalToNoise, 3 / 8.0.squareRoot(), accuracy: 1e-15)
        let cosines = [1 / 5.0.squareRoot(), 0.6, 1]
        let m = cosines.reduce(0, +) / 3
        let sd = (cosines.map { ($0 - m) * ($0 - m) }.reduce(0, +) / 2).squareRoot()
        XCTAssertEqual(e.meanCosine, m, accuracy: 1e-15)
        XCTAssertEqual(e.meanCosineStandardError, sd / 3.0.squareRoot(), accuracy: 1e-15)
    }

    func testFlatAndNestedInputsAgree() {
        let rows: [[Double]] = [[1, 2, 3], [0, -1, 4], [2, 2, 2], [5, 0, 1]]
        let nested = GradientStatistics(estimates: rows, exactGradient: [1, 1, 1])
        let flat = GradientStatistics(estimates: rows.flatMap { $0 }, count: 4, dimension: 3,
                                      exactGradient: [1, 1, 1])
        XCTAssertEqual(nested, flat)
    }

    func testWithoutExactGradientHasNoComparison() {
        let s = GradientStatistics(estimates: [[1, 0], [3, 0]])
        XCTAssertNil(s.exact)
        XCTAssertEqual(s.variance, 2)
        XCTAssertEqual(s.signalToNoise, 2 / 2.0.squareRoot(), accuracy: 1e-15)
    }

    func testZeroEstimateCountsAsCosineZeroAndZeroSpreadGivesInfiniteZ() throws {
        let s = GradientStatistics(estimates: [[0, 0], [2, 0]], exactGradient: [1, 0])
        XCTAssertEqual(try XCTUnwrap(s.exact).meanCosine, 0.5)
        let constant = GradientStatistics(estimates: [[1, 2], [1, 2]], exactGradient: [1, 3])
        let e = try XCTUnwrap(constant.exact)
        XCTAssertEqual(constant.variance, 0)
        XCTAssertEqual(e.maxAbsZ, .infinity)
        XCTAssertFalse(e.isConsistentWithZeroBias)
        XCTAssertEqual(constant.signalToNoise, .infinity)
    }

    /// Estimates equal to ∇J up to rounding (differences of 1e-17 with a spread of 1e-18, as an
    /// estimator exact on a problem gives) are consistent with zero bias; a difference of 1e-9
    /// relative with the same spread is not.
    func testRoundingIsNotBias() throws {
        let exact = [0.0353553390593274, -0.0353553390593274]
        let rounded = (0..<50).map { r in exact.map { $0 + (r % 2 == 0 ? 1e-17 : 1.2e-17) } }
        XCTAssertTrue(try XCTUnwrap(GradientStatistics(estimates: rounded, exactGradient: exact).exact).isConsistentWithZeroBias)
        let off = (0..<50).map { r in exact.map { $0 * (1 + 1e-9) + (r % 2 == 0 ? 1e-17 : 1.2e-17) } }
        XCTAssertFalse(try XCTUnwrap(GradientStatistics(estimates: off, exactGradient: exact).exact).isConsistentWithZeroBias)
    }

    /// Welford must not lose the spread under a large common offset (the Σx² − n x̄² formula does).
    func testVarianceIsStableUnderLargeOffset() {
        let rows = [0.0, 1, 2, 3].map { [1e9 + $0, -1e9 - 2 * $0] }
        let s = GradientStatistics(estimates: rows)
        XCTAssertEqual(s.coordinateVariances[0], 5.0 / 3, accuracy: 1e-6)
        XCTAssertEqual(s.coordinateVariances[1], 20.0 / 3, accuracy: 1e-6)
    }

    func testNormalQuantileAndBonferroni() {
        XCTAssertEqual(GradientStatistics.normalQuantile(0.5), 0, accuracy: 1e-15)
        XCTAssertEqual(GradientStatistics.normalQuantile(0.975), 1.959963984540054, accuracy: 1e-12)
        XCTAssertEqual(GradientStatistics.normalQuantile(0.01), -2.326347874040841, accuracy: 1e-12)
        XCTAssertEqual(GradientStatistics.normalQuantile(1e-10), -6.361340902404056, accuracy: 1e-9)
        XCTAssertEqual(GradientStatistics.normalQuantile(0), -.infinity)
        XCTAssertTrue(GradientStatistics.normalQuantile(1.5).isNaN)
        for p in [1e-6, 0.02, 0.3, 0.7, 0.99, 1 - 1e-6] {
            XCTAssertEqual(GradientStatistics.normalCDF(GradientStatistics.normalQuantile(p)), p,
                           accuracy: 1e-13 + 1e-12 * p)
        }
        XCTAssertEqual(GradientStatistics.bonferroniThreshold(significance: 0.05, tests: 1),
                       1.959963984540054, accuracy: 1e-12)
    }

    // MARK: - Synthetic estimates with known moments

    /// ĝ = ∇J + b + L z with z ~ N(0, I): E ĝ = ∇J + b, Cov = L Lᵀ.
    static let choleskyFactor: [[Double]] = [[1, 0, 0], [0.5, 2, 0], [-0.3, 0.4, 0.5]]
    static let exact: [Double] = [1, -2, 0.5]

    static func draw(count: Int, bias: [Double], seed: UInt64) -> [Double] {
        var rng = RandomStream(seed: seed)
        var out: [Double] = []
        for _ in 0..<count {
            let z = (0..<3).map { _ in rng.nextGaussian() }
            for k in 0..<3 {
                let noise = (0..<3).reduce(0.0) { $0 + choleskyFactor[k][$1] * z[$1] }
                out.append(exact[k] + bias[k] + noise)
            }
        }
        return out
    }

    /// Σ = L Lᵀ.
    static var covariance: [[Double]] {
        let l = choleskyFactor
        return (0..<3).map { i in (0..<3).map { j in (0..<3).reduce(0.0) { $0 + l[i][$1] * l[j][$1] } } }
    }

    func testVarianceTraceMatchesTruthWithinStandardErrors() throws {
        let sigma = Self.covariance
        let trace = (0..<3).reduce(0.0) { $0 + sigma[$1][$1] }
        let traceOfSquare = sigma.flatMap { $0 }.reduce(0.0) { $0 + $1 * $1 }
        let r = 4000
        let se = (2 * traceOfSquare / Double(r - 1)).squareRoot()  // SD of tr Ĉ for Gaussian data
        for seed: UInt64 in 1...5 {
            let s = GradientStatistics(estimates: Self.draw(count: r, bias: [0, 0, 0], seed: seed),
                                       count: r, dimension: 3, exactGradient: Self.exact)
            XCTAssertLessThan(abs(s.variance - trace), 4 * se, "seed \(seed)")
            let e = try XCTUnwrap(s.exact)
            XCTAssertTrue(e.isConsistentWithZeroBias, "seed \(seed): max|z| = \(e.maxAbsZ)")
            XCTAssertLessThan(e.relativeBias, 4 * e.relativeBiasNoiseFloor, "seed \(seed)")
            let trueSNR = 5.25.squareRoot() / trace.squareRoot()
            XCTAssertEqual(e.signalToNoise, trueSNR, accuracy: 4 * trueSNR * se / (2 * trace), "seed \(seed)")
        }
    }

    func testKnownBiasIsMeasuredWithinItsStandardError() throws {
        let bias = [0.3, 0, -0.2]
        let relative = (0.13).squareRoot() / 5.25.squareRoot()
        for seed: UInt64 in 11...15 {
            let r = 4000
            let s = GradientStatistics(estimates: Self.draw(count: r, bias: bias, seed: seed),
                                       count: r, dimension: 3, exactGradient: Self.exact)
            let e = try XCTUnwrap(s.exact)
            // |‖b + ε̄‖ − ‖b‖| ≤ ‖ε̄‖, and ‖ε̄‖ is of the order of the noise floor.
            XCTAssertLessThan(abs(e.relativeBias - relative), 4 * e.relativeBiasNoiseFloor, "seed \(seed)")
            XCTAssertLessThan(abs(e.debiasedRelativeBias - relative), 4 * e.relativeBiasNoiseFloor, "seed \(seed)")
            XCTAssertFalse(e.isConsistentWithZeroBias, "seed \(seed)")
        }
    }

    /// Under zero bias the Bonferroni test rejects at most about α of the time, and not never.
    func testZeroBiasVerdictHasItsNominalFalseAlarmRate() throws {
        let trials = 400, alpha = 0.1
        var rejections = 0
        for seed in 0..<trials {
            let s = GradientStatistics(estimates: Self.draw(count: 200, bias: [0, 0, 0], seed: UInt64(1000 + seed)),
                                       count: 200, dimension: 3, exactGradient: Self.exact, significance: alpha)
            if try !XCTUnwrap(s.exact).isConsistentWithZeroBias { rejections += 1 }
        }
        let rate = Double(rejections) / Double(trials)
        let se = (alpha * (1 - alpha) / Double(trials)).squareRoot()
        XCTAssertLessThan(rate, alpha + 4 * se)
        XCTAssertGreaterThan(rate, alpha / 3)
    }

    // MARK: - RunningMoments

    func testRunningMomentsByHand() {
        let m = RunningMoments([2, 4, 4, 4, 5, 5, 7, 9])
        XCTAssertEqual(m.count, 8)
        XCTAssertEqual(m.mean, 5)
        XCTAssertEqual(m.populationVariance, 4, accuracy: 1e-15)
        XCTAssertEqual(m.variance, 32.0 / 7, accuracy: 1e-15)
        XCTAssertEqual(m.standardError, (32.0 / 7 / 8).squareRoot(), accuracy: 1e-15)
        XCTAssertTrue(RunningMoments([1]).variance.isNaN)
        XCTAssertTrue(RunningMoments().populationVariance.isNaN)
    }

    func testRunningMomentsMergeEqualsOnePass() {
        for seed: UInt64 in 1...3 {
            var rng = RandomStream(seed: seed)
            let values = (0..<1000).map { _ in 1e6 + 3 * rng.nextGaussian() }
            let onePass = RunningMoments(values)
            var merged = RunningMoments()
            for range in [0..<0, 0..<37, 37..<100, 100..<100, 100..<1000] {
                merged.merge(RunningMoments(values[range]))
            }
            XCTAssertEqual(merged.count, onePass.count, "seed \(seed)")
            XCTAssertEqual(merged.mean, onePass.mean, accuracy: 1e-12 * 1e6, "seed \(seed)")
            XCTAssertEqual(merged.variance, onePass.variance, accuracy: 1e-9 * onePass.variance, "seed \(seed)")
            XCTAssertEqual(RunningMoments().merged(with: onePass), onePass)
            XCTAssertEqual(onePass.merged(with: RunningMoments()), onePass)
        }
    }

    func testPointwiseOverCurvesOfDifferentLengths() {
        let p = RunningMoments.pointwise([[1, 2, 3], [3, 4], [5]])
        XCTAssertEqual(p.map(\.count), [3, 2, 1])
        XCTAssertEqual(p.map(\.mean), [3, 3, 3])
        XCTAssertEqual(p[0].variance, 4)
        XCTAssertEqual(p[1].variance, 2)
        XCTAssertTrue(p[2].standardError.isNaN)
    }
}
