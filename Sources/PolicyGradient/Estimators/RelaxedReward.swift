/// f(x) and ∇ₓf(x) at a relaxed action x in the simplex, for the pathwise estimators: the
/// environment's differentiable reward if it has one (``DifferentiableReward``), else a learned
/// ``Critic`` Q_w(s, ·) fitted to the observed returns-to-go.
public struct RelaxedReward: Sendable {
    /// The environment's reward, when it is differentiable.
    @usableFromInline let differentiable: (any DifferentiableReward)?
    /// f and ∇ₓf of ``differentiable``, bound to its concrete type once: calling through the
    /// existential would copy the environment (and retain its arrays) at every step.
    let differentiableEvaluate: (@Sendable (UnsafeBufferPointer<Double>, Int, UnsafeMutableBufferPointer<Double>) -> Double)?
    /// ∇²ₓf(x) u of a ``TwiceDifferentiableReward``, bound to its concrete type once.
    let differentiableHessian: (@Sendable (UnsafeBufferPointer<Double>, Int, UnsafeBufferPointer<Double>,
                                           UnsafeMutableBufferPointer<Double>) -> Void)?
    /// The critic, when it is not.
    public private(set) var critic: Critic?
    /// The state features (the critic's input).
    public let features: StateFeatures

    /// The reward of `context`'s environment, or a critic with the settings in `values` (its
    /// weights drawn from the run's seed).
    public init(context: EstimatorContext, settings values: SettingValues) {
        features = context.features
        differentiable = context.environment as? any DifferentiableReward
        differentiableEvaluate = differentiable.map { Self.bind($0) }
        differentiableHessian = (context.environment as? any TwiceDifferentiableReward).map { Self.bindHessian($0) }
        if differentiable == nil {
            var rng = RandomStream(seed: context.seed).split(0xC817)
            critic = Critic(features: context.features, actionCount: context.environment.actionCount,
                            settings: values, using: &rng)
        }
    }

    /// f(x) in state s, with ∇ₓf(x) written into `gradient`.
    /// - Complexity: O(A) for a differentiable reward; one critic pass otherwise; allocates nothing.
    @usableFromInline func evaluate(state s: Int, rows: FeatureRows, at x: UnsafeBufferPointer<Double>,
                         gradient v: UnsafeMutableBufferPointer<Double>) -> Double {
        if let f = differentiableEvaluate { return f(x, s, v) }
        return critic!.evaluate(features: rows[s], action: x, gradient: v)
    }

    /// f(x) in state s at the relaxed action x (A values), with ∇ₓf(x) written into `gradient`.
    /// - Precondition: `x` and `gradient` have A values.
    /// - Complexity: O(A) for a differentiable reward; one critic pass otherwise; allocates nothing.
    public func evaluate(state s: Int, features: FeatureRows, at x: Span<Double>, gradient: inout MutableSpan<Double>) -> Double {
        precondition(x.count == gradient.count, "evaluate: vectors of the wrong size")
        return x.withUnsafeBufferPointer { xp in
            gradient.withUnsafeMutableBufferPointer { evaluate(state: s, rows: features, at: xp, gradient: $0) }
        }
    }

    /// f(x) with ∇ₓf(x) of a differentiable reward of concrete type `D`.
    static func bind<D: DifferentiableReward>(_ d: D)
        -> @Sendable (UnsafeBufferPointer<Double>, Int, UnsafeMutableBufferPointer<Double>) -> Double {
        { x, s, v in
            var g = v.mutableSpan
            d.rewardGradient(relaxed: x.span, state: s, into: &g)
            return d.reward(relaxed: x.span, state: s)
        }
    }

    /// ∇²ₓf(x) u of a twice-differentiable reward of concrete type `D`.
    static func bindHessian<D: TwiceDifferentiableReward>(_ d: D)
        -> @Sendable (UnsafeBufferPointer<Double>, Int, UnsafeBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Void {
        { x, s, u, out in
            var product = out.mutableSpan
            d.rewardHessianProduct(relaxed: x.span, state: s, direction: u.span, into: &product)
        }
    }

    /// Whether f has a Hessian–vector product (``hessianProduct(state:at:direction:into:)``).
    public var hasHessian: Bool { differentiableHessian != nil }

    /// Writes ∇²ₓf(x) u in state s into `product`.
    /// - Precondition: ``hasHessian``.
    /// - Complexity: O(A) for the built-ins; allocates nothing.
    @usableFromInline func hessianProduct(state s: Int, at x: UnsafeBufferPointer<Double>, direction u: UnsafeBufferPointer<Double>,
                                          into product: UnsafeMutableBufferPointer<Double>) {
        differentiableHessian!(x, s, u, product)
    }

    /// Refits the critic on the batch (nothing for a differentiable reward).
    public mutating func fit(after batch: BatchAccumulator, actionCount: Int) {
        critic?.fit(visits: batch.visits, returnSum: batch.returnSum, actionCount: actionCount)
    }

    /// Whether a critic is fitted from data.
    public var isLearned: Bool { critic != nil }
}
