extension EstimatorRegistry {
    /// Plain straight-through: sample from pi, f at the one-hot sample, backward as if dz/dpi = I.
    static let straightThroughEstimator = EstimatorDescriptor(
        name: "st", summary: "straight-through: f at the one-hot sample of pi, backward as if dz/dpi = I "
            + "(Bengio et al. 2013)",
        settings: Critic.settings) { c, v in
        StraightThrough(reward: RelaxedReward(context: c, settings: v))
    }
}
