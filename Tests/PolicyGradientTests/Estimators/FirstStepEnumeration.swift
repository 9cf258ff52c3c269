import Foundation
@testable import PolicyGradient

/// A two-step problem small enough to take the exact expectation of an estimator over every
/// draw of a group: state 0 with three actions, reward r0(a); action 2 ends the episode, actions
/// 0 and 1 lead to state 1, where a second action b (of three) pays r1(a, b) and ends it.
/// ``exactGradient`` is ∇J with respect to the logits of both states (row-major 2 × 3).
enum TwoStepProblem {
    static let logits: [[Double]] = [[0.4, -0.7, 0.9], [-0.2, 0.6, 0.1]]
    static let gamma = 0.9
    static let firstRewards = [1.0, -0.5, 2.0]
    static let secondRewards: [[Double]] = [[3.0, -1.0, 0.5], [-2.0, 4.0, 1.0]]

    /// π(·|s).
    static func probabilities(_ s: Int) -> [Double] {
        let m = logits[s].max()!, e = logits[s].map { exp($0 - m) }, z = e.reduce(0, +)
        return e.map { $0 / z }
    }

    /// The steps of the episode with first action a and (if it continues) second action b.
    static func episode(_ a: Int, _ b: Int) -> [EpisodeGroupFixture.Step] {
        if a == 2 { return [.init(state: 0, action: 2, reward: firstRewards[2], record: [])] }
        return [.init(state: 0, action: a, reward: firstRewards[a], record: []),
                .init(state: 1, action: b, reward: secondRewards[a][b], record: [])]
    }

    /// ∇J with respect to the six logits.
    static var exactGradient: [Double] {
        let p0 = probabilities(0), p1 = probabilities(1)
        var q = firstRewards
        for a in 0..<2 { q[a] += gamma * (0..<3).reduce(0) { $0 + p1[$1] * secondRewards[a][$1] } }
        let v = (0..<3).reduce(0) { $0 + p0[$1] * q[$1] }
        var g = (0..<3).map { p0[$0] * (q[$0] - v) } + [0, 0, 0]
        for a in 0..<2 {
            let w = (0..<3).reduce(0) { $0 + p1[$1] * secondRewards[a][$1] }
            for b in 0..<3 { g[3 + b] += gamma * p0[a] * p1[b] * (secondRewards[a][b] - w) }
        }
        return g
    }

    /// E[ĝ] of `estimator` over K episodes per group: the first actions of every ordered draw
    /// `firstDraws` gives (with its probability), and every continuation b_j ~ π(·|1) of each
    /// episode independently. The group is the whole batch (weight 1/K).
    static func expectation<X: GradientEstimator>(_ estimator: X, k: Int, firstDraws: [(actions: [Int], probability: Double)]) -> [Double] {
        let p1 = probabilities(1)
        var mean = [Double](repeating: 0, count: 6)
        for draw in firstDraws {
            var b = [Int](repeating: 0, count: k)
            repeat {
                // An episode that ended at its first step has no second action: count it once.
                if (0..<k).contains(where: { draw.actions[$0] == 2 && b[$0] != 0 }) { continue }
                var probability = draw.probability
                for j in 0..<k where draw.actions[j] != 2 { probability *= p1[b[j]] }
                let fixture = EpisodeGroupFixture(logits: logits, episodes: (0..<k).map { episode(draw.actions[$0], b[$0]) },
                                                  gamma: gamma, weight: 1 / Double(k), auxiliaryCount: 0)
                fixture.run(estimator)
                for i in 0..<6 { mean[i] += probability * fixture.logitCotangents[i] }
            } while FactorisedCategorical.advance(&b, radix: 3)
        }
        return mean
    }

    /// Every ordered sample of k distinct actions without replacement from p, with its probability.
    static func orderedWithoutReplacement(_ p: [Double], k: Int) -> [(actions: [Int], probability: Double)] {
        var out: [(actions: [Int], probability: Double)] = []
        func extend(_ prefix: [Int], _ probability: Double) {
            if prefix.count == k { return out.append((prefix, probability)) }
            let left = 1 - prefix.reduce(0) { $0 + p[$1] }
            for a in p.indices where !prefix.contains(a) { extend(prefix + [a], probability * p[a] / left) }
        }
        extend([], 1)
        return out
    }
}
