extension EstimatorRegistry {
    /// The exact gradient, where the dynamics are known: the reference every estimator is measured against.
    static let exactEstimator = EstimatorDescriptor(
        name: "exact", summary: "the exact gradient of J by dynamic programming (known dynamics only): zero variance, "
            + "the reference curve",
        incompatibility: { ExactGradientEstimator.incompatibility($0) }) { c, _ in
        ExactGradientEstimator(model: c.model!, horizon: c.environment.timeLimit, gamma: c.gamma)
    }
}
