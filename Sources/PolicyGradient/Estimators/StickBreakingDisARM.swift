/// DisARM through a stick-breaking coupling, for any number of actions: the categorical
/// antithetic estimator of Dong, Mnih & Tucker ("Coupled Gradient Estimators for Discrete
/// Latent Variables", NeurIPS 2021), as their code computes it for a stick-breaking
/// categorical (`grad_type = disarm`, `stick_breaking`, no importance weighting, categories in
/// their given order).
///
/// A categorical a ∼ π is the first i with b_i = 1 among Bernoulli variables with logits
/// φ_i = l_i − log Σ_{j>i} exp(l_j), i < A − 1 (σ(φ_i) = π_i / R_i, R_i = Σ_{j≥i} π_j). The
/// pair (a₀ from u, a₁ from 1 − u; ``AntitheticPairSampler``) couples every pair (b_i, b̃_i)
/// antithetically. With m = min(a₀, a₁) < M = max(a₀, a₁), f_m and f_M the returns of the
/// episodes that took them, the gradient with respect to the stick-breaking logits is
///
///     node m (both sequences reach it, they part there):   g_m = ½ σ(|φ_m|) (f_m − f_M)   (DisARM)
///     nodes m < i ≤ min(M, A − 2) (only one sequence reaches them):
///                                                          g_i = ½ (f_M − f_m) (1[i = M] − σ(φ_i))
///     every other node, and every node when a₀ = a₁:       g_i = 0
///
/// and the cotangent on pg's logits follows from ∂φ_i/∂l_k = 1[k = i] − 1[k > i] π_k / R_{i+1}:
/// c_k = g_k − π_k Σ_{i<k} g_i / R_{i+1} (``addLogitCotangent(_:returns:probabilities:suffix:scale:into:)``).
/// With A = 2 it is exactly ``DisARM`` (one node, b_0 = 1[a = 0]). Unbiased for any f: each
/// node's term is DisARM's or REINFORCE's with the other sample's return as a baseline that
/// does not depend on the node's own variable.
///
/// Why this and not CARMS (Dimitriev & Zhou, NeurIPS 2021): both are unbiased couplings of
/// categorical draws, but this one needs two samples and one uniform per stick-breaking node,
/// costs O(A) in closed form, reduces exactly to DisARM at A = 2 (so the binary and categorical
/// rows of a table are the same estimator), and shares its sampler with ARM and DisARM; CARMS
/// draws K samples through a Dirichlet copula and weighs them by importance weights of that
/// copula, a second sampler and more machinery for the same K = 2 comparison.
///
/// In episodes it applies at every step where the pair is in the same state
/// (``AntitheticPairs``).
public struct StickBreakingDisARM: AntitheticRule, Equatable {
    /// The rule.
    public init() {}

    /// g_i, the gradient estimate with respect to stick-breaking logit i, for the pair's actions
    /// and returns at π (`suffix[i]` = R_i = Σ_{j≥i} π_j).
    /// - Precondition: 0 ≤ i < A − 1.
    /// - Complexity: O(1).
    public static func nodeGradient(_ i: Int, actions a: (Int, Int), returns f: (Double, Double),
                                    probabilities p: Span<Double>, suffix r: Span<Double>) -> Double {
        precondition(i >= 0 && i < p.count - 1, "node \(i) of \(p.count - 1)")
        guard a.0 != a.1 else { return 0 }
        let (m, big, fm, fBig) = a.0 < a.1 ? (a.0, a.1, f.0, f.1) : (a.1, a.0, f.1, f.0)
        if i == m { return 0.5 * Swift.max(p[i], r[i] - p[i]) / r[i] * (fm - fBig) }
        if i > m && i <= big { return 0.5 * (fBig - fm) * ((i == big ? 1 : 0) - p[i] / r[i]) }
        return 0
    }

    /// Writes R_i = Σ_{j≥i} π_j into `suffix`, summed from the last action (accurate in the tail).
    /// - Complexity: O(A); allocates nothing.
    public static func suffixSums(_ p: Span<Double>, into suffix: inout MutableSpan<Double>) {
        precondition(suffix.count >= p.count, "suffixSums: the output is shorter than the probabilities")
        var acc = 0.0
        for k in p.indices.reversed() {
            acc += p[k]
            suffix[k] = acc
        }
    }

    /// Adds `scale` · c to `row`, c_k = g_k − π_k Σ_{i<k} g_i / R_{i+1} the cotangent on the
    /// softmax logits; `suffix` must hold R (``suffixSums(_:into:)``).
    /// - Complexity: O(A); allocates nothing.
    public static func addLogitCotangent(_ a: (Int, Int), returns f: (Double, Double), probabilities p: Span<Double>,
                                         suffix r: Span<Double>, scale: Double, into row: inout MutableSpan<Double>) {
        guard a.0 != a.1 else { return }
        let nodes = p.count - 1, last = Swift.min(Swift.max(a.0, a.1), nodes - 1)
        var carried = 0.0  // Σ_{i<k} g_i / R_{i+1}
        for k in Swift.min(a.0, a.1)..<p.count {
            let g = k <= last ? nodeGradient(k, actions: a, returns: f, probabilities: p, suffix: r) : 0
            row[k] += scale * (g - p[k] * carried)
            if k <= last { carried += g / r[k + 1] }
        }
    }

    /// Adds `scale` · c to the logits of s.
    public func add(_ step: CoupledStep, probabilities: Span<Double>, scale: Double, scratch: inout MutableSpan<Double>,
                    into row: inout MutableSpan<Double>) {
        guard step.actions.0 != step.actions.1 else { return }
        Self.suffixSums(probabilities, into: &scratch)
        Self.addLogitCotangent(step.actions, returns: step.returns, probabilities: probabilities, suffix: scratch.span, scale: scale,
                               into: &row)
    }

    /// `disarm-sb` for `pg train --estimator`, `pg compare --estimators` and `pg variance`.
    public static let descriptor = EstimatorDescriptor(
        name: "disarm-sb",
        summary: "DisARM through a stick-breaking coupling, any A (Dong, Mnih & Tucker 2021); per state while the pair shares it",
        claim: .unbiased) { _, _ in AntitheticPairs(rule: StickBreakingDisARM()) }
}
