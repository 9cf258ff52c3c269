extension EstimatorRegistry {
    /// The estimators pg ships, in listing order: REINFORCE with its baselines, the control-variate
    /// estimators, the relaxations, and the exact gradient. Each is described in its own file;
    /// adding one is that file and one line here.
    public static let builtins: [EstimatorDescriptor] = [
        NoBaseline.descriptor,
        ExponentialMovingAverage.descriptor,
        RunningMeanBaseline.descriptor,
        NVILBaseline.descriptor,
        LeaveOneOutBaseline.descriptor,
        GRPOBaseline.descriptor,
        DrGRPOBaseline.descriptor,
        OptimalBaseline.descriptor,
        UnorderedSetEstimator.descriptor,
        SumAndSample.descriptor,
        MuProp.descriptor,
        DARN.descriptor,
        Rebar.descriptor,
        Relax.descriptor,
        ARM.descriptor,
        DisARM.descriptor,
        StickBreakingDisARM.descriptor,
        IndeCateR.descriptor,
        GumbelSoftmaxEstimator.relaxedDescriptor,
        GumbelSoftmaxEstimator.straightThroughDescriptor,
        StraightThrough.descriptor,
        GumbelRaoEstimator.descriptor,
        ReinMax.descriptor,
        GappedStraightThrough.descriptor,
        ExactGradientEstimator.descriptor,
    ]
}
