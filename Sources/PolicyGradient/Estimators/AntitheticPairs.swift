/// One coupled step of an antithetic pair, as an ``AntitheticRule`` reads it: both episodes in
/// state s at step t, their actions from u and 1 − u (``AntitheticPairSampler``), and their
/// returns-to-go from there.
public struct CoupledStep {
    /// s, the state both episodes are in.
    public var state: Int
    /// The actions of episode 0 (from u) and episode 1 (from 1 − u).
    public var actions: (Int, Int)
    /// u, episode 0's uniform of the first stick-breaking variable.
    public var uniform: Double
    /// f₀ = G_t of episode 0 and f₁ = G_t of episode 1.
    public var returns: (Double, Double)

    /// A coupled step.
    public init(state: Int, actions: (Int, Int), uniform: Double, returns: (Double, Double)) {
        self.state = state
        self.actions = actions
        self.uniform = uniform
        self.returns = returns
    }
}

/// How an antithetic-pair estimator turns one coupled step into an estimate of
/// ∇_logits E_{a∼π(·|s)}[Q(s, a)] (ARM, DisARM, stick-breaking DisARM).
public protocol AntitheticRule: Sendable {
    /// Adds `scale` × the pair's estimate of ∇_logits E_{a∼π(·|s)}[Q(s, a)] to `row` (the direct
    /// logit cotangents of s), with the returns f₀, f₁ standing for Q(s, a₀), Q(s, a₁).
    /// - Parameters:
    ///   - step: the coupled step.
    ///   - probabilities: π(·|s).
    ///   - scale: the weight of the estimate.
    ///   - scratch: A values of scratch.
    ///   - row: the logit cotangents of s.
    /// - Complexity: O(A); allocates nothing.
    func add(_ step: CoupledStep, probabilities: Span<Double>, scale: Double, scratch: inout MutableSpan<Double>,
             into row: inout MutableSpan<Double>)
}

/// An estimator on antithetic pairs (``AntitheticPairSampler``, K = 2), in episodes.
///
/// The papers define ARM, DisARM and their categorical extension for one draw of a variable
/// (a one-step problem). In episodes the pair shares its start state and stays coupled, step
/// by step, while both episodes are live and in the same state; there the rule's estimate of
/// ∇_logits E_a[Q(s, a)] is formed from the two returns-to-go G_t (each an unbiased estimate of
/// Q(s_t, a) given the step, since everything after it is drawn afresh) and weighs
/// 2 γᵗ/N (one estimate for the two episodes). At every other step (the episodes apart, or one
/// ended) each live episode adds the REINFORCE term of K = 2 leave-one-out,
/// (γᵗ/N) (G_t − G'_t) ∇log π(a_t|s_t), G'_t the other episode's return-to-go at step t (0 when
/// it has ended): its actions there were drawn independently, and everything the other episode
/// does later is, given the past, a draw of the policy, so G'_t does not depend on a_t.
/// Both parts are unbiased, so the estimator is (per state visited, each visit counted once
/// by the pair or by its episodes). In a one-step problem it is exactly the paper's estimator.
public struct AntitheticPairs<Rule: AntitheticRule>: GradientEstimator {
    /// The rule of coupled steps.
    public let rule: Rule

    /// The estimator with `rule`.
    public init(rule: Rule) {
        self.rule = rule
    }

    /// Antithetic pairs by stick-breaking.
    public var sampler: AntitheticPairSampler { AntitheticPairSampler() }
    /// Two episodes per group.
    public var groupSize: Int { 2 }
    /// No batch sums.
    public var statistics: BatchStatistics { [] }
    /// A values for the rule.
    public func makeScratch(actionCount: Int, featureCount: Int) -> VectorScratch {
        VectorScratch(count: actionCount, vectors: 1)
    }

    /// Adds the rule's estimate at every coupled step (weight 2γᵗ/N) and the leave-one-out
    /// REINFORCE term of each episode at every other step (weight γᵗ/N).
    /// - Complexity: O(steps · A); allocates nothing.
    public func accumulate(_ group: EpisodeGroup, scratch: inout VectorScratch, into out: inout LogitCotangents) {
        precondition(group.samples == 2, "antithetic pairs need K = 2 episodes per group, got \(group.samples)")
        let lengths = (group.length(0), group.length(1))
        var discount = 1.0
        for t in 0..<Swift.max(lengths.0, lengths.1) {
            let weight = group.weight * discount
            if t < lengths.0 && t < lengths.1 && group.record(0, t, AntitheticPairSampler.coupledIndex) == 1 {
                let s = group.state(0, t)
                precondition(group.state(1, t) == s, "a coupled step with the episodes in different states")
                let step = CoupledStep(state: s, actions: (group.action(0, t), group.action(1, t)),
                                       uniform: group.record(0, t, AntitheticPairSampler.uniformIndex),
                                       returns: (group.returnToGo(0, t), group.returnToGo(1, t)))
                group.policy.withProbabilities(s) { p in
                    scratch.withVector(0) { free in
                        out.withLogitRow(s) { row in rule.add(step, probabilities: p, scale: 2 * weight, scratch: &free, into: &row) }
                    }
                }
            } else {
                for j in 0..<2 where t < group.length(j) {
                    let other = t < group.length(1 - j) ? group.returnToGo(1 - j, t) : 0
                    out.addScore(state: group.state(j, t), action: group.action(j, t),
                                 coefficient: weight * (group.returnToGo(j, t) - other))
                }
            }
            discount *= group.gamma
        }
    }

    /// Why a binary rule cannot run on `context`'s environment (nil when it has two actions).
    public static func binaryOnly(_ name: String) -> @Sendable (EstimatorContext) -> String? {
        { context in
            let a = context.environment.actionCount
            return a == 2 ? nil : "\(name) is defined for binary actions (A = 2), and this environment has A = \(a)"
        }
    }
}
