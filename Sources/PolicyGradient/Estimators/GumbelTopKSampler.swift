/// K actions without replacement by Gumbel-top-k (Kool, van Hoof & Welling, "Stochastic Beams
/// and Where to Find Them", ICML 2019; the sampler of their unordered set estimator, ICLR 2020):
/// the live episodes of a group that are in the same state s at a step share one perturbation
/// z = log π(·|s) + g, g ~ Gumbel(0, 1)ᴬ from the group's stream of the step, and take its m
/// largest entries in order (the first of them the largest), so their actions are m distinct
/// categories drawn without replacement from π(·|s) (ties go to the lower index). Every
/// episode of the group starts in the same state, so the K first actions are always distinct.
///
/// Each episode records the shared z (A values per step), from which the estimator can read
/// the set's order statistics.
/// - Complexity: O(K² · A) per group and step; allocates nothing.
public struct GumbelTopKSampler: GroupSampler, Equatable {
    /// The sampler.
    public init() {}

    /// `gumbel-top-k`.
    public var identity: String { "gumbel-top-k" }
    /// z, A values per step.
    public static func recordWidth(actionCount: Int) -> Int { actionCount }
    /// K distinct actions need K ≤ A.
    public func problem(groupSize: Int, actionCount: Int) -> String? {
        groupSize <= actionCount ? nil : "draws K distinct actions, so K must be at most the \(actionCount) actions, got K = \(groupSize)"
    }

    /// Sets distinct actions, in decreasing order of one shared z, for the live episodes of each state.
    public func draw(_ step: inout GroupStep) {
        let a = step.policy.actionCount
        for j in 0..<step.episodes where step.live[j] { step.actions[j] = -1 }
        for first in 0..<step.episodes where step.live[first] && step.actions[first] < 0 {
            let s = step.states[first]
            let z = step.recordPointer(first)
            let logits = step.policy.logProbabilities(s)
            FastMath.fillGumbel(UnsafeMutableBufferPointer(rebasing: z[0..<a]), using: &step.groupStream)
            for k in 0..<a { z[k] += logits[k] }
            // The members of this state, in index order, take the largest remaining z in turn.
            for j in first..<step.episodes where step.live[j] && step.actions[j] < 0 && step.states[j] == s {
                var best = -1
                for k in 0..<a where !Self.taken(k, by: step, state: s, before: j) {
                    if best < 0 || z[k] > z[best] { best = k }
                }
                step.actions[j] = best
                if j != first { step.recordPointer(j).baseAddress!.update(from: z.baseAddress!, count: a) }
            }
        }
    }

    /// Whether action k went to an episode of state s with index below j at this step.
    @inline(__always)
    static func taken(_ k: Int, by step: GroupStep, state s: Int, before j: Int) -> Bool {
        for i in 0..<j where step.live[i] && step.states[i] == s && step.actions[i] == k { return true }
        return false
    }
}
