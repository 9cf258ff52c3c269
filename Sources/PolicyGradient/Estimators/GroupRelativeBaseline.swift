/// GRPO's group advantage as a REINFORCE signal (Shao et al., "DeepSeekMath: Pushing the Limits
/// of Mathematical Reasoning in Open Language Models", 2024, §4.1.2): K ≥ 2 episodes per group,
/// and episode j's signal at step t is
///
/// A_t^j = (G_t^j − m_t) / (s_t + ε),  m_t = (1/K) Σ_i G_t^i,  s_t² = (1/(K − 1)) Σ_i (G_t^i − m_t)²,
///
/// the group's mean and sample standard deviation of the returns-to-go at step t (an episode that
/// has already ended counts as 0, as in `vimco`), ε = 10⁻⁴: exactly how TRL's `GRPOTrainer`
/// computes it (`(r − mean) / (std + 1e-4)`, torch's `std` with K − 1). With a reward only at the
/// end (an LLM's outcome reward) G_t = G_0 at every step, and this is Shao et al.'s
/// outcome-supervision advantage r̃_i = (r_i − mean(r)) / std(r) on every token.
///
/// Biased: the mean includes the episode's own return (which alone scales the gradient by
/// (K − 1)/K, see ``DrGRPOBaseline``), and dividing by a standard deviation of the same returns
/// makes the signal a nonlinear function of the action it multiplies; `pg variance` measures
/// the bias.
public struct GRPOBaseline: Baseline, Equatable {
    /// `samples`: the group size K (``GroupSize/setting``).
    public static var samplesSetting: Setting { GroupSize.setting }
    /// ε = 10⁻⁴, added to the standard deviation (TRL's value).
    public static let epsilon = 1e-4

    /// K.
    public let groupSize: Int

    /// GRPO over groups of K episodes.
    /// - Precondition: K ≥ 2.
    public init(samples k: Int) {
        precondition(k >= 2, "GRPO needs K >= 2")
        groupSize = k
    }

    /// m = (1/K) Σ_i x_i, added in index order.
    /// - Complexity: O(K); allocates nothing.
    @inlinable
    public static func groupMean(count k: Int, _ x: (Int) -> Double) -> Double {
        var sum = 0.0
        for i in 0..<k { sum += x(i) }
        return sum / Double(k)
    }

    /// s = sqrt((1/(K − 1)) Σ_i (x_i − m)²), the sample standard deviation around `mean`.
    /// - Precondition: K ≥ 2.
    /// - Complexity: O(K); allocates nothing.
    @inlinable
    public static func groupStandardDeviation(count k: Int, mean m: Double, _ x: (Int) -> Double) -> Double {
        var sum = 0.0
        for i in 0..<k {
            let d = x(i) - m
            sum += d * d
        }
        return (sum / Double(k - 1)).squareRoot()
    }

    /// The group's mean of G_t (an ended episode counting 0), the episode's own included.
    @inlinable public func value(in group: EpisodeGroup, episode j: Int, step t: Int) -> Double {
        Self.groupMean(count: groupSize) { i in t < group.lengthAt(i) ? group.returnAt(i, t) : 0 }
    }

    /// (G_t − m_t) / (s_t + ε).
    @inlinable public func advantage(in group: EpisodeGroup, episode j: Int, step t: Int) -> Double {
        let x = { (i: Int) in t < group.lengthAt(i) ? group.returnAt(i, t) : 0 }
        let m = Self.groupMean(count: groupSize, x)
        return (group.returnAt(j, t) - m) / (Self.groupStandardDeviation(count: groupSize, mean: m, x) + Self.epsilon)
    }

    /// Nothing fitted.
    public var needsWarmUp: Bool { false }
    /// It reads no batch sums.
    public var statistics: BatchStatistics { [] }
}

extension GRPOBaseline {
    /// `grpo`: REINFORCE with GRPO's group-normalised advantage.
    public static let descriptor = EstimatorDescriptor(
        name: "grpo",
        summary: "REINFORCE, GRPO's advantage over K episodes per group: (G - group mean) / (group std + 1e-4) (Shao et al. 2024)",
        isBaseline: true,
        claim: .biased(because: "the group mean includes the episode's own return and the signal is divided by the group's "
                       + "standard deviation of the same returns"),
        settings: [samplesSetting], groupSize: samplesSetting) { _, v in
        Reinforce(baseline: GRPOBaseline(samples: v.integer(samplesSetting)))
    }
}
