import Foundation
@testable import PolicyGradient
import XCTest

/// The unordered set estimator (Kool et al. 2020) and sum-and-sample (Liu et al. 2019): their
/// ratios by hand, their exact expectation over every draw of a group (one step and two steps,
/// with an episode that ends early) against ∇J, and exactness when K = A.
final class UnorderedSetTests: XCTestCase {
    /// S = {0, 1} of p = (0.5, 0.3, 0.2): p(S) = 0.5·0.3/0.5 + 0.3·0.5/0.7 = 0.3 + 3/14 = 7.2/14,
    /// p^{D∖0}({1}) = 0.3/0.5 = 0.6, p^{D∖1}({0}) = 0.5/0.7 = 5/7, so R(S, 0) = 0.6/(7.2/14) = 7/6,
    /// R(S, 1) = (5/7)/(7.2/14) = 25/18, R^{D∖0}(S, 1) = 1/0.6 = 5/3, R^{D∖1}(S, 0) = 7/5.
    func testRatiosByHand() {
        let w = UnorderedSetWeights.weights(probabilities: [0.5, 0.3], outside: 0.2)
        XCTAssertEqual(w.setProbability, 7.2 / 14, accuracy: 1e-15)
        XCTAssertEqual(w.first[0], 7.0 / 6, accuracy: 1e-14)
        XCTAssertEqual(w.first[1], 25.0 / 18, accuracy: 1e-14)
        XCTAssertEqual(w.second[0][1], 5.0 / 3, accuracy: 1e-14)
        XCTAssertEqual(w.second[1][0], 7.0 / 5, accuracy: 1e-14)
        XCTAssertEqual(w.second[0][0], 1)
        // Three of four: p(S) by its 6 orderings.
        let p = [0.1, 0.4, 0.3], rest = 0.2
        var byOrderings = 0.0
        for o in [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]] {
            byOrderings += p[o[0]] * p[o[1]] / (1 - p[o[0]]) * p[o[2]] / (1 - p[o[0]] - p[o[1]])
        }
        XCTAssertEqual(UnorderedSetWeights.weights(probabilities: p, outside: rest).setProbability, byOrderings, accuracy: 1e-15)
        // The whole domain: p(S) = 1 and every ratio 1.
        let all = UnorderedSetWeights.weights(probabilities: [0.2, 0.5, 0.3], outside: 0)
        XCTAssertEqual(all.setProbability, 1, accuracy: 1e-15)
        for i in 0..<3 { XCTAssertEqual(all.first[i], 1, accuracy: 1e-15) }
    }

    /// One step, four actions: the expectation over every ordered draw of K = 2 and 3 distinct
    /// actions is ∇J = π(a)(f(a) − Σ π f), to rounding.
    func testUnorderedSetIsUnbiasedOnOneStepByEnumeration() {
        let logits = [0.3, -0.5, 1.1, 0.0], f = [1.0, -2.0, 0.5, 3.0]
        let m = logits.max()!, e = logits.map { exp($0 - m) }, p = e.map { $0 / e.reduce(0, +) }
        let v = zip(p, f).reduce(0) { $0 + $1.0 * $1.1 }
        for k in [2, 3, 4] {
            var mean = [Double](repeating: 0, count: 4)
            for draw in TwoStepProblem.orderedWithoutReplacement(p, k: k) {
                let fixture = EpisodeGroupFixture(logits: [logits], episodes: draw.actions.map { [.init(state: 0, action: $0, reward: f[$0], record: [])] },
                                                  gamma: 1, weight: 1 / Double(k), auxiliaryCount: 0)
                fixture.run(UnorderedSetEstimator(samples: k))
                for a in 0..<4 { mean[a] += draw.probability * fixture.logitCotangents[a] }
                if k == 4 { for a in 0..<4 { XCTAssertEqual(fixture.logitCotangents[a], p[a] * (f[a] - v), accuracy: 1e-12, "K = A is exact") } }
            }
            for a in 0..<4 { XCTAssertEqual(mean[a], p[a] * (f[a] - v), accuracy: 1e-12, "K = \(k), action \(a)") }
        }
    }

    /// Two steps, an episode that ends after the first: over every draw of the K distinct first
    /// actions and every continuation, E[ĝ] = ∇J for both states' logits.
    func testUnorderedSetIsUnbiasedInEpisodesByEnumeration() {
        let exact = TwoStepProblem.exactGradient
        for k in [2, 3] {
            let draws = TwoStepProblem.orderedWithoutReplacement(TwoStepProblem.probabilities(0), k: k)
            let mean = TwoStepProblem.expectation(UnorderedSetEstimator(samples: k), k: k, firstDraws: draws)
            for i in 0..<6 { XCTAssertEqual(mean[i], exact[i], accuracy: 1e-12, "K = \(k), logit \(i)") }
        }
    }

    /// Sum-and-sample over the first action: the K − 1 most probable summed and one drawn from the
    /// rest; its expectation over the sampled action and every continuation is ∇J.
    func testSumAndSampleIsUnbiasedInEpisodesByEnumeration() {
        let exact = TwoStepProblem.exactGradient, p = TwoStepProblem.probabilities(0)
        let order = p.indices.sorted { p[$0] > p[$1] }
        for k in [2, 3] {
            let top = Array(order.prefix(k - 1)), rest = 1 - top.reduce(0) { $0 + p[$1] }
            let draws = p.indices.filter { !top.contains($0) }.map { (actions: top + [$0], probability: p[$0] / rest) }
            let mean = TwoStepProblem.expectation(SumAndSample(samples: k), k: k, firstDraws: draws)
            for i in 0..<6 { XCTAssertEqual(mean[i], exact[i], accuracy: 1e-12, "K = \(k), logit \(i)") }
        }
    }

    /// Sum-and-sample's arithmetic on one group by hand: p = softmax(0, ln 2, ln 5) = (1/8, 2/8, 5/8),
    /// K = 2: action 2 summed (p 5/8, f 4), action 0 sampled (weight 3/8, f 1), b = 4, so the
    /// cotangent is (5/8)(4 − 4)(e_2 − p) + (3/8)(1 − 4)(e_0 − p) = −(9/8)(e_0 − p).
    func testSumAndSampleArithmeticByHand() {
        let logits = [0, log(2.0), log(5.0)], p = [1.0 / 8, 2.0 / 8, 5.0 / 8]
        let fixture = EpisodeGroupFixture(logits: [logits], episodes: [[.init(state: 0, action: 2, reward: 4, record: [])],
                                                                        [.init(state: 0, action: 0, reward: 1, record: [])]],
                                          gamma: 1, weight: 0.5, auxiliaryCount: 0)
        fixture.run(SumAndSample(samples: 2))
        for a in 0..<3 { XCTAssertEqual(fixture.logitCotangents[a], -9.0 / 8 * ((a == 0 ? 1 : 0) - p[a]), accuracy: 1e-14) }
    }

    /// The estimators through the rollout: sessions at a fixed policy average to ∇J (within four
    /// standard errors per coordinate) for K = 2 and 3 on the categorical toy and the factorised
    /// problem, and K = A gives ∇J on every estimate of a one-step problem.
    func testSessionsAgreeWithExactGradient() throws {
        let toy = Toy(targets: [0.1, 0.6, 0.3, 0.8])
        let factorised = try FactorisedCategorical(variables: 3, categories: 4, interaction: 1)
        for name in ["unordered-set", "sum-and-sample"] {
            let d = try EstimatorRegistry.descriptor(named: name)
            for (env, k) in [(toy as any Environment, 2), (toy, 3), (factorised, 3)] {
                var values = SettingValues()
                values.set(UnorderedSetEstimator.samplesSetting, .integer(k))
                let report = try EstimatorConformance.check(d, settings: values, problems: [
                    EstimatorConformance.Problem(name: env.id, environment: env, replicates: 400)])
                XCTAssertTrue(report.holds, "\(name) K = \(k) on \(env.id): \(report.failure ?? "")")
                XCTAssertFalse(report.measurements.first?.isExact ?? true, "K < A samples")
            }
            var values = SettingValues()
            values.set(UnorderedSetEstimator.samplesSetting, .integer(4))
            let exact = try EstimatorConformance.check(d, settings: values, problems: [
                EstimatorConformance.Problem(name: "toy", environment: toy, replicates: 20)])
            XCTAssertTrue(exact.measurements.first?.isExact ?? false, "\(name) with K = A = 4 is exact on a one-step problem")
        }
    }
}
