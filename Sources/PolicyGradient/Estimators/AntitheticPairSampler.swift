/// Antithetic pairs through the stick-breaking construction (Dong, Mnih & Tucker, "Coupled
/// Gradient Estimators for Discrete Latent Variables", NeurIPS 2021): K = 2 episodes per group,
/// whose actions are coupled wherever both are live and in the same state.
///
/// A categorical a ~ π(·|s) is the first i with b_i = 1 in a sequence of Bernoulli variables
/// b_i = 1[u_i < σ(φ_i)], σ(φ_i) = π_i / Σ_{j≥i} π_j, u_i uniform (the last category ends every
/// sequence). When the two episodes are live and in the same state s at a step, one sequence
/// u_0, u_1, … is drawn from the group's stream of the step (``GroupStep/groupStream``):
/// episode 0 takes the action of u, episode 1 the action of 1 − u. Each alone is an exact sample
/// of π(·|s); together each pair of Bernoulli variables (b_i, b̃_i) is antithetic.
///
/// With A = 2 there is one variable, b_0 = 1[a = 0], and this is the antithetic pair of ARM and
/// DisARM in the papers' logistic parameterisation (Yin & Zhou, ICLR 2019; Dong, Mnih & Tucker,
/// NeurIPS 2020): with φ = logit₁ − logit₀ the Bernoulli logit of action 1, episode 0 takes
/// b = 1[u > σ(−φ)] and episode 1 takes b̃ = 1[u < σ(φ)] (the same actions as inversion of u
/// and 1 − u).
///
/// Elsewhere (the episodes in different states, or one of them ended) each live episode draws
/// its action by inversion from its own stream, independently.
///
/// Each episode records, per step, its uniform for the first variable (u for episode 0,
/// 1 − u for episode 1; its own uniform when drawn alone) and whether the step was coupled
/// (1) or not (0): ``uniformIndex`` and ``coupledIndex``.
/// - Complexity: O(A) per group and step; allocates nothing.
public struct AntitheticPairSampler: GroupSampler, Equatable {
    /// The sampler.
    public init() {}

    /// Record entry of the first variable's uniform.
    public static let uniformIndex = 0
    /// Record entry of the coupling flag (1 coupled, 0 drawn alone).
    public static let coupledIndex = 1

    /// `antithetic-stick-breaking`.
    public var identity: String { "antithetic-stick-breaking" }
    /// The uniform and the coupling flag.
    public static func recordWidth(actionCount: Int) -> Int { 2 }
    /// Pairs only.
    public func problem(groupSize: Int, actionCount: Int) -> String? {
        groupSize == 2 ? nil : "draws antithetic pairs, so K must be 2, got K = \(groupSize)"
    }

    /// Couples the two episodes when both are live in the same state; else draws each alone.
    public func draw(_ step: inout GroupStep) {
        precondition(step.episodes == 2, "antithetic pairs need K = 2 episodes per group, got \(step.episodes)")
        if step.live[0] && step.live[1] && step.states[0] == step.states[1] {
            let (a, b, u) = Self.pair(step.policy.probabilities(step.states[0]), using: &step.groupStream)
            step.actions[0] = a
            step.actions[1] = b
            record(&step, 0, uniform: u, coupled: true)
            record(&step, 1, uniform: 1 - u, coupled: true)
            return
        }
        for j in 0..<2 where step.live[j] {
            let u = step.streams[j].nextUniform()
            step.actions[j] = InverseCDFSampler.action(step.policy.cumulativeBase + step.states[j] &* step.policy.actionCount,
                                                       count: step.policy.actionCount, uniform: u)
            record(&step, j, uniform: u, coupled: false)
        }
    }

    private func record(_ step: inout GroupStep, _ j: Int, uniform u: Double, coupled: Bool) {
        let row = step.recordPointer(j)
        row[Self.uniformIndex] = u
        row[Self.coupledIndex] = coupled ? 1 : 0
    }

    /// The antithetic pair of π by stick-breaking: uniforms u_0, u_1, … drawn from `rng` until
    /// both sequences have stopped; the first action is the first i with u_i · R_i < π_i, the
    /// second the first i with (1 − u_i) · R_i < π_i, R_i = Σ_{j≥i} π_j (so u_i < σ(φ_i)); the
    /// last action when neither stopped before it.
    /// - Returns: the two actions and u_0.
    /// - Complexity: O(A); allocates nothing.
    static func pair(_ p: UnsafeBufferPointer<Double>, using rng: inout RandomStream) -> (Int, Int, Double) {
        let last = p.count - 1
        var first = -1, second = -1, u0 = 0.0, rest = 1.0
        for i in 0..<last {
            let u = rng.nextUniform()
            if i == 0 { u0 = u }
            if first < 0 && u * rest < p[i] { first = i }
            if second < 0 && (1 - u) * rest < p[i] { second = i }
            if first >= 0 && second >= 0 { break }
            rest = Swift.max(rest - p[i], 0)
        }
        if first < 0 { first = last }
        if second < 0 { second = last }
        if last == 0 { u0 = rng.nextUniform() }
        return (first, second, u0)
    }
}
