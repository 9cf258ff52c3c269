import Foundation

/// How far the mean of R estimates of N episodes each can sit from the estimator's expectation
/// because the sample draws some state-action pairs too rarely to represent them.
///
/// A pair (s, a) is *undersampled* when its expected draws λ = E·n(s,a) over the E = R·N
/// episodes are below ``minimumDraws`` (see ``DrawCoverage``). The sample holds K ~ Poisson(λ)
/// of its draws; the draws it holds add about √K draws' worth to the standard error of the
/// mean, so what z* standard errors cannot cover is a shortfall of λ − K − z*√K draws. With
/// probability 1 − β, K ≥ k_β (the lower β-quantile of Poisson(λ)), so the sample may be
/// short of a fraction f(s,a) = max(0, λ − k_β − z*√k_β)/λ of the pair's draws
/// (``unrepresentedFraction(expectedDraws:critical:tail:)``): all of them where the pair is
/// likely never drawn, none once λ nears ``minimumDraws``.
///
/// A missing draw changes more than its own score term: the returns G_t of every earlier step
/// of its episode change too (a rare action followed by a rare fall into a hole moves the
/// coordinates of every state before it). So the bound is computed for the whole process: the
/// sample mean of a score-function estimate behaves like the expectation over trajectories
/// reweighted by (1 − f) per draw of an undersampled pair, normalised,
///
///     m(b) = E[w · Σ_t γᵗ ∇log π(a_t|s_t) (G_t − b_t)] / E[w],  w = Π over the episode's draws of (1 − f(s_t, a_t)),
///
/// computed exactly from the known dynamics by one forward and one backward pass over (t, s)
/// (``Reweighting``). What the sample may be missing is ∇J − m(b). It is affine in the baseline:
/// for b = 0 (REINFORCE without a baseline) it is ∇J − m(0); for a baseline anywhere in a range
/// [b_lo, b_hi] (``baselineRange``; constant or varying with t and s) its size along a
/// direction u is at most |u·(∇J − m(0)) + b_mid u·ω| + b_half Σ |u|·|ω|, with ω the baseline's
/// sensitivity.
public struct UnseenDrawBound {
    /// The expected draws below which a pair counts as undersampled (30).
    public static let minimumDraws = 30.0
    /// The work (states × parameters) above which per-coordinate bounds are not formed for a
    /// non-tabular policy (those coordinates are then left untested).
    public static let coordinateBudget = 20_000_000

    /// One undersampled pair.
    public struct Pair: Sendable, Equatable {
        /// s and a.
        public let state: Int, action: Int
        /// E·n(s,a), the expected draws in the sample.
        public let expectedDraws: Double
        /// f(s,a), the share of its draws the sample may be short of.
        public let fraction: Double
        /// f(s,a) · Σ_t γᵗ d_t(s) π(a|s) |Q_t(s,a) − b|max: how much of the mean it can carry (for naming the largest).
        public let weight: Double
    }

    /// The coverage it was built from.
    public let coverage: DrawCoverage
    /// E = R·N, the episodes of the sample.
    public let episodes: Int
    /// The undersampled pairs that may be short (f > 0), by state then action.
    public let pairs: [Pair]
    /// The baseline assumed.
    public let baseline: DrawCoverage.BaselineRange
    /// ∇J − m(0), per state's logits (row-major S × A).
    public let missing: [Double]
    /// ω: m(b) = m(0) − Σ b·ω for a constant b (row-major S × A), and its per-step absolute sums.
    public let sensitivity: [Double], absoluteSensitivity: [Double]
    /// max |r| over the model's outcomes.
    let largestReward: Double
    let policy: any Policy
    let features: StateFeatures

