/// An environment that computes its exact objective J(π) = E[Σ_t γᵗ r_t] and its partial
/// derivatives for a stationary policy itself, for problems whose rewards are not Markov in the
/// state index, so that a ``KnownDynamics`` transition table cannot express them (a reward paid
/// at the end on the joint choice of every step, as in ``FactorisedCategorical``).
///
/// pg consults it wherever it needs exact J or ∇J and the environment has no ``KnownDynamics``:
/// the trainer's `exact_j` and `grad_sq_error`, `pg variance`'s bias against ∇J, `pg compare`'s
/// exact-J curves and the conformance check (see ``ExactGradient/evaluate(policy:environment:features:gamma:)``).
/// ``ExactGradient`` turns the partial derivatives into the gradient of any policy by the
/// softmax's Jacobian, c(a|s) = π(a|s) (∂J/∂π(a|s) − Σ_b π(b|s) ∂J/∂π(b|s)), then the policy's
/// backward pass.
///
/// The environment states and steps as usual; the policy is stationary (π(·|s) the same at every
/// step), so a problem whose steps share a state index ties their choices to one distribution.
public protocol ExactObjective: Environment {
    /// J(π) and ∂J/∂π(a|s), with J read as a polynomial in the S × A entries π(a|s) (row-major,
    /// each row summing to 1), for discount γ over the environment's time limit.
    /// - Parameters:
    ///   - probabilities: π(a|s), row-major S × A.
    ///   - gamma: the discount γ.
    /// - Returns: J and the S × A partial derivatives ∂J/∂π(a|s).
    func exactObjective(probabilities: [Double], gamma: Double) -> (value: Double, gradient: [Double])
    /// The work of one ``exactObjective(probabilities:gamma:)`` in multiply-adds, so that the
    /// trainer can budget exact J in the log as it does for known dynamics.
    var exactObjectiveCost: Int { get }
    /// The largest J any stationary policy reaches, when it is known (nil otherwise).
    func optimalObjective(gamma: Double) -> Double?
}
