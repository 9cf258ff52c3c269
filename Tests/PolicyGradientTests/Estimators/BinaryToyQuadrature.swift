import Foundation

/// The exact mean of the Gumbel-softmax and straight-through estimators on the binary toy
/// f(b) = −(b − t)², by one-dimensional quadrature (an independent check of the Monte Carlo).
///
/// With two classes, y₁ = σ((Δ + L)/τ) where Δ = logit₁ − logit₀ and L = g₁ − g₀ is standard
/// logistic. The gradient on logit₁ is (1/τ) y₀ y₁ v₁ (and its negative on logit₀), with
/// v₁ = −2(y₁ − t) for `gumbel` and −2(z₁ − t), z₁ = 1[Δ + L > 0], for `st-gumbel`.
/// Substituting L = logit(u), u ~ U(0, 1), the mean is ∫₀¹ h(logit u) du; the straight-through
/// integrand jumps at u* = σ(−Δ), so the integral is split there.
enum BinaryToyQuadrature {
    static func sigmoid(_ x: Double) -> Double {
        x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
    }

    /// E[∂f(y)/∂logit₁] for the given estimator.
    static func meanLogitGradient(delta: Double, target t: Double, tau: Double, straightThrough: Bool,
                                  intervals: Int = 400_000) -> Double {
        let split = sigmoid(-delta)
        func h(_ u: Double) -> Double {
            guard u > 0 && u < 1 else { return 0 }
            let x = (delta + log(u / (1 - u))) / tau
            let y1 = sigmoid(x), y0 = sigmoid(-x)
            let point = straightThrough ? (u > split ? 1.0 : 0.0) : y1
            return -2 * (point - t) * y0 * y1 / tau
        }
        // In the straight-through case, evaluate each side's limit at the jump.
        func left(_ u: Double) -> Double { u >= split ? h(split.nextDown) : h(u) }
        func right(_ u: Double) -> Double { u <= split ? h(split.nextUp) : h(u) }
        return simpson(left, 0, split, intervals) + simpson(right, split, 1, intervals)
    }

    /// Composite Simpson's rule with an even number of intervals.
    static func simpson(_ f: (Double) -> Double, _ a: Double, _ b: Double, _ n: Int) -> Double {
        let m = n + n % 2, step = (b - a) / Double(m)
        var s = f(a) + f(b)
        for i in 1..<m { s += (i % 2 == 1 ? 4 : 2) * f(a + Double(i) * step) }
        return s * step / 3
    }
}
