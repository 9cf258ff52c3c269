/// DisARM (Dong, Mnih & Tucker, "DisARM: An Antithetic Gradient Estimator for Binary Latent
/// Variables", NeurIPS 2020), for binary actions: ARM with the augmenting uniform integrated
/// out given the pair.
///
/// With the antithetic pair b = 1[u > σ(−φ)], b̃ = 1[u < σ(φ)] of ARM, DisARM estimates the
/// gradient with respect to the Bernoulli logit φ by E[g_ARM | b, b̃]:
///
///     g_DisARM = ½ (f(b) − f(b̃)) (−1)^b̃ 1[b ≠ b̃] σ(|φ|)
///
/// which is symmetric in the two: when the actions differ, ½ σ(|φ|) (f(1) − f(0)), where f(1)
/// is the return of the episode that took action 1; when they agree, 0. σ(|φ|) is the larger
/// of π(0|s), π(1|s). Its variance is at most ARM's (Rao–Blackwell) for the same two f
/// evaluations.
///
/// pg's logits: φ = l₁ − l₀, so the cotangent is g_DisARM · (−1, +1). Pairs come from
/// ``AntitheticPairSampler`` (the same draws as ``ARM``, so `pg variance` compares them on
/// common random numbers). Unbiased for any f. In episodes it applies at every step where the
/// pair is in the same state (see ``AntitheticPairs``); it is refused for A ≠ 2.
public struct DisARM: AntitheticRule, Equatable {
    /// The rule.
    public init() {}

    /// g_DisARM for actions `actions` (a ∈ {0, 1}, a = 1 is b = 1) with returns f, at
    /// π(1|s) = σ(φ) = `probabilityOfOne`.
    /// - Complexity: O(1).
    @inlinable
    public static func logitGradient(actions a: (Int, Int), returns f: (Double, Double), probabilityOfOne p: Double) -> Double {
        guard a.0 != a.1 else { return 0 }
        let (one, zero) = a.0 == 1 ? (f.0, f.1) : (f.1, f.0)
        return 0.5 * Swift.max(p, 1 - p) * (one - zero)
    }

    /// Adds `scale` · (−g_DisARM, g_DisARM) to the logits of s.
    public func add(_ step: CoupledStep, probabilities: Span<Double>, scale: Double, scratch: inout MutableSpan<Double>,
                    into row: inout MutableSpan<Double>) {
        precondition(row.count == 2, "DisARM needs two actions")
        let g = Self.logitGradient(actions: step.actions, returns: step.returns, probabilityOfOne: probabilities[1])
        row[0] -= scale * g
        row[1] += scale * g
    }

    /// `disarm` for `pg train --estimator`, `pg compare --estimators` and `pg variance`.
    public static let descriptor = EstimatorDescriptor(
        name: "disarm",
        summary: "DisARM on antithetic pairs, binary actions (Dong, Mnih & Tucker 2020); per state while the pair shares it",
        claim: .unbiased, incompatibility: AntitheticPairs<DisARM>.binaryOnly("DisARM")) { _, _ in AntitheticPairs(rule: DisARM()) }
}
