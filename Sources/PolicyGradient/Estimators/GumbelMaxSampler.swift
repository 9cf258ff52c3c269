/// The Gumbel-max trick, one episode at a time: a = argmax_k(log π(k|s) + g_k) with
/// g ~ Gumbel(0, 1)ᴬ from the episode's own stream, an exact sample of π. The perturbed logits
/// z = log π + g are recorded (A values per step), for the relaxations and control variates
/// that differentiate through them (Jang et al. 2017; Maddison et al. 2017; Tucker et al. 2017).
/// - Complexity: O(A) per episode and step; allocates nothing.
public struct GumbelMaxSampler: GroupSampler, Equatable {
    /// The sampler.
    public init() {}

    /// `gumbel-max`.
    public var identity: String { "gumbel-max" }
    /// Inlined into the rollout loop.
    public var kind: SamplerKind { .gumbelMax }
    /// z, A values per step.
    public static func recordWidth(actionCount: Int) -> Int { actionCount }

    /// Draws every live episode's action by Gumbel-max, recording z.
    public func draw(_ step: inout GroupStep) {
        for j in 0..<step.episodes where step.live[j] {
            let z = UnsafeMutableBufferPointer(rebasing: step.recordPointer(j)[0..<step.policy.actionCount])
            step.actions[j] = GumbelSoftmax.sampleArgmax(logits: step.policy.logProbabilities(step.states[j]), perturbed: z,
                                                         using: &step.streams[j])
        }
    }
}
