/// A gradient estimator of any type, as the trainer and the rollout hold it.
///
/// The closures are formed in ``init(_:)``, where the estimator's type is known, so that every
/// call reaches code specialised for that type (its per-group loop, its sampler, its baseline)
/// through one indirect call per batch, per block of groups or per group step — never per
/// step of an episode. The estimator's value lives in a box that is copied on write, so an
/// `AnyEstimator` has value semantics like the estimator it holds.
public struct AnyEstimator: @unchecked Sendable {
    // Unchecked: the box is only mutated through `mutating` methods after a uniqueness check,
    // and only read while a batch runs (when ``accumulate`` may be called from several threads).
    @usableFromInline var box: EstimatorBoxBase

    /// K, the episodes per group.
    public let groupSize: Int
    /// The continuations the estimator asks for.
    public let branching: Branching?
    /// How the rollout runs the sampler.
    public let samplerKind: SamplerKind
    /// The sampler's ``GroupSampler/identity``.
    public let samplerIdentity: String
    /// The batch sums the estimator reads.
    public let statistics: BatchStatistics
    /// The names of the values it logs.
    public let logFields: [String]

    /// The closures that reach the estimator's own code, shared by every copy.
    @usableFromInline let witness: EstimatorWitness
    /// The per-update closures of ``witness``, held here too: called from a field of the value
    /// itself, not loaded from the shared witness object, a call needs no retain and release
    /// of the closure around it.
    @usableFromInline let prepareCall: @Sendable (EstimatorBoxBase, Int, PolicyTable) -> Void
    @usableFromInline let finalizeCall: @Sendable (EstimatorBoxBase, inout BatchAccumulator, PolicyTable, Bool) -> Void
    @usableFromInline let updateCall: @Sendable (EstimatorBoxBase, BatchAccumulator, PolicyTable) -> Void
    @usableFromInline let gradientScaleCall: @Sendable (EstimatorBoxBase, Bool) -> Double
    @usableFromInline let logValuesCall: @Sendable (EstimatorBoxBase, BatchAccumulator) -> EstimatorValues
    /// ``finalizeCall`` and ``gradientScaleCall`` in one call (a training step needs both).
    @usableFromInline let finalizeScaleCall: @Sendable (EstimatorBoxBase, inout BatchAccumulator, PolicyTable, Bool) -> Double
    /// The witness's ``EstimatorWitness/constantBaseline``, read once per batch.
    @usableFromInline let constantBaselineCall: (@Sendable (EstimatorBoxBase) -> ConstantBaseline?)?

    /// Wraps `estimator`. Call it where the estimator's type is known (it is `@inlinable`, so
    /// a user's package specialises it for its own types).
    @inlinable
    public init<X: GradientEstimator>(_ estimator: X) {
        typealias Box = EstimatorBox<X>
        box = Box(estimator)
        let sampler = estimator.sampler
        groupSize = estimator.groupSize
        branching = estimator.branching
        samplerKind = sampler.kind
        samplerIdentity = sampler.identity
        statistics = estimator.statistics
        logFields = estimator.logFields
        witness = EstimatorWitness(
            recordWidth: { X.Sampler.recordWidth(actionCount: $0) },
            samplerProblem: { sampler.problem(groupSize: $0, actionCount: $1) },
            auxiliaryCount: { b, s, a in unsafeDowncast(b, to: Box.self).value.auxiliaryCount(stateCount: s, actionCount: a) },
            makeScratch: { b, a, f in ScratchBox(unsafeDowncast(b, to: Box.self).value.makeScratch(actionCount: a, featureCount: f)) },
            accumulate: { b, s, block, out in
                // A local copy of the (frozen) estimator, once per block: called through the box with
                // the scratch `inout`, it would be copied defensively for every group.
                let x = unsafeDowncast(b, to: Box.self).value
                let scratch = unsafeDowncast(s, to: ScratchBox<X.Scratch>.self)
                x.accumulate(block, scratch: &scratch.value, into: &out)
            },
            draw: { step in sampler.draw(&step) },
            prepare: { b, k, t in unsafeDowncast(b, to: Box.self).value.prepare(iteration: k, table: t) },
            finalize: { b, batch, t, n in unsafeDowncast(b, to: Box.self).value.finalize(&batch, table: t, normalised: n) },
            gradientScale: { b, n in unsafeDowncast(b, to: Box.self).value.gradientScale(normalised: n) },
            update: { b, batch, t in unsafeDowncast(b, to: Box.self).value.update(after: batch, table: t) },
            logValues: { b, batch in unsafeDowncast(b, to: Box.self).value.logValues(of: batch) },
            needsWarmUp: { b in unsafeDowncast(b, to: Box.self).value.needsWarmUp },
            base: { b in unsafeDowncast(b, to: Box.self).value },
            copy: { b in Box(unsafeDowncast(b, to: Box.self).value) },
            constantBaseline: (X.self as? any ConstantBaselineScore.Type).map { AnyEstimator.constantBaselineReader($0) })
        prepareCall = witness.prepare
        finalizeCall = witness.finalize
        updateCall = witness.update
        gradientScaleCall = witness.gradientScale
        logValuesCall = witness.logValues
        finalizeScaleCall = { b, batch, t, n in
            let box = unsafeDowncast(b, to: Box.self)
            box.value.finalize(&batch, table: t, normalised: n)
            return box.value.gradientScale(normalised: n)
        }
        constantBaselineCall = witness.constantBaseline
    }

