import Foundation
@testable import PolicyGradient
import XCTest

/// GRPO and Dr. GRPO against RLOO: the group statistics by hand, Dr. GRPO = (K − 1)/K × RLOO
/// term by term and estimate by estimate, and GRPO's bias by exact enumeration.
final class GroupBaselineTests: XCTestCase {
    /// Returns 1, 2, 4: mean 7/3; sample variance ((4/3)² + (1/3)² + (5/3)²)/2 = 7/3.
    func testGroupStatisticsByHand() {
        let x = [1.0, 2.0, 4.0]
        let m = GRPOBaseline.groupMean(count: 3) { x[$0] }
        XCTAssertEqual(m, 7.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(GRPOBaseline.groupStandardDeviation(count: 3, mean: m) { x[$0] }, (7.0 / 3).squareRoot(), accuracy: 1e-15)
        let fixture = EpisodeGroupFixture(logits: [[0.2, -0.1]], episodes: x.map { [.init(state: 0, action: 0, reward: $0, record: [])] },
                                          gamma: 1, weight: 1.0 / 3, auxiliaryCount: 0)
        fixture.run(Reinforce(baseline: GRPOBaseline(samples: 3)))
        // Every episode took action 0: the score row sums the three advantages, which are
        // (x − 7/3)/(√(7/3) + 1e-4) and add to 0.
        XCTAssertEqual(fixture.score[0], 0, accuracy: 1e-14)
        fixture.run(Reinforce(baseline: DrGRPOBaseline(samples: 3)))
        XCTAssertEqual(fixture.score[0], 0, accuracy: 1e-14)
    }

    /// G − mean_i G_i = ((K − 1)/K)(G − mean_{i≠j} G_i): on one group of three multi-step
    /// episodes (two states, one ending early), Dr. GRPO's cotangents are (K − 1)/K = 2/3 of
    /// vimco's, and GRPO's are those divided by each step's group standard deviation (+ 1e-4).
    func testDrGRPOIsTwoThirdsOfRLOOTermByTerm() {
        let episodes: [[EpisodeGroupFixture.Step]] = [
            [.init(state: 0, action: 1, reward: 1, record: []), .init(state: 1, action: 0, reward: 2, record: []),
             .init(state: 0, action: 2, reward: -1, record: [])],
            [.init(state: 0, action: 0, reward: 0.5, record: [])],
            [.init(state: 0, action: 2, reward: -2, record: []), .init(state: 1, action: 1, reward: 3, record: [])],
        ]
        let logits: [[Double]] = [[0.1, 0.5, -0.3], [1.0, 0.0, 0.2]]
        let fixture = EpisodeGroupFixture(logits: logits, episodes: episodes, gamma: 0.9, weight: 1.0 / 3, auxiliaryCount: 0)
        fixture.run(Reinforce(baseline: LeaveOneOutBaseline(samples: 3)))
        let rloo = fixture.logitCotangents
        fixture.run(Reinforce(baseline: DrGRPOBaseline(samples: 3)))
        for i in rloo.indices { XCTAssertEqual(fixture.logitCotangents[i], 2.0 / 3 * rloo[i], accuracy: 1e-14, "logit \(i)") }
        // GRPO by hand at step 0 of episode 1 (which ended there): returns-to-go at step 0.
        let g0 = (0..<3).map { fixture.returns($0)[0] }
        let m = g0.reduce(0, +) / 3
        let s = (g0.reduce(0) { $0 + ($1 - m) * ($1 - m) } / 2).squareRoot()
        fixture.run(Reinforce(baseline: GRPOBaseline(samples: 3)))
        // State 0, action 0 is taken only by episode 1 at step 0 (weight 1/3).
        XCTAssertEqual(fixture.score[0], (g0[1] - m) / (s + 1e-4) / 3, accuracy: 1e-14)
    }

    /// Through the rollout with common random numbers (both draw by inversion from the same
    /// streams): every estimate of dr-grpo is (K − 1)/K times vimco's, on the gridworld of the
    /// conformance check and the factorised problem.
    func testDrGRPOEstimatesAreAScaledRLOO() throws {
        let problems = try EstimatorConformance.problems().filter { ["gridworld", "factorised"].contains($0.name) }
        XCTAssertEqual(problems.count, 2)
        for problem in problems {
            var c = TrainingConfiguration()
            c.episodes = 8
            c.threads = 1
            let policy = EstimatorConformance.fixedPolicy(stateCount: problem.environment.stateCount,
                                                          actionCount: problem.environment.actionCount, seed: 5)
            var values = SettingValues()
            values.set(GRPOBaseline.samplesSetting, .integer(4))
            var rloo = try EstimatorRegistry.descriptor(named: "vimco").makeSession(environment: problem.environment, policy: policy,
                                                                                   configuration: c, settings: values)
            var dr = try EstimatorRegistry.descriptor(named: "dr-grpo").makeSession(environment: problem.environment, policy: policy,
                                                                                   configuration: c, settings: values)
            XCTAssertEqual(rloo.samplerIdentity, dr.samplerIdentity)
            var nonzero = 0
            for r in 0..<20 {
                let a = try rloo.estimate(replicate: r, normalised: false), b = try dr.estimate(replicate: r, normalised: false)
                for i in a.indices {
                    XCTAssertEqual(b[i], 0.75 * a[i], accuracy: 1e-12 * (1 + abs(a[i])), "\(problem.name) replicate \(r)")
                    if a[i] != 0 { nonzero += 1 }
                }
            }
            XCTAssertGreaterThan(nonzero, 0, problem.name)
        }
    }

    /// GRPO with K = 2 on the binary toy, exactly: a group of two equal actions has advantage 0;
    /// two different actions (probability 2π₀π₁) have returns r₀ ≠ r₁, mean (r₀ + r₁)/2 and
    /// sample standard deviation s = δ/√2, δ = |r₁ − r₀|, so advantages ±(δ/2)/(s + ε). Hence
    /// E[ĝ₁] = π₀π₁ (r₁ − r₀)/2/(s + ε) against ∇J₁ = π₀π₁ (r₁ − r₀): GRPO's mean is ∇J times
    /// (1/2)/(s + ε) (7.06 at t = 0.45, where δ = 0.1), the sign of the reward difference with
    /// its size divided out.
    func testGRPOIsBiasedByExactEnumeration() {
        let t = 0.45, r = [-(0 - t) * (0 - t), -(1 - t) * (1 - t)]  // −(b − t)²: r₀ = −0.2025, r₁ = −0.3025
        let logits = [0.3, -0.4], m = logits.max()!, e = logits.map { exp($0 - m) }, p = e.map { $0 / e.reduce(0, +) }
        var mean = [0.0, 0.0]
        for a in 0..<2 { for b in 0..<2 {
            let fixture = EpisodeGroupFixture(logits: [logits], episodes: [[.init(state: 0, action: a, reward: r[a], record: [])],
                                                                            [.init(state: 0, action: b, reward: r[b], record: [])]],
                                              gamma: 1, weight: 0.5, auxiliaryCount: 0)
            fixture.run(Reinforce(baseline: GRPOBaseline(samples: 2)))
            for i in 0..<2 { mean[i] += p[a] * p[b] * fixture.logitCotangents[i] }
        } }
        let delta = abs(r[1] - r[0]), s = delta / 2.0.squareRoot()
        let exact = p[0] * p[1] * (r[1] - r[0])
        XCTAssertEqual(mean[1], p[0] * p[1] * (r[1] - r[0]) / 2 / (s + 1e-4), accuracy: 1e-14)
        XCTAssertEqual(mean[0], -mean[1], accuracy: 1e-14)
        XCTAssertEqual(mean[1] / exact, 0.5 / (s + 1e-4), accuracy: 1e-12)
        XCTAssertEqual(mean[1] / exact, 7.06, accuracy: 0.01)
        XCTAssertGreaterThan(abs(mean[1] - exact), 5 * abs(exact), "GRPO's mean is far from ∇J")
    }
}
