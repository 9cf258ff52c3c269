/// What one call of ``Environment/step(_:using:)`` returns (Gymnasium's `step` tuple).
public struct StepResult: Sendable, Equatable {
    /// The state index observed after the step.
    public var state: Int
    /// The reward for the transition.
    public var reward: Double
    /// A terminal state was reached: the episode is over and nothing follows it.
    public var terminated: Bool
    /// The episode was cut short (a time limit). A truncated episode is *not* terminal.
    /// The rollout also sets this when ``Environment/timeLimit`` is reached.
    public var truncated: Bool

    /// Creates a step result.
    public init(state: Int, reward: Double, terminated: Bool, truncated: Bool = false) {
        self.state = state
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
    }
}

/// An episodic environment with discrete states and a finite set of discrete actions,
/// in Gymnasium's vocabulary: ``reset(using:)`` then ``step(_:using:)`` until `terminated`
/// or `truncated`.
///
/// Observations are a state index in `0..<stateCount`. Policies see it as a one-hot feature
/// vector, which pg never stores (see ``StateFeatures``); an environment with other features
/// conforms to ``CustomFeatures`` as well.
///
/// Environments are value types. Randomness always comes in from the caller, so an episode is
/// reproducible from its ``RandomStream``. pg copies an environment once per worker thread and
/// calls `reset` at the start of every episode. The trainer checks every state `reset` and
/// `step` return against ``stateCount`` and stops with an error naming the environment, the
/// state and the step rather than reading out of bounds.
///
/// To add an environment from your own package, conform a struct to this protocol (and to
/// ``KnownDynamics`` if you can write down its transition table, which gives exact gradients).
public protocol Environment: Sendable {
    /// A short identifier, for example `"FrozenLake-v1"`.
    var id: String { get }
    /// Number of discrete actions; actions are `0..<actionCount`.
    var actionCount: Int { get }
    /// Number of discrete states; state indices are `0..<stateCount`.
    var stateCount: Int { get }
    /// The time limit: an episode is truncated after this many steps (Gymnasium's `TimeLimit`).
    var timeLimit: Int { get }
    /// Human-readable names of the actions (for logs and tables).
    var actionNames: [String] { get }

    /// Starts an episode and returns the first state.
    mutating func reset(using rng: inout RandomStream) -> Int
    /// Applies `action` in the current state.
    /// - Precondition: `0 <= action < actionCount`, and `reset` was called since the last
    ///   terminated step.
    mutating func step(_ action: Int, using rng: inout RandomStream) -> StepResult
}

/// An environment whose observations are feature vectors other than the one-hot encoding of
/// the state (for linear and MLP policies and the critic); they are stored as a dense
/// S × ``featureCount`` matrix.
public protocol CustomFeatures: Environment {
    /// Length of the feature vector of a state.
    var featureCount: Int { get }
    /// Writes the feature vector of `state` into `out` (length ``featureCount``).
    /// - Complexity: O(featureCount); allocates nothing.
    func features(of state: Int, into out: inout MutableSpan<Double>)
}

extension Environment {
    /// Actions named by their index by default.
    public var actionNames: [String] { (0..<actionCount).map { String($0) } }

    /// Length of the feature vector policies see: ``CustomFeatures/featureCount``, or
    /// ``stateCount`` for the implicit one-hot features. (Not named `featureCount`, so that it
    /// can never stand in for the requirement of ``CustomFeatures``.)
    public var featureLength: Int { (self as? any CustomFeatures)?.featureCount ?? stateCount }

    /// Checks that the environment has at least one state and one action and a positive time limit.
    /// - Throws: ``InputError`` naming the environment and the size.
    public func validateShape() throws {
        for (what, n) in [("actionCount", actionCount), ("stateCount", stateCount), ("timeLimit", timeLimit)] where n < 1 {
            throw InputError("environment \(id) has \(what) \(n); it must be at least 1 (pg check --env NAME lists the problems)")
        }
    }
}

extension CustomFeatures {
    /// The feature matrix of all states, row-major `stateCount × featureCount`.
    public func featureMatrix() -> [Double] {
        var m = [Double](repeating: 0, count: stateCount * featureCount)
        let f = featureCount
        m.withUnsafeMutableBufferPointer { buf in
            for s in 0..<stateCount {
                var row = UnsafeMutableBufferPointer(rebasing: buf[(s * f)..<((s + 1) * f)]).mutableSpan
                features(of: s, into: &row)
            }
        }
        return m
    }
}

/// An environment whose dynamics are known exactly, which gives exact J and ∇J by dynamic
/// programming (see ``ExactGradient``) and lets ``EnvironmentChecker`` compare sampled steps
/// with the table.
public protocol KnownDynamics: Environment {
    /// The transition table: start distribution, and for every (state, action) the list of
    /// outcomes with their probabilities and *expected* rewards.
    var model: TabularModel { get }
}

/// An environment whose reward is a differentiable function f(x) of a relaxed action
/// x in the probability simplex (the one-hot action for an executed step), as used by the
/// Gumbel-softmax estimators.
public protocol DifferentiableReward: Environment {
    /// f(x) at the relaxed action `x` (A values) in `state`.
    func reward(relaxed x: Span<Double>, state: Int) -> Double
    /// Writes ∇ₓ f(x) into `gradient` (A values).
    /// - Complexity: O(actionCount); allocates nothing.
    func rewardGradient(relaxed x: Span<Double>, state: Int, into gradient: inout MutableSpan<Double>)
}

/// A differentiable reward that also gives its Hessian–vector product ∇²ₓf(x) u: what the
/// derivative of a pathwise term ∇_θ f(σ_τ(z)) in the temperature needs, so that REBAR's and
/// RELAX's adapted τ (``ControlVariateScale``) take an exact gradient instead of a difference.
public protocol TwiceDifferentiableReward: DifferentiableReward {
    /// Writes ∇²ₓf(x) u into `product` (A values).
    /// - Complexity: O(actionCount) for the built-ins; allocates nothing.
    func rewardHessianProduct(relaxed x: Span<Double>, state: Int, direction u: Span<Double>, into product: inout MutableSpan<Double>)
}
