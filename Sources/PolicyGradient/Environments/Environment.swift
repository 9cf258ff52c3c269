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
/// Observations are a state index in `0..<stateCount` together with a feature vector that is a
/// function of that index (``features(of:into:)``, one-hot by default), so tabular, linear and
/// MLP policies all work on every environment.
///
/// Environments are value types. Randomness always comes in from the caller, so an episode is
/// reproducible from its ``RandomStream``. pg copies an environment once per worker thread and
/// calls `reset` at the start of every episode.
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
    /// Length of the feature vector of a state (``stateCount`` for one-hot features).
    var featureCount: Int { get }
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
    /// Writes the feature vector of `state` into `out` (length ``featureCount``).
    /// - Complexity: O(featureCount); allocates nothing.
    func features(of state: Int, into out: UnsafeMutableBufferPointer<Double>)
}

extension Environment {
    /// One-hot state features by default.
    public var featureCount: Int { stateCount }

    /// Actions named by their index by default.
    public var actionNames: [String] { (0..<actionCount).map { String($0) } }

    /// One-hot features by default: `out[state] = 1`, zero elsewhere.
    public func features(of state: Int, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(out.count == featureCount, "feature buffer has the wrong length")
        for i in out.indices { out[i] = 0 }
        out[state] = 1
    }

    /// The feature matrix of all states, row-major `stateCount × featureCount`.
    public func featureMatrix() -> [Double] {
        var m = [Double](repeating: 0, count: stateCount * featureCount)
        let f = featureCount
        m.withUnsafeMutableBufferPointer { buf in
            for s in 0..<stateCount {
                features(of: s, into: UnsafeMutableBufferPointer(rebasing: buf[(s * f)..<((s + 1) * f)]))
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
    /// f(x) at the relaxed action `x` in `state`.
    func reward(relaxed x: UnsafeBufferPointer<Double>, state: Int) -> Double
    /// Writes ∇ₓ f(x) into `gradient`.
    /// - Complexity: O(actionCount); allocates nothing.
    func rewardGradient(relaxed x: UnsafeBufferPointer<Double>, state: Int,
                        into gradient: UnsafeMutableBufferPointer<Double>)
}
