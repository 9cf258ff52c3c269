/// The stages of one policy-gradient update. ``update(iteration:)`` runs them in their one order —
/// the update, written once:
///
///     refresh the policy's table → collect a batch (the estimator prepared first) → the
///     estimator's finalisation → the gradient → the record (of the policy that collected the
///     batch) → the optimiser step → the estimator learns from the batch
///
/// ``Trainer/step()`` runs it for every trainer; a sweep over seeds of the gradient bandit's
/// shape runs it for seeds held in SIMD lanes (``BanditLockstep``), whose stages are the same
/// pure units (``PolicyTable``'s normalisation over ``Lanes``, ``ScoreFunction``,
/// ``RunningMeanBaseline``) applied lane by lane.
@usableFromInline protocol UpdateStages {
    /// What an update reports.
    associatedtype Measurement
    /// The step size of update `k`.
    func learningRate(at k: Int) -> Double
    /// Evaluates the policy in every state.
    mutating func refreshTable()
    /// Prepares the estimator and collects update `k`'s batch.
    mutating func collect(iteration k: Int) throws
    /// The estimator's adjustments of the reduced batch.
    mutating func finalize()
    /// ĝ from the batch.
    mutating func formGradient()
    /// What the update measured, before the policy moves.
    mutating func measure(iteration k: Int, learningRate lr: Double) -> Measurement
    /// φ ← φ + step(ĝ).
    mutating func applyGradient(learningRate lr: Double)
    /// The estimator learns from the batch (after its gradient was formed).
    mutating func learn()
}

extension UpdateStages {
    /// One update, in the order every update runs.
    /// - Throws: what the rollout throws (a state or action out of range).
    @inline(__always)
    mutating func update(iteration k: Int) throws -> Measurement {
        let lr = learningRate(at: k)
        // MARK: Rollout (the policy evaluated once per state)
        refreshTable()
        try collect(iteration: k)
        // MARK: Estimator: the batch's per-state logit cotangents
        finalize()
        // MARK: Gradient
        formGradient()
        // MARK: Record (before the update: J of the policy that collected the batch)
        let m = measure(iteration: k, learningRate: lr)
        // MARK: Optimiser
        applyGradient(learningRate: lr)
        // MARK: The estimator learns from the batch (baselines, critics)
        learn()
        return m
    }
}
