import Foundation
@testable import PolicyGradient
import XCTest

/// REINFORCE with every baseline is unbiased for the exact gradient (Estimators.md).
final class UnbiasednessTests: XCTestCase {
    /// Mean of `replicates` estimates vs the exact gradient: every coordinate within `z` standard errors.
    func assertUnbiased(environment: any Environment, policy: any Policy, baseline: String,
                        settings: [String: SettingValue] = [:], episodes: Int = 8, replicates: Int = 2000, z: Double = 4.5,
                        file: StaticString = #filePath, line: UInt = #line) throws {
        var session = try makeSession(baseline, environment: environment, policy: policy, settings: settings,
                                      episodes: episodes, seed: 11)
        try session.warmUp(batches: 5)
        let exact = try XCTUnwrap(session.exactGradient())
        let d = exact.count
        var mean = [Double](repeating: 0, count: d), sq = mean
        for r in 0..<replicates {
            let g = try session.estimate(replicate: r, normalised: false)
            for k in 0..<d { mean[k] += g[k]; sq[k] += g[k] * g[k] }
        }
        let n = Double(replicates)
        var worst = 0.0, error2 = 0.0, trace = 0.0
        for k in 0..<d {
            let m = mean[k] / n
            let variance = max(0, sq[k] / n - m * m)
            let se = (variance / n).squareRoot()
            error2 += (m - exact[k]) * (m - exact[k])
            trace += variance
            if se > 0 { worst = max(worst, abs(m - exact[k]) / se) }
            else { XCTAssertEqual(m, exact[k], accuracy: 1e-12, file: file, line: line) }
        }
        XCTAssertLessThan(worst, z, "baseline \(baseline): largest |z| = \(worst)", file: file, line: line)
        // As a vector: ‖mean ĝ − ∇J‖ within 3 standard errors √(tr Cov / R) (its expectation is 1 SE).
        let floor = (trace / n).squareRoot()
        XCTAssertLessThan(error2.squareRoot(), 3 * floor,
                          "baseline \(baseline): ‖mean − ∇J‖ = \(error2.squareRoot()), SE \(floor)", file: file, line: line)
    }

    func randomTabular(states: Int, actions: Int, seed: UInt64) -> TabularPolicy {
        var p = TabularPolicy(stateCount: states, actionCount: actions)
        var rng = RandomStream(seed: seed)
        p.parameters = p.parameters.map { _ in rng.nextGaussian() }
        return p
    }

    func testBanditTabularAllBaselines() throws {
        let env = Bandit.tenArmedTestbed(seed: 3, mean: 1, arms: 5)
        for b in reinforceBaselines {
            try assertUnbiased(environment: env, policy: randomTabular(states: 1, actions: 5, seed: 5), baseline: b.name,
                               settings: b.settings, episodes: 8)
        }
    }

    func testBanditLinearAllBaselines() throws {
        let env = Bandit.bernoulli([0.1, 0.5, 0.9])
        var p = LinearPolicy(featureCount: 1, actionCount: 3)
        p.parameters = [0.3, -0.2, 0.5, 0.1, 0.0, -0.4]
        for b in reinforceBaselines {
            try assertUnbiased(environment: env, policy: p, baseline: b.name,
                               settings: b.name == "vimco" ? ["samples": .integer(2)] : b.settings, episodes: 4)
        }
    }

    /// The slippery 4x4 FrozenLake (100 steps, γ = 1): every baseline within the
    /// Bonferroni-corrected z bound of the exact ∇J, for a random tabular policy.
    func testFrozenLakeAllBaselines() throws {
        let root = repositoryRoot
        let env = try Gridworld.load(path: root.appendingPathComponent("envs/FrozenLake-v1-4x4.txt").path)
        let policy = randomTabular(states: 16, actions: 4, seed: 8)
        for b in reinforceBaselines {
            try assertUnbiased(environment: env, policy: policy, baseline: b.name, settings: b.settings, episodes: 8,
                               replicates: 1500)
        }
    }

    /// The assertion can fail: a biased "estimator" (the exact gradient plus a shift) is caught.
    func testBiasIsDetected() throws {
        let env = Bandit.tenArmedTestbed(seed: 3, mean: 1, arms: 5)
        var session = try makeSession("none", environment: env, policy: randomTabular(states: 1, actions: 5, seed: 5),
                                      episodes: 8)
        let exact = try XCTUnwrap(session.exactGradient())
        var mean = [Double](repeating: 0, count: exact.count), sq = mean
        let n = 2000
        for r in 0..<n {
            let g = try session.estimate(replicate: r, normalised: false)
            for k in g.indices { mean[k] += g[k]; sq[k] += g[k] * g[k] }
        }
        // Shift the target by 15% of ‖∇J‖ in one coordinate: the z statistic must notice.
        let shift = 0.15 * exact.map { $0 * $0 }.reduce(0, +).squareRoot()
        let m = mean[0] / Double(n), se = ((sq[0] / Double(n) - m * m) / Double(n)).squareRoot()
        XCTAssertGreaterThan(abs(m - (exact[0] + shift)) / se, 4.5, "a 15% bias went unnoticed")
    }
}
