/// ARM, the augment-REINFORCE-merge estimator (Yin & Zhou, "ARM: Augment-REINFORCE-Merge
/// Gradient for Stochastic Binary Networks", ICLR 2019), for binary actions.
///
/// For b ∼ Bernoulli(σ(φ)) and u ∼ U(0, 1), ARM estimates the gradient with respect to the
/// Bernoulli logit φ from the antithetic pair b = 1[u > σ(−φ)], b̃ = 1[u < σ(φ)] (two f
/// evaluations):
///
///     ∂/∂φ E[f(b)] ≈ g_ARM = (f(b) − f(b̃)) (u − ½)        (Yin & Zhou 2019, Theorem 1)
///
/// pg's policy is a softmax over the two logits l₀, l₁: action 1 is b = 1, π(1|s) = σ(φ) with
/// φ = l₁ − l₀, so ∂φ/∂l₁ = 1 and ∂φ/∂l₀ = −1 and the logit cotangent is g_ARM · (−1, +1)
/// (``logitCotangent(uniform:returns:)``). The pair comes from ``AntitheticPairSampler``:
/// episode 0 takes b (from u), episode 1 takes b̃ (from 1 − u), and f is each one's return.
/// Unbiased for any f. In episodes it applies at every step where the pair is in the same state
/// (see ``AntitheticPairs``); it is refused for A ≠ 2.
public struct ARM: AntitheticRule, Equatable {
    /// The rule.
    public init() {}

    /// g_ARM = (f₀ − f₁)(u − ½): the estimate of ∂E[f]/∂φ from the pair b = 1[u > σ(−φ)] with
    /// f₀ = f(b) and b̃ = 1[u < σ(φ)] with f₁ = f(b̃).
    /// - Complexity: O(1).
    @inlinable
    public static func logitGradient(uniform u: Double, returns f: (Double, Double)) -> Double {
        (f.0 - f.1) * (u - 0.5)
    }

    /// The cotangent on pg's logits (l₀, l₁): (−g_ARM, g_ARM).
    @inlinable
    public static func logitCotangent(uniform u: Double, returns f: (Double, Double)) -> (Double, Double) {
        let g = logitGradient(uniform: u, returns: f)
        return (-g, g)
    }

    /// Adds `scale` · (−g_ARM, g_ARM) to the logits of s.
    public func add(_ step: CoupledStep, probabilities: Span<Double>, scale: Double, scratch: inout MutableSpan<Double>,
                    into row: inout MutableSpan<Double>) {
        precondition(row.count == 2, "ARM needs two actions")
        let c = Self.logitCotangent(uniform: step.uniform, returns: step.returns)
        row[0] += scale * c.0
        row[1] += scale * c.1
    }

    /// `arm` for `pg train --estimator`, `pg compare --estimators` and `pg variance`.
    public static let descriptor = EstimatorDescriptor(
        name: "arm",
        summary: "ARM on antithetic pairs u, 1 - u, binary actions (Yin & Zhou 2019); per state while the pair shares it",
        claim: .unbiased, incompatibility: AntitheticPairs<ARM>.binaryOnly("ARM")) { _, _ in AntitheticPairs(rule: ARM()) }
}