    /// The bound for a sample of `episodes` episodes from `policy` on `model`.
    /// - Parameters:
    ///   - model: the known dynamics.
    ///   - horizon: H.
    ///   - gamma: γ.
    ///   - episodes: E = R·N.
    ///   - baseline: what the estimator's score terms subtract.
    ///   - significance: α of the test: z* = Φ⁻¹(1 − α/4) and β = α/10 set the fractions f.
    ///   - policy: the policy (to map logit directions to parameters).
    ///   - features: the environment's state features.
    /// - Complexity: three passes of O(H · Σ_{s,a} outcomes(s,a)).
    public init(model: TabularModel, horizon: Int, gamma: Double, episodes: Int, baseline: DrawCoverage.BaselineRange,
                significance: Double, policy: any Policy, features: StateFeatures) {
        var table = PolicyTable(stateCount: model.stateCount, actionCount: model.actionCount)
        table.update(from: policy, features: features)
        let coverage = DrawCoverage(model: model, table: table, horizon: horizon, gamma: gamma)
        self.coverage = coverage
        largestReward = model.reward.map(abs).max() ?? 0
        self.episodes = episodes
        self.baseline = baseline
        self.policy = policy
        self.features = features
        let a = coverage.actionCount, e = Double(episodes), influence = coverage.influence(baseline)
        let critical = -GradientStatistics.normalQuantile(significance / 4), tail = significance / 10
        var fractions = [Double](repeating: 0, count: coverage.stateCount * a)
        var pairs: [Pair] = []
        for k in fractions.indices {
            let n = e * coverage.drawsPerEpisode[k]
            guard n < Self.minimumDraws, coverage.drawsPerEpisode[k] > 0 else { continue }
            let f = Self.unrepresentedFraction(expectedDraws: n, critical: critical, tail: tail)
            guard f > 0 else { continue }
            fractions[k] = f
            pairs.append(Pair(state: k / a, action: k % a, expectedDraws: n, fraction: f, weight: f * influence[k]))
        }
        self.pairs = pairs
        let r = Reweighting(model: model, table: table, horizon: horizon, gamma: gamma, fractions: fractions)
        let exact = ExactGradient.logitCotangent(table: table, model: model, horizon: horizon, gamma: gamma).cotangent
        missing = zip(exact, r.mean).map { $0 - $1 }
        sensitivity = r.sensitivity
        absoluteSensitivity = r.absoluteSensitivity
    }

    /// The most influential undersampled pair (nil when none may be short).
    public var worst: Pair? { pairs.max { $0.weight < $1.weight } }

    /// The bound on |u·(∇J − m(b))| along a parameter direction u (zero when no pair may be short).
    /// - Complexity: O(S · A) for a tabular policy; two forward passes per state otherwise.
    public func bound(along u: [Double]) -> Double {
        guard !pairs.isEmpty else { return 0 }
        let tangents = logitTangents(u)
        var signed = 0.0, spread = 0.0
        for k in missing.indices {
            let t = tangents[k]
            signed += t * missing[k]
            if baseline == .values {
                signed += baselineMid * t * sensitivity[k]
                spread += abs(t) * absoluteSensitivity[k]
            }
        }
        return abs(signed) + baselineHalfWidth * spread
    }

    /// The bound along every coordinate direction e_k; nil for a non-tabular policy whose
    /// states × parameters exceed ``coordinateBudget``.
    /// - Complexity: O(S · A) for a tabular policy, O(S · parameters) otherwise.
    public func coordinateBounds() -> [Double]? {
        let d = policy.parameterCount
        if pairs.isEmpty { return [Double](repeating: 0, count: d) }
        let signedRow = (0..<missing.count).map { missing[$0] + baselineMid * sensitivity[$0] }
        let spreadRow = absoluteSensitivity.map { baselineHalfWidth * $0 }
        if policy is TabularPolicy { return (0..<d).map { abs(signedRow[$0]) + spreadRow[$0] } }
        guard coverage.stateCount.multipliedReportingOverflow(by: d).partialValue <= Self.coordinateBudget else { return nil }
        // Signed part: one back-propagation of the whole logit vector; spread part: per state, in absolute value.
        let a = coverage.actionCount
        var signed = [Double](repeating: 0, count: d), spread = signed, column = signed
        features.withRows { rows in
            for s in 0..<coverage.stateCount {
                let row = Array(signedRow[(s * a)..<((s + 1) * a)]), width = Array(spreadRow[(s * a)..<((s + 1) * a)])
                signed.withUnsafeMutableBufferPointer { g in
                    var span = g.mutableSpan
                    policy.backpropagate(state: s, features: rows[s], logitCotangent: row.span, into: &span)
                }
                guard width.contains(where: { $0 != 0 }) else { continue }
                for k in 0..<d { column[k] = 0 }
                for j in 0..<a where width[j] != 0 {
                    var unit = [Double](repeating: 0, count: a)
                    unit[j] = width[j]
                    column.withUnsafeMutableBufferPointer { g in
                        var span = g.mutableSpan
                        policy.backpropagate(state: s, features: rows[s], logitCotangent: unit.span, into: &span)
                    }
                    for k in 0..<d { spread[k] += abs(column[k]); column[k] = 0 }
                }
            }
        }
        return (0..<d).map { abs(signed[$0]) + spread[$0] }
    }

