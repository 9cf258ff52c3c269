/// Where the variance of a REINFORCE estimate comes from: the split of tr Cov into the state,
/// action and trajectory components of G. Tucker, S. Bhupatiraju, S. Gu, R. E. Turner,
/// Z. Ghahramani & S. Levine, "The Mirage of Action-Dependent Baselines in Reinforcement
/// Learning" (ICML 2018), §3, computed exactly from known dynamics for a tabular policy.
///
/// One episode's estimate is X = Σ_t x_t with x_t = γᵗ (e_{a_t} − π(·|s_t)) (G_t − b_t(s_t))
/// (the logit cotangent; for a tabular policy its parameters), x_t = 0 once the episode has
/// ended. For each step the law of total variance over (s_t, a_t, the rest of the trajectory τ)
/// gives Tucker et al.'s three parts, summed over t:
/// * ``state``: Σ_t Var_{s_t}(E[x_t | s_t]) — what the states visited contribute; no baseline
///   changes it (E[x_t | s_t] does not depend on b);
/// * ``action``: Σ_t E_{s_t} Var_{a_t|s_t}(E[x_t | s_t, a_t]) — the choice of action; the only
///   part a baseline b(s) (or an action-dependent one) can reduce;
/// * ``trajectory``: Σ_t E_{s_t, a_t} Var_τ(x_t | s_t, a_t) — the rest of the episode
///   (transitions, later actions, reward noise) through G_t;
/// * ``baselineNoise``: Σ_t E‖x_t's score‖² Var(b_t) for a baseline that is itself random
///   (`vimco`'s mean of the other episodes' returns);
/// * ``acrossSteps``: Σ_{t≠t'} tr Cov(x_t, x_t') — the covariance between the steps of one
///   episode, which Tucker et al.'s single-step view leaves out; with a tabular policy only
///   revisits of a state and the per-step means contribute. Computed by a forward pass per
///   state when S²·H·A²·(outcomes per pair) is at most ``revisitBudget``, else nil.
///
/// With a deterministic baseline the five sum to tr Cov(X) exactly; an estimate of N episodes
/// has 1/N of each (``perEstimate(episodes:)``).
public struct VarianceDecomposition: Sendable, Equatable {
    /// The state component.
    public var state: Double
    /// The action component.
    public var action: Double
    /// The trajectory component.
    public var trajectory: Double
    /// The baseline's own sampling noise (0 for a deterministic baseline).
    public var baselineNoise: Double
    /// The covariance across steps of one episode (nil when not computed).
    public var acrossSteps: Double?

    /// The sum of the components (nil when ``acrossSteps`` is not computed).
    public var total: Double? { acrossSteps.map { state + action + trajectory + baselineNoise + $0 } }

    /// The largest S²·H·A²·(outcomes per pair) for which ``acrossSteps`` is computed (3·10⁸).
    public static let revisitBudget = 300_000_000.0

    /// The baseline b_t(s) of the REINFORCE estimate decomposed.
    public enum BaselineValues: Sendable, Equatable {
        /// b = 0 (`none`).
        case zero
        /// One number for every step (`ema`'s and `mean`'s running average of the returns-to-go).
        case constant(Double)
        /// One number per state (`nvil`'s b̄ + c_ψ(s); the visit-weighted value of s at convergence).
        case perState([Double])
        /// One number per step and state, row-major H × S (`optimal`'s b*_t(s)).
        case perStepAndState([Double])
        /// The mean of the other K − 1 episodes' returns-to-go at the same step, from the same start
        /// (`vimco`): its mean m_t enters as a per-step baseline, its variance as ``baselineNoise``.
        case leaveOneOut(samples: Int)
    }

    /// The components for one episode.
    public init(state: Double, action: Double, trajectory: Double, baselineNoise: Double, acrossSteps: Double?) {
        self.state = state
        self.action = action
        self.trajectory = trajectory
        self.baselineNoise = baselineNoise
        self.acrossSteps = acrossSteps
    }

    /// The components of an estimate that averages `episodes` independent episodes: each / N.
    public func perEstimate(episodes n: Int) -> VarianceDecomposition {
        let k = 1 / Double(n)
        return VarianceDecomposition(state: state * k, action: action * k, trajectory: trajectory * k,
                                     baselineNoise: baselineNoise * k, acrossSteps: acrossSteps.map { $0 * k })
    }
}
