/// The classic gradient-estimator benchmark with a known differentiable reward.
///
/// The loss is f(x) = Σₖ (xₖ − tₖ)² on the one-hot action x; pg maximises reward, so the
/// reward is −f(x), and maximising it is the benchmark's minimisation. In the binary form
/// (one target t, two actions, x = (1 − b, b)) only the coordinate b counts: f = (b − t)²,
/// the problem of Tucker et al., "REBAR" (2017) and Grathwohl et al., "Backpropagation
/// through the Void" (2018), with t = 0.45 or 0.499.
///
/// - Actions: `0..<targets.count` (binary form: 2 actions, action 1 is b = 1).
/// - States: one state.
/// - Rewards: −f(onehot(a)), deterministic; on a relaxed x in the simplex, −f(x).
/// - Termination: every episode terminates after one step.
public struct Toy: KnownDynamics, TwiceDifferentiableReward {
    /// `toy`.
    public var id: String { "toy" }
    /// The targets tₖ, one per action (binary form: `[1 − t, t]`).
    public let targets: [Double]
    /// Which coordinates enter f (binary form: only coordinate 1).
    public let weights: [Double]
    /// Number of actions.
    public var actionCount: Int { targets.count }
    /// One state.
    public var stateCount: Int { 1 }
    /// One step.
    public var timeLimit: Int { 1 }

    /// The binary benchmark f = (b − t)².
    public init(binaryTarget t: Double = 0.45) {
        targets = [1 - t, t]
        weights = [0, 1]
    }

    /// The K-class form f(x) = Σₖ (xₖ − tₖ)².
    /// - Precondition: at least two targets.
    public init(targets: [Double]) {
        precondition(targets.count >= 2, "the toy needs at least two actions")
        self.targets = targets
        weights = [Double](repeating: 1, count: targets.count)
    }

    /// Starts in state 0.
    public mutating func reset(using rng: inout RandomStream) -> Int { 0 }

    /// Takes the one-hot action; the reward is −f(onehot(action)).
    public mutating func step(_ action: Int, using rng: inout RandomStream) -> StepResult {
        StepResult(state: 0, reward: oneHotReward(action), terminated: true)
    }

    /// −f(onehot(a)).
    public func oneHotReward(_ a: Int) -> Double {
        var f = 0.0
        for k in targets.indices {
            let d = (k == a ? 1.0 : 0.0) - targets[k]
            f += weights[k] * d * d
        }
        return -f
    }

    /// −f(x) on a relaxed action.
    public func reward(relaxed x: Span<Double>, state: Int) -> Double {
        precondition(x.count == actionCount, "reward: a relaxed action of \(x.count) for \(actionCount) actions")
        var f = 0.0
        for k in targets.indices {
            let d = x[k] - targets[k]
            f += weights[k] * d * d
        }
        return -f
    }

    /// ∇ₓ(−f)(x) = −2 wₖ (xₖ − tₖ).
    public func rewardGradient(relaxed x: Span<Double>, state: Int, into gradient: inout MutableSpan<Double>) {
        precondition(x.count == actionCount && gradient.count == actionCount, "rewardGradient: vectors of the wrong size")
        for k in targets.indices { gradient[k] = -2 * weights[k] * (x[k] - targets[k]) }
    }

    /// ∇²ₓ(−f) u = −2 wₖ uₖ (f is quadratic).
    public func rewardHessianProduct(relaxed x: Span<Double>, state: Int, direction u: Span<Double>, into product: inout MutableSpan<Double>) {
        precondition(x.count == actionCount && u.count == actionCount && product.count == actionCount,
                     "rewardHessianProduct: vectors of the wrong size")
        for k in targets.indices { product[k] = -2 * weights[k] * u[k] }
    }

    /// One state, deterministic rewards.
    public var model: TabularModel {
        TabularModel(start: [1], outcomes: [(0..<actionCount).map {
            [Outcome(probability: 1, next: 0, reward: oneHotReward($0), terminated: true)]
        }])
    }
}