    /// The baselines allowed: 0 for ``DrawCoverage/BaselineRange/zero``; [−B, B] for
    /// ``DrawCoverage/BaselineRange/values`` with B twice the largest |V_t(s)| (reachable) or |r| of
    /// the model: a learned baseline is only near the values (`ema` after a short warm-up is off
    /// by the noise of the returns, which matters where every term is as small as a rare
    /// action's probability), so the range leaves room around them.
    public var baselineRange: ClosedRange<Double> {
        guard baseline == .values else { return 0...0 }
        let b = 2 * max(abs(coverage.valueRange.lowerBound), abs(coverage.valueRange.upperBound), largestReward)
        return -b...b
    }
    var baselineMid: Double { (baselineRange.lowerBound + baselineRange.upperBound) / 2 }
    var baselineHalfWidth: Double { (baselineRange.upperBound - baselineRange.lowerBound) / 2 }

    /// max(0, λ − k_β − z*√k_β) / λ, the share of a pair's draws that z* standard errors of its
    /// own draws may fail to cover, where k_β = max{k : P(K < k) ≤ β} for K ~ Poisson(λ).
    /// - Returns: 1 for λ = 0 (a pair never drawn), falling to 0 as λ grows.
    public static func unrepresentedFraction(expectedDraws lambda: Double, critical z: Double, tail beta: Double) -> Double {
        guard lambda > 0 else { return 1 }
        // P(K < k) = Σ_{i<k} e^{−λ} λⁱ/i!, summed until it would exceed β.
        var k = 0, below = 0.0, term = exp(-lambda)
        while below + term <= beta, Double(k) < lambda {
            below += term
            k += 1
            term *= lambda / Double(k)
        }
        let kk = Double(k)
        return max(0, lambda - kk - z * kk.squareRoot()) / lambda
    }

    /// Jₛu for every state, row-major S × A: the direction itself for a tabular policy, a
    /// central difference of the logits otherwise (exact for a linear policy).
    func logitTangents(_ u: [Double]) -> [Double] {
        if policy is TabularPolicy { return u }
        let a = coverage.actionCount
        let theta = policy.parameters
        let scale = max(1, theta.map(abs).max() ?? 1) / max(u.map(abs).max() ?? 1, 1e-300)
        let h = 1e-5 * scale
        var plus = policy, minus = policy
        plus.parameters = zip(theta, u).map { $0 + h * $1 }
        minus.parameters = zip(theta, u).map { $0 - h * $1 }
        var out = [Double](repeating: 0, count: coverage.stateCount * a)
        var up = [Double](repeating: 0, count: a), down = up
        features.withRows { rows in
            for s in 0..<coverage.stateCount {
                up.withUnsafeMutableBufferPointer { b in var span = b.mutableSpan; plus.logits(state: s, features: rows[s], into: &span) }
                down.withUnsafeMutableBufferPointer { b in var span = b.mutableSpan; minus.logits(state: s, features: rows[s], into: &span) }
                for j in 0..<a { out[s * a + j] = (up[j] - down[j]) / (2 * h) }
            }
        }
        return out
    }
}
