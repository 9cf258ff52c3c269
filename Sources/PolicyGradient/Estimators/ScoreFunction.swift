/// The score-function (REINFORCE) estimator's arithmetic, as small pure functions.
///
/// Williams, "Simple Statistical Gradient-Following Algorithms for Connectionist
/// Reinforcement Learning", Machine Learning 8, 1992:
/// ĝ = (1/N) Σ_i Σ_t γᵗ ∇_φ log π(a_t|s_t) (G_t − b_t), unbiased for ∇J whenever b_t does not
/// depend on a_t or anything after it in the same episode.
public enum ScoreFunction {
    /// The coefficient of ∇ log π(a_t|s_t) at one step: w (G_t − b_t), with w = γᵗ/N.
    /// - Parameters:
    ///   - returnToGo: G_t.
    ///   - baseline: b_t.
    ///   - weight: γᵗ/N.
    /// - Complexity: O(1).
    @inlinable
    public static func coefficient(returnToGo g: Double, baseline b: Double, weight w: Double) -> Double {
        w * (g - b)
    }

    /// The logit cotangent of a score term: c ∇_logits log π(a|·) = c (e_a − π), written into `out`.
    /// - Parameters:
    ///   - action: a.
    ///   - coefficient: c.
    ///   - probabilities: π(·|s).
    ///   - out: receives the cotangent (same length as `probabilities`).
    /// - Complexity: O(A); allocates nothing.
    @inlinable
    public static func logitCotangent(action a: Int, coefficient c: Double, probabilities p: Span<Double>,
                                      into out: inout MutableSpan<Double>) {
        precondition(out.count == p.count && a >= 0 && a < p.count, "logitCotangent: rows of the wrong size")
        for k in p.indices { out[k] = c * ((k == a ? 1 : 0) - p[k]) }
    }

    /// Adds w (G_t − b) ∇ log π(a_t|s_t), w = γᵗ/N, for every step of every episode of
    /// `groups` with one baseline b for all of them (REINFORCE with a constant baseline), and w
    /// to the auxiliary sum of (s_t, a_t) when `weighs` (the weights a batch constant is later
    /// multiplied by). The episodes are taken in order, as group by group.
    /// - Complexity: O(steps); allocates nothing.
    @inlinable
    public static func accumulate(_ groups: EpisodeGroups, baseline b: Double, weighs: Bool, into out: LogitCotangents) {
        let a = out.actionCount, g = groups.first, w0 = g.weight, gamma = g.gamma, h = g.stride
        for e in 0..<groups.episodeCount {
            var weight = w0
            let base = e &* h
            for t in 0..<g.lengthBase[e] {
                let s = g.stateBase[base &+ t], action = g.actionBase[base &+ t]
                out.addScoreUnchecked(state: s, action: action,
                                      coefficient: coefficient(returnToGo: g.returnBase[base &+ t], baseline: b, weight: weight))
                if weighs { out.auxiliary[s &* a &+ action] += weight }
                weight *= gamma
            }
        }
    }
}
