/// A factorised categorical problem: D categorical variables z_0 … z_{D−1} of K categories each,
/// chosen one per step, and a loss on the joint choice paid at the end,
///
/// f(z) = Σ_d c_d(z_d) + λ · #{d < D − 1 : z_d ≠ z_{d+1}},
///
/// a separable part c_d(k) and an interaction λ that charges each pair of neighbours that
/// disagree (a Potts chain), so that no variable's best choice can be read from its own term.
/// The synthetic benchmark of Kool, van Hoof & Welling ("Estimating Gradients for Discrete Random
/// Variables by Sampling without Replacement", ICLR 2020) and De Smet, Sansone & Zuidberg Dos
/// Martires ("Differentiable Sampling of Categorical Distributions Using the CatLog-Derivative
/// Trick", NeurIPS 2023): a product of independent categoricals and a black-box f of the joint.
/// Its built-in form (`factorised`) takes c_d(k) = ‖onehot(k) − t_d‖² with the targets
/// t_{d,j} = (1 + (d + j) mod K) / (K + 1) (``rotatedTargets(variables:categories:)``).
///
/// The policy is factorised per variable: step d is taken in state d, so π(·|d) is variable d's
/// distribution; with ``sharesState`` every step is taken in state 0, so all variables share one
/// distribution (the oracle toy of ``sharedLogitOracle()``). The environment remembers the
/// choices (their running loss and the last one), so its reward is not Markov in the state
/// index: exact J and ∇J come from ``ExactObjective`` by enumerating the K^D joint choices, and
/// sizes with more than ``maximumJointChoices`` of them are refused.
///
/// - Actions: `0..<K`, the category of the current variable.
/// - States: d, the variable being chosen (`0..<D`), or 0 for every step when ``sharesState``.
/// - Rewards: 0 until the last step, then −f(z): pg maximises reward, so maximising J is the
///   benchmark's minimisation of E[f]. J = γ^{D−1} E[−f(z)].
/// - Termination: after D steps.
/// - Starting State: variable 0.
/// - Version History: v0, added with issue 23.
public struct FactorisedCategorical: ExactObjective {
    /// The environment's id (`factorised`, `shared-logit`).
    public let id: String
    /// D, the variables.
    public let variables: Int
    /// K, the categories of each variable.
    public let categories: Int
    /// c_d(k), the separable loss of category k for variable d (row-major D × K).
    public let costs: [Double]
    /// λ, the loss of each pair of neighbouring variables that disagree.
    public let interaction: Double
    /// Whether every step is taken in state 0 (one distribution shared by all variables).
    public let sharesState: Bool
    /// The episode so far: the step, the previous choice, and the loss accumulated.
    var step = 0, previous = -1, loss = 0.0

    /// The most joint choices K^D that exact J and ∇J enumerate (2²⁰).
    public static let maximumJointChoices = 1 << 20

    /// K actions.
    public var actionCount: Int { categories }
    /// D states, or one when the variables share it.
    public var stateCount: Int { sharesState ? 1 : variables }
    /// D steps.
    public var timeLimit: Int { variables }

    /// The problem with separable losses `costs[d][k]` and interaction λ.
    /// - Throws: ``InputError`` (field `variables`) when K^D exceeds ``maximumJointChoices``, or
    ///   when the rows are empty, ragged or not finite.
    public init(id: String = "factorised", costs: [[Double]], interaction: Double, sharesState: Bool = false) throws {
        let k = costs.first?.count ?? 0
        guard !costs.isEmpty, k >= 2, costs.allSatisfy({ $0.count == k }) else {
            throw InputError(field: "categories", "a factorised problem needs at least one variable and 2 or more categories for each")
        }
        guard costs.allSatisfy({ $0.allSatisfy(\.isFinite) }), interaction.isFinite else {
            throw InputError(field: "interaction", "the losses of a factorised problem must be finite")
        }
        if let why = Self.sizeProblem(variables: costs.count, categories: k) {
            throw InputError(field: "variables", why, mentions: ["variables", "categories"])
        }
        self.id = id
        variables = costs.count
        categories = k
        self.costs = costs.flatMap { $0 }
        self.interaction = interaction
        self.sharesState = sharesState
    }

    /// The built-in form: c_d(k) = ‖onehot(k) − t_d‖² with ``rotatedTargets(variables:categories:)``.
    /// - Throws: ``InputError`` when K^D exceeds ``maximumJointChoices``.
    public init(variables d: Int, categories k: Int, interaction: Double) throws {
        if let why = Self.sizeProblem(variables: d, categories: k) {
            throw InputError(field: "variables", why, mentions: ["variables", "categories"])
        }
        try self.init(costs: Self.rotatedTargets(variables: d, categories: k).map(Self.squaredDistances), interaction: interaction)
    }

    /// Why D variables of K categories are too many to enumerate (nil when they are not).
    public static func sizeProblem(variables d: Int, categories k: Int) -> String? {
        guard d >= 1, k >= 2 else { return "a factorised problem needs at least 1 variable and 2 categories" }
        var n = 1
        for _ in 0..<d {
            n *= k
            if n > maximumJointChoices {
                return "K^D = \(k)^\(d) joint choices is more than \(maximumJointChoices), "
                    + "the most that exact J and its gradient enumerate (fewer variables or categories)"
            }
        }
        return nil
    }

    /// t_{d,j} = (1 + (d + j) mod K) / (K + 1): each variable's targets are 1/(K+1) … K/(K+1),
    /// rotated by one place per variable, so that neighbours prefer different categories alone
    /// (variable d's best is k = (K − 1 − d) mod K) while the interaction rewards agreeing.
    public static func rotatedTargets(variables d: Int, categories k: Int) -> [[Double]] {
        (0..<d).map { v in (0..<k).map { j in Double(1 + (v + j) % k) / Double(k + 1) } }
    }

    /// ‖onehot(k) − t‖² for every k: 1 − 2 t_k + ‖t‖².
    public static func squaredDistances(to t: [Double]) -> [Double] {
        let norm = t.reduce(0) { $0 + $1 * $1 }
        return t.map { 1 - 2 * $0 + norm }
    }

    /// f(z) for the joint choice `z` (D categories).
    /// - Precondition: `z` has D entries in `0..<K`.
    public func loss(_ z: [Int]) -> Double {
        precondition(z.count == variables && z.allSatisfy { (0..<categories).contains($0) }, "a joint choice of \(variables) categories")
        var f = 0.0
        for d in 0..<variables {
            f += costs[d * categories + z[d]]
            if d > 0, z[d] != z[d - 1] { f += interaction }
        }
        return f
    }

    /// Starts at variable 0 with nothing chosen.
    public mutating func reset(using rng: inout RandomStream) -> Int {
        step = 0
        previous = -1
        loss = 0
        return 0
    }

    /// Chooses category `action` for the current variable; the last step pays −f(z).
    public mutating func step(_ action: Int, using rng: inout RandomStream) -> StepResult {
        precondition(step < variables, "step after the last variable without a reset")
        loss += costs[step &* categories &+ action]
        if previous >= 0, previous != action { loss += interaction }
        previous = action
        step += 1
        if step == variables { return StepResult(state: sharesState ? 0 : variables - 1, reward: -loss, terminated: true) }
        return StepResult(state: sharesState ? 0 : step, reward: 0, terminated: false)
    }
}