    /// The estimator itself (for inspection and tests).
    public var base: any GradientEstimator { witness.base(box) }
    /// Doubles the sampler records per step.
    public func recordWidth(actionCount: Int) -> Int { witness.recordWidth(actionCount) }
    /// Why the sampler cannot draw groups of ``groupSize`` over `actionCount` actions (nil when it can).
    public func samplerProblem(actionCount: Int) -> String? { witness.samplerProblem(groupSize, actionCount) }
    /// See ``GradientEstimator/auxiliaryCount(stateCount:actionCount:)``.
    public func auxiliaryCount(stateCount: Int, actionCount: Int) -> Int { witness.auxiliaryCount(box, stateCount, actionCount) }
    /// Whether the estimator has state fitted from data.
    public var needsWarmUp: Bool { witness.needsWarmUp(box) }
    /// See ``GradientEstimator/gradientScale(normalised:)``.
    public func gradientScale(normalised: Bool) -> Double { gradientScaleCall(box, normalised) }
    /// See ``GradientEstimator/logValues(of:)``.
    public func logValues(of batch: BatchAccumulator) -> EstimatorValues { logValuesCall(box, batch) }

    /// See ``GradientEstimator/prepare(iteration:table:)``.
    public mutating func prepare(iteration: Int, table: PolicyTable) {
        unshare()
        prepareCall(box, iteration, table)
    }
    /// See ``GradientEstimator/finalize(_:table:normalised:)``.
    public mutating func finalize(_ batch: inout BatchAccumulator, table: PolicyTable, normalised: Bool) {
        unshare()
        finalizeCall(box, &batch, table, normalised)
    }
    /// See ``GradientEstimator/update(after:table:)``.
    public mutating func update(after batch: BatchAccumulator, table: PolicyTable) {
        unshare()
        updateCall(box, batch, table)
    }

    /// ``finalize(_:table:normalised:)`` then ``gradientScale(normalised:)``, for a value whose
    /// box is already its own (``unshare()`` ran since the value was last copied): the training
    /// step's one call after its batch.
    @inline(__always)
    mutating func finalizeUnshared(_ batch: inout BatchAccumulator, table: PolicyTable, normalised: Bool) -> Double {
        finalizeScaleCall(box, &batch, table, normalised)
    }
    /// ``prepare(iteration:table:)`` for a value whose box is already its own.
    @inline(__always) mutating func prepareUnshared(iteration: Int, table: PolicyTable) { prepareCall(box, iteration, table) }
    /// ``update(after:table:)`` for a value whose box is already its own.
    @inline(__always) mutating func updateUnshared(after batch: BatchAccumulator, table: PolicyTable) { updateCall(box, batch, table) }

    /// A chunk's scratch.
    func makeScratch(actionCount: Int, featureCount: Int) -> AnyObject { witness.makeScratch(box, actionCount, featureCount) }
    /// Adds the groups of `block`.
    func accumulate(_ block: EpisodeGroups, scratch: AnyObject, into out: inout LogitCotangents) {
        witness.accumulate(box, scratch, block, &out)
    }
    /// Draws one group step (``SamplerKind/custom`` samplers).
    func draw(_ step: inout GroupStep) { witness.draw(&step) }

    /// Gives this value a box of its own before a mutation.
    mutating func unshare() {
        if !isKnownUniquelyReferenced(&box) { box = witness.copy(box) }
    }
}

