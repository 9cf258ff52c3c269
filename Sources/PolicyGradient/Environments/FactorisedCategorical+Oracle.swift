extension FactorisedCategorical {
    /// p = (0.6, 0.51, 0.48), the targets of Liu et al.'s and Kool et al.'s Bernoulli experiment.
    public static let oracleTargets = [0.6, 0.51, 0.48]

    /// The oracle toy: Bernoullis x_i (x_i = 1 is action 1) sharing one logit η, i.e. one state
    /// whose π(1) = σ(η) every step uses, and the loss f(x) = Σ_i (x_i − p_i)², so that
    /// E[f] = Σ_i (θ − 2θ p_i + p_i²), θ = σ(η), and dE[f]/dη = θ(1 − θ) Σ_i (1 − 2 p_i): at η = 0
    /// and p = (0.6, 0.51, 0.48), 0.25 · (3 − 3.18) = −0.045 (Liu, Regier, Tripuraneni, Jordan &
    /// McAuliffe, "Rao-Blackwellized Stochastic Gradients for Discrete Distributions", ICML 2019,
    /// §5.1; Kool, van Hoof & Welling, ICLR 2020, §6.1: the two papers' exact gradient −0.045).
    ///
    /// pg's tabular policy has two logits l_0, l_1 with η = l_1 − l_0 and maximises J = γ² E[−f],
    /// so at the uniform policy and γ = 1, ∇J = (−0.045, +0.045): ∂J/∂l_1 = −dE[f]/dη.
    /// The joint choice has 2³ = 8 values, so sum-and-sample and the unordered set estimator of
    /// the papers (which treat x as one categorical of 8 values) differ from pg's, which sample
    /// the three x_i one per step (see their documentation).
    /// - Parameter p: the targets p_i, one per Bernoulli (at least one).
    /// - Precondition: 1 ≤ p.count ≤ 20 and every p_i finite.
    public static func sharedLogitOracle(targets p: [Double] = oracleTargets) -> FactorisedCategorical {
        precondition((1...20).contains(p.count) && p.allSatisfy(\.isFinite), "1 to 20 finite targets")
        return try! FactorisedCategorical(id: "shared-logit", costs: p.map { [$0 * $0, (1 - $0) * (1 - $0)] }, interaction: 0,
                                          sharesState: true)
    }
}
