/// One baseline b for every step of a batch, and whether the weights w = γᵗ/N of the steps are
/// summed per (s, a) for a batch constant subtracted later (``Baseline/hasBatchConstant``).
@usableFromInline struct ConstantBaseline: Sendable {
    /// b.
    @usableFromInline let value: Double
    /// Whether w is added to the auxiliary sums of (s, a).
    @usableFromInline let weighs: Bool

    @usableFromInline init(value: Double, weighs: Bool) {
        self.value = value
        self.weighs = weighs
    }
}

/// An estimator whose accumulation, for the coming batch, is REINFORCE's with one baseline:
/// each step adds w (G_t − b) to the score of its (s, a), through ``ScoreFunction``, and nothing
/// else. The rollout engine may then add these terms as it steps (for a batch of one-step
/// episodes) instead of recording the steps and handing them to the estimator; the sums are
/// the same additions in the same order, so the numbers are bit for bit the same.
@usableFromInline protocol ConstantBaselineScore: GradientEstimator {
    /// The one baseline of the coming batch, or nil when its accumulation is anything else.
    var constantBaseline: ConstantBaseline? { get }
}

extension Reinforce: ConstantBaselineScore {
    /// The baseline's ``Baseline/batchValue``, if it has one.
    @inlinable var constantBaseline: ConstantBaseline? {
        baseline.batchValue.map { ConstantBaseline(value: $0, weighs: baseline.hasBatchConstant) }
    }
}

extension AnyEstimator {
    /// Reads the constant baseline of an estimator of type `X` from its box (``ConstantBaselineScore``).
    @usableFromInline
    static func constantBaselineReader<X: ConstantBaselineScore>(_: X.Type) -> @Sendable (EstimatorBoxBase) -> ConstantBaseline? {
        { b in unsafeDowncast(b, to: EstimatorBox<X>.self).value.constantBaseline }
    }

    /// The one baseline of the coming batch when the estimator's accumulation is REINFORCE's with
    /// a constant baseline (``ConstantBaselineScore``), else nil.
    var constantBaseline: ConstantBaseline? { constantBaselineCall?(box) }
}
