import Foundation
@testable import PolicyGradient

/// One hand-made group of recorded episodes over a few states (one-hot features), handed to an
/// estimator's `accumulate` exactly as the rollout would, with its outputs readable afterwards.
final class EpisodeGroupFixture {
    /// One step: state, action, reward, and the record (Gumbel-max: the perturbed logits).
    struct Step {
        var state: Int, action: Int, reward: Double, record: [Double]
    }

    let stateCount: Int, actionCount: Int, horizon: Int, recordWidth: Int
    let logProbabilities: [Double], probabilities: [Double], cumulative: [Double]
    let episodes: [[Step]]
    let gamma: Double, weight: Double
    let seed: UInt64 = 77, iteration = 5, firstEpisode = 3
    private(set) var score: [Double], scoreTotal: [Double], auxiliary: [Double]

    /// Episodes of `logits` (one row per state), with discount γ and weight 1/N.
    init(logits: [[Double]], episodes: [[Step]], gamma: Double, weight: Double, auxiliaryCount: Int) {
        stateCount = logits.count
        actionCount = logits[0].count
        horizon = episodes.map(\.count).max()!
        recordWidth = episodes.first?.first?.record.count ?? 0
        logProbabilities = logits.flatMap { row in row.map { $0 - CV.logNormaliser(row) } }
        probabilities = logProbabilities.map { exp($0) }
        var c: [Double] = []
        for s in 0..<logits.count {
            var acc = 0.0
            for k in 0..<logits[0].count { acc += probabilities[s * logits[0].count + k]; c.append(k == logits[0].count - 1 ? 1 : acc) }
        }
        cumulative = c
        self.episodes = episodes
        self.gamma = gamma
        self.weight = weight
        score = [Double](repeating: 0, count: stateCount * actionCount)
        scoreTotal = [Double](repeating: 0, count: stateCount)
        auxiliary = [Double](repeating: 0, count: auxiliaryCount)
    }

    /// G_t of episode j.
    func returns(_ j: Int) -> [Double] {
        var g = 0.0, out = [Double](repeating: 0, count: episodes[j].count)
        for t in episodes[j].indices.reversed() { g = episodes[j][t].reward + gamma * g; out[t] = g }
        return out
    }

    /// The step's own stream, as ``EpisodeGroup/noise(episode:step:)`` gives it.
    func noise(episode j: Int, step t: Int) -> RandomStream {
        RandomStream(seed: seed, iteration: iteration, episode: firstEpisode + j).split(0xE571_0000 &+ UInt64(t))
    }

    /// The tabular logit cotangent M[s,·] − π(·|s) T[s] of the last run.
    var logitCotangents: [Double] {
        (0..<(stateCount * actionCount)).map { i in score[i] - probabilities[i] * scoreTotal[i / actionCount] }
    }

    /// Runs `estimator.accumulate` on the group (outputs cleared first).
    func run<X: GradientEstimator>(_ estimator: X) {
        var scratch = estimator.makeScratch(actionCount: actionCount, featureCount: stateCount)
        score = score.map { _ in 0 }
        scoreTotal = scoreTotal.map { _ in 0 }
        auxiliary = auxiliary.map { _ in 0 }
        let k = episodes.count, h = horizon, w = recordWidth
        var lengths = episodes.map(\.count), states = [Int](repeating: 0, count: k * h), actions = states
        var rewards = [Double](repeating: 0, count: k * h), returnsToGo = rewards, records = [Double](repeating: 0, count: k * h * max(w, 1))
        for j in 0..<k {
            let g = returns(j)
            for (t, step) in episodes[j].enumerated() {
                states[j * h + t] = step.state
                actions[j * h + t] = step.action
                rewards[j * h + t] = step.reward
                returnsToGo[j * h + t] = g[t]
                for i in 0..<w { records[(j * h + t) * w + i] = step.record[i] }
            }
        }
        let rows = FeatureRows(base: nil, count: stateCount)
        logProbabilities.withUnsafeBufferPointer { lp in probabilities.withUnsafeBufferPointer { p in cumulative.withUnsafeBufferPointer { c in
            let view = PolicyView(logProbabilities: lp.baseAddress!, probabilities: p.baseAddress!, cumulative: c.baseAddress!,
                                  stateCount: stateCount, actionCount: actionCount)
            score.withUnsafeMutableBufferPointer { m in scoreTotal.withUnsafeMutableBufferPointer { tt in auxiliary.withUnsafeMutableBufferPointer { aux in
                var out = LogitCotangents(score: m.baseAddress!, scoreTotal: tt.baseAddress!, auxiliary: aux, stateCount: stateCount,
                                          actionCount: actionCount)
                lengths.withUnsafeMutableBufferPointer { len in states.withUnsafeMutableBufferPointer { st in actions.withUnsafeMutableBufferPointer { ac in
                    rewards.withUnsafeMutableBufferPointer { r in returnsToGo.withUnsafeMutableBufferPointer { ret in records.withUnsafeMutableBufferPointer { rec in
                        let group = EpisodeGroup(samples: k, gamma: gamma, weight: weight, policy: view, features: rows, recordWidth: w,
                                                 seed: seed, iteration: iteration, firstEpisode: firstEpisode, stride: h,
                                                 lengths: len.baseAddress!, states: st.baseAddress!, actions: ac.baseAddress!,
                                                 rewards: r.baseAddress!, returns: ret.baseAddress!, records: rec.baseAddress!)
                        estimator.accumulate(group, scratch: &scratch, into: &out)
                    } } }
                } } }
            } } }
        } } }
    }
}