/// The closures of an ``AnyEstimator``, formed where the estimator's type is known; each takes
/// the estimator's box.
@usableFromInline final class EstimatorWitness: Sendable {
    @usableFromInline let recordWidth: @Sendable (Int) -> Int
    @usableFromInline let samplerProblem: @Sendable (Int, Int) -> String?
    @usableFromInline let auxiliaryCount: @Sendable (EstimatorBoxBase, Int, Int) -> Int
    @usableFromInline let makeScratch: @Sendable (EstimatorBoxBase, Int, Int) -> AnyObject
    @usableFromInline let accumulate: @Sendable (EstimatorBoxBase, AnyObject, EpisodeGroups, inout LogitCotangents) -> Void
    @usableFromInline let draw: @Sendable (inout GroupStep) -> Void
    @usableFromInline let prepare: @Sendable (EstimatorBoxBase, Int, PolicyTable) -> Void
    @usableFromInline let finalize: @Sendable (EstimatorBoxBase, inout BatchAccumulator, PolicyTable, Bool) -> Void
    @usableFromInline let gradientScale: @Sendable (EstimatorBoxBase, Bool) -> Double
    @usableFromInline let update: @Sendable (EstimatorBoxBase, BatchAccumulator, PolicyTable) -> Void
    @usableFromInline let logValues: @Sendable (EstimatorBoxBase, BatchAccumulator) -> EstimatorValues
    @usableFromInline let needsWarmUp: @Sendable (EstimatorBoxBase) -> Bool
    @usableFromInline let base: @Sendable (EstimatorBoxBase) -> any GradientEstimator
    @usableFromInline let copy: @Sendable (EstimatorBoxBase) -> EstimatorBoxBase
    @usableFromInline let constantBaseline: (@Sendable (EstimatorBoxBase) -> ConstantBaseline?)?

    @usableFromInline
    init(recordWidth: @escaping @Sendable (Int) -> Int, samplerProblem: @escaping @Sendable (Int, Int) -> String?,
         auxiliaryCount: @escaping @Sendable (EstimatorBoxBase, Int, Int) -> Int, makeScratch: @escaping @Sendable (EstimatorBoxBase, Int, Int) -> AnyObject,
         accumulate: @escaping @Sendable (EstimatorBoxBase, AnyObject, EpisodeGroups, inout LogitCotangents) -> Void,
         draw: @escaping @Sendable (inout GroupStep) -> Void, prepare: @escaping @Sendable (EstimatorBoxBase, Int, PolicyTable) -> Void,
         finalize: @escaping @Sendable (EstimatorBoxBase, inout BatchAccumulator, PolicyTable, Bool) -> Void,
         gradientScale: @escaping @Sendable (EstimatorBoxBase, Bool) -> Double,
         update: @escaping @Sendable (EstimatorBoxBase, BatchAccumulator, PolicyTable) -> Void,
         logValues: @escaping @Sendable (EstimatorBoxBase, BatchAccumulator) -> EstimatorValues,
         needsWarmUp: @escaping @Sendable (EstimatorBoxBase) -> Bool, base: @escaping @Sendable (EstimatorBoxBase) -> any GradientEstimator,
         copy: @escaping @Sendable (EstimatorBoxBase) -> EstimatorBoxBase,
         constantBaseline: (@Sendable (EstimatorBoxBase) -> ConstantBaseline?)?) {
        self.recordWidth = recordWidth
        self.samplerProblem = samplerProblem
        self.auxiliaryCount = auxiliaryCount
        self.makeScratch = makeScratch
        self.accumulate = accumulate
        self.draw = draw
        self.prepare = prepare
        self.finalize = finalize
        self.gradientScale = gradientScale
        self.update = update
        self.logValues = logValues
        self.needsWarmUp = needsWarmUp
        self.base = base
        self.copy = copy
        self.constantBaseline = constantBaseline
    }
}

/// What every ``EstimatorBox`` is, whatever its estimator's type.
@usableFromInline class EstimatorBoxBase: @unchecked Sendable {
    @usableFromInline init() {}
}

/// The box an ``AnyEstimator`` keeps its estimator in.
@usableFromInline final class EstimatorBox<X: GradientEstimator>: EstimatorBoxBase, @unchecked Sendable {
    // Unchecked: mutated only through a uniquely referenced box, read concurrently only while frozen.
    @exclusivity(unchecked) @usableFromInline var value: X
    @usableFromInline init(_ value: X) { self.value = value }
}

/// A chunk's estimator scratch.
@usableFromInline final class ScratchBox<S>: @unchecked Sendable {
    // Unchecked: each chunk's scratch is used by one thread at a time.
    @exclusivity(unchecked) @usableFromInline var value: S
    @usableFromInline init(_ value: S) { self.value = value }
}
