/// How the gradient through the sampling step is estimated.
public enum EstimatorKind: String, Sendable, CaseIterable {
    /// REINFORCE / score function: ĝ = (1/N) Σ_i Σ_t γᵗ ∇log π(a_t|s_t) (G_t − b_t).
    case reinforce
    /// Gumbel-softmax / Concrete (Jang et al. 2017; Maddison et al. 2017): ∇_φ f(y) through
    /// y = softmax((logits + g)/τ).
    case gumbel
    /// Straight-through Gumbel-softmax: forward on z = onehot(argmax y), backward through ∂y/∂φ.
    case stGumbel = "st-gumbel"
}

/// The baseline subtracted from the return in REINFORCE (DESIGN.md §4).
public enum BaselineKind: String, Sendable, CaseIterable {
    /// b = 0.
    case none
    /// b = moving average of past returns (exponential, or the plain running mean).
    case ema
    /// NVIL (Mnih & Gregor 2014): centred by an EMA and a learned c_ψ(s), variance-normalised.
    case nvil
    /// Leave-one-out over K samples of the same context (VIMCO, Mnih & Rezende 2016; RLOO).
    case vimco
}

/// How the `ema` baseline averages past returns.
public enum AverageKind: String, Sendable, CaseIterable {
    /// b ← β b + (1 − β) · (batch mean), starting from the first batch's mean.
    case exponential
    /// b = mean of all past returns (Sutton & Barto's R̄, §2.8).
    case mean
}
