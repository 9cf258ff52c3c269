/// Dr. GRPO's group advantage as a REINFORCE signal (Liu et al., "Understanding R1-Zero-Like
/// Training: A Critical Perspective", 2025): GRPO's (``GRPOBaseline``) without the division by
/// the standard deviation, A_t^j = G_t^j − m_t with m_t = (1/K) Σ_i G_t^i, the mean of the K
/// returns-to-go at step t (an ended episode counting 0). (Its other change, dropping GRPO's
/// per-response length normalisation, has no counterpart here: pg never divides by length.)
///
/// The mean includes the episode's own return, so that, term by term,
/// G^j − m = ((K − 1)/K) (G^j − (1/(K − 1)) Σ_{i≠j} G^i):
/// exactly (K − 1)/K times the leave-one-out signal of `vimco`/RLOO on the same episodes, and
/// E[ĝ] = ((K − 1)/K) ∇J. Biased by that known scale only: the direction is unbiased, and the
/// conformance check sees the bias as a relative bias of 1/K.
public struct DrGRPOBaseline: Baseline, Equatable {
    /// K.
    public let groupSize: Int

    /// Dr. GRPO over groups of K episodes.
    /// - Precondition: K ≥ 2.
    public init(samples k: Int) {
        precondition(k >= 2, "Dr. GRPO needs K >= 2")
        groupSize = k
    }

    /// The group's mean of G_t (an ended episode counting 0), the episode's own included.
    @inlinable public func value(in group: EpisodeGroup, episode j: Int, step t: Int) -> Double {
        GRPOBaseline.groupMean(count: groupSize) { i in t < group.lengthAt(i) ? group.returnAt(i, t) : 0 }
    }

    /// Nothing fitted.
    public var needsWarmUp: Bool { false }
    /// It reads no batch sums.
    public var statistics: BatchStatistics { [] }
}

extension DrGRPOBaseline {
    /// `dr-grpo`: REINFORCE with the group mean (the episode's own return included) as baseline.
    public static let descriptor = EstimatorDescriptor(
        name: "dr-grpo",
        summary: "REINFORCE, Dr. GRPO's advantage G - group mean over K episodes per group (Liu et al. 2025): (K-1)/K of RLOO",
        isBaseline: true,
        claim: .biased(because: "the group mean includes the episode's own return: E[g] = (K-1)/K grad J, "
                       + "RLOO's gradient scaled by (K-1)/K"),
        settings: [GRPOBaseline.samplesSetting], groupSize: GRPOBaseline.samplesSetting) { _, v in
        Reinforce(baseline: DrGRPOBaseline(samples: v.integer(GRPOBaseline.samplesSetting)))
    }
}
