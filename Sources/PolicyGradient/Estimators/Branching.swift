/// Extra continuations an estimator asks the rollout for: from a visited state s_t of each
/// recorded episode, every first action a ∈ 0..<A taken again, ``samples`` times each, and the
/// episode continued from there, so that the estimator can read Q̂(s_t, a) for actions it did
/// not take (``EpisodeGroup/branchReturn(_:step:action:sample:)``).
///
/// Estimators that sum over alternative actions at visited states need this in episodes: the
/// per-variable sums of IndeCateR (De Smet, Sansone & Zuidberg Dos Martires, NeurIPS 2023),
/// ARSM's pseudo-actions, vine estimates of Q. Every continuation has its own stream, derived
/// from (seed, iteration, episode, step, action, sample), so results are the same for any
/// thread count; the environment is restored to the state it was in before step t (a copy of
/// its value). Their cost (episodes and environment steps) is counted in the batch
/// (``BatchAccumulator/branchEpisodes``, ``BatchAccumulator/branchSteps``) and logged.
public struct Branching: Sendable, Equatable {
    /// Which steps of each episode branch.
    public enum Steps: String, Sendable, Equatable {
        /// Only step 0 (the start state).
        case first
        /// Every step the episode took.
        case all
    }

    /// What a continuation does after its first action.
    public enum Continuation: String, Sendable, Equatable {
        /// Draws its later actions from the policy, by inversion from its own stream.
        case policy
        /// Takes the recorded episode's later actions a_{t+1}, a_{t+2}, … (IndeCateR's "the
        /// other variables held at their sampled values"), then the policy's once the recorded
        /// episode has no more.
        case recordedActions = "recorded-actions"
    }

    /// Which steps branch.
    public var steps: Steps
    /// What follows the first action.
    public var continuation: Continuation
    /// M, continuations per (step, action).
    public var samples: Int

    /// Branches at `steps`, continued by `continuation`, M = `samples` each.
    /// - Precondition: M ≥ 1.
    public init(steps: Steps, continuation: Continuation, samples: Int = 1) {
        precondition(samples >= 1, "at least one continuation per action")
        self.steps = steps
        self.continuation = continuation
        self.samples = samples
    }

    /// The number of steps that branch in an episode of `length` steps.
    @inlinable public func branchedSteps(length: Int) -> Int { steps == .first ? min(length, 1) : length }
}
