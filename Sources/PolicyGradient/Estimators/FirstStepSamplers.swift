/// K distinct first actions by Gumbel-top-k, then independent draws: at step 0 the K episodes of
/// a group (all in the group's start state) take the K largest entries of one perturbation
/// log π(·|s_0) + g, g ~ Gumbel(0, 1)ᴬ, from the group's stream (``GumbelTopKSampler``: an
/// unordered sample of K categories without replacement); from step 1 on each episode draws
/// by inversion from its own stream, so that, given the first actions, the K continuations are
/// independent and each follows π. The sampler of ``UnorderedSetEstimator``.
///
/// Records the shared perturbation at step 0 (A values; later steps leave it unset).
/// - Complexity: O(K² · A) at step 0, O(K · A) per later step; allocates nothing.
public struct FirstStepGumbelTopKSampler: GroupSampler, Equatable {
    /// The sampler.
    public init() {}

    /// `gumbel-top-k-first`.
    public var identity: String { "gumbel-top-k-first" }
    /// The perturbed logits of step 0.
    public static func recordWidth(actionCount: Int) -> Int { actionCount }
    /// K distinct first actions need K ≤ A.
    public func problem(groupSize: Int, actionCount: Int) -> String? {
        GumbelTopKSampler().problem(groupSize: groupSize, actionCount: actionCount)
    }

    /// Gumbel-top-k at step 0, inversion afterwards.
    public func draw(_ step: inout GroupStep) {
        if step.step == 0 { return GumbelTopKSampler().draw(&step) }
        InverseCDFSampler().draw(&step)
    }
}

/// The k = K − 1 most probable first actions, one each, and one drawn from the rest, then
/// independent draws: at step 0 episode j < k takes the j-th most probable action of π(·|s_0)
/// (ties to the lower index) and episode K − 1 an action drawn from π restricted to the other
/// A − k actions, by inversion of one uniform of the group's stream; from step 1 on each episode
/// draws by inversion from its own stream. The sampler of ``SumAndSample``.
/// - Complexity: O(K · A) per step; allocates nothing.
public struct TopKThenSampleSampler: GroupSampler, Equatable {
    /// The sampler.
    public init() {}

    /// `top-k-then-sample`.
    public var identity: String { "top-k-then-sample" }
    /// K − 1 distinct summed actions and one more from the rest need K ≤ A.
    public func problem(groupSize: Int, actionCount: Int) -> String? {
        groupSize <= actionCount
            ? nil : "sums K - 1 distinct actions and samples one more from the rest, so K must be at most the \(actionCount) actions, got K = \(groupSize)"
    }

    /// Top k and a draw from the rest at step 0, inversion afterwards.
    public func draw(_ step: inout GroupStep) {
        guard step.step == 0 else { return InverseCDFSampler().draw(&step) }
        let a = step.policy.actionCount, k = step.episodes - 1, s = step.states[0]
        let p = step.policy.probabilities(s)
        for j in 0..<k { step.actions[j] = Self.mostProbable(p, excluding: step.actions, count: j) }
        let u = step.groupStream.nextUniform()
        step.actions[k] = Self.drawOutside(p, taken: step.actions, count: k, uniform: u, actionCount: a)
    }

    /// The most probable action not among `taken[0..<count]` (ties to the lower index).
    @inline(__always)
    static func mostProbable(_ p: UnsafeBufferPointer<Double>, excluding taken: UnsafeMutablePointer<Int>, count: Int) -> Int {
        var best = -1
        for c in 0..<p.count where !contains(taken, count, c) {
            if best < 0 || p[c] > p[best] { best = c }
        }
        return best
    }

    /// The action of π restricted to the actions not in `taken[0..<count]`, by inversion of
    /// u · (their mass); the last of them with positive probability if rounding runs past the end.
    @inline(__always)
    static func drawOutside(_ p: UnsafeBufferPointer<Double>, taken: UnsafeMutablePointer<Int>, count: Int, uniform u: Double,
                            actionCount a: Int) -> Int {
        var rest = 0.0, last = -1
        for c in 0..<a where !contains(taken, count, c) {
            rest += p[c]
            if p[c] > 0 || last < 0 { last = c }
        }
        let target = u * rest
        var acc = 0.0
        for c in 0..<a where !contains(taken, count, c) && p[c] > 0 {
            acc += p[c]
            if target < acc { return c }
        }
        return last
    }

    @inline(__always)
    static func contains(_ taken: UnsafeMutablePointer<Int>, _ count: Int, _ c: Int) -> Bool {
        for i in 0..<count where taken[i] == c { return true }
        return false
    }
}
