import Foundation

/// A finite MDP read from a transition-table file in Gymnasium's own layout, so that any
/// Gymnasium environment with a `P` table (Taxi, FrozenLake, CliffWalking, your own) can be
/// exported from Python and trained on, checked and differentiated exactly by pg. Gymnasium's
/// Taxi-v4 (Dietterich, "Hierarchical Reinforcement Learning with the MAXQ Value Function
/// Decomposition", 2000) ships as `envs/Taxi-v4.json` and `envs/Taxi-v4-rainy.json`.
///
/// The file is a JSON object (the format is in ``init(parsing:file:)`` and the Environments article):
/// `P[s][a]` is the list of outcomes `[probability, next_state, reward, terminated]` in
/// Gymnasium's order, entries not merged; `initial_state_distrib` the start distribution;
/// `max_episode_steps` the time limit.
///
/// - Actions: `0..<A`, where A is the length of every `P[s]`; named by `action_names` (or
///   Gymnasium's `action_meanings`), by their index otherwise. Taxi-v4: 0 south, 1 north,
///   2 east, 3 west, 4 pickup, 5 dropoff.
/// - States: `0..<S`, where S is the length of `P`, numbered as in Gymnasium (Taxi-v4:
///   ((row · 5 + column) · 5 + passenger) · 4 + destination); observations are one-hot.
///   `state_names` may name them.
/// - Rewards: the reward of the outcome drawn (Taxi-v4: −1 per step, +20 for a delivery,
///   −10 for an illegal pickup or dropoff).
/// - Termination: an outcome whose `terminated` is true ends the episode (Taxi-v4: dropping the
///   passenger at the destination). Episodes are truncated after ``timeLimit`` steps
///   (`max_episode_steps`; Taxi-v4: 200).
/// - Starting state: drawn from `initial_state_distrib` (Taxi-v4: uniform over the 300 states
///   with the passenger waiting at a pad other than the destination).
/// - Version history: the file format is version 1 (this type's first). Taxi-v4 is Gymnasium
///   1.3's Taxi-v4 (the rainy fix; `is_rainy=True` is the `-rainy` file); its
///   `fickle_passenger` option changes the destination inside `step`, depending on the
///   episode so far, outside `P`, and is not available.
public struct TabularEnvironment: KnownDynamics {
    /// The file's `name` (default: the file name without `.json`), e.g. `Taxi-v4`.
    public let id: String
    /// The file's one-line `description` (empty if it has none).
    public let description: String
    /// The file's `max_episode_steps`.
    public let timeLimit: Int
    /// The names of the actions, in action order.
    public let actionNames: [String]
    /// The file's `state_names`, if it has them (one per state).
    public let stateNames: [String]?
    /// The transition table and start distribution, exactly as the file gives them.
    public let model: TabularModel
    /// The current state; ``reset(using:)`` and ``step(_:using:)`` update it. Setting it lets a
    /// caller start an episode in any state (exploring starts, tests).
    public var state: Int

    /// The length of every `P[s]`.
    public var actionCount: Int { model.actionCount }
    /// The length of `P`.
    public var stateCount: Int { model.stateCount }

    // MARK: Limits

    /// Largest environment file read, in bytes (16 MiB), checked before reading it. (Parsing
    /// such a file takes about 10 s and 0.5 GB.)
    public static let maximumFileBytes = 16 << 20
    /// Most states (length of `P`) a file may have.
    public static let maximumStates = 1_000_000
    /// Most actions (length of each `P[s]`) a file may have.
    public static let maximumActions = 10_000
    /// Most outcomes a file may list in total, over every `P[s][a]` (so also the most
    /// state-action pairs: every list has at least one outcome).
    public static let maximumOutcomes = 1_000_000
    /// Largest `max_episode_steps`.
    public static let maximumEpisodeSteps = 1_000_000
    /// Largest states × `max_episode_steps`: exact J and ∇J keep one probability per step and
    /// state (``ExactGradient``), 800 MB at this size.
    public static let maximumStateSteps = 100_000_000
    /// Outcome probabilities of each `P[s][a]`, and the start distribution, must sum to 1
    /// within this: |Σ p − 1| < 1e-9.
    public static let probabilityTolerance = 1e-9

    /// Creates an environment from a model.
    /// - Parameters:
    ///   - id: the environment id.
    ///   - description: one line for `pg envs`.
    ///   - model: the transition table and start distribution.
    ///   - timeLimit: steps before truncation.
    ///   - actionNames: one name per action (default: the indices).
    ///   - stateNames: one name per state, or nil.
    /// - Precondition: `timeLimit > 0`, and the names, when given, have one entry per action or state.
    public init(id: String, description: String = "", model: TabularModel, timeLimit: Int,
                actionNames: [String]? = nil, stateNames: [String]? = nil) {
        precondition(timeLimit > 0, "the time limit must be positive")
        precondition(actionNames == nil || actionNames!.count == model.actionCount, "one name per action")
        precondition(stateNames == nil || stateNames!.count == model.stateCount, "one name per state")
        self.id = id
        self.description = description
        self.model = model
        self.timeLimit = timeLimit
        self.actionNames = actionNames ?? (0..<model.actionCount).map { String($0) }
        self.stateNames = stateNames
        state = model.start.firstIndex { $0 > 0 } ?? 0
    }

    /// Reads the file at `path` (at most ``maximumFileBytes``).
    /// - Throws: ``InputError`` if the file cannot be read or is malformed (see ``init(parsing:file:)``).
    public static func load(path: String) throws -> TabularEnvironment {
        let text = try readText(path: path, unreadable: InputError("cannot read the tabular MDP file", file: path),
                                notText: InputError("not UTF-8 text", file: path))
        return try TabularEnvironment(parsing: text, file: path)
    }

    /// The UTF-8 text of the file at `path`, refusing files larger than ``maximumFileBytes``
    /// before reading them; throws `unreadable` or `notText` for the other problems.
    static func readText(path: String, unreadable: InputError, notText: InputError) throws -> String {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
        if let size, size > maximumFileBytes {
            throw InputError("the file has \(size) bytes; environment files are at most "
                             + "\(maximumFileBytes >> 20) MiB", file: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw unreadable }
        guard let text = String(data: data, encoding: .utf8) else { throw notText }
        return text
    }

    /// Starts an episode in a state drawn from the start distribution.
    /// - Complexity: O(stateCount); allocates nothing.
    public mutating func reset(using rng: inout RandomStream) -> Int {
        state = model.sampleStart(using: &rng)
        return state
    }

    /// Takes `action` in the current state, drawing the outcome from `P[state][action]`.
    /// - Precondition: `0 <= action < actionCount`.
    /// - Complexity: O(outcomes of (state, action)); allocates nothing.
    public mutating func step(_ action: Int, using rng: inout RandomStream) -> StepResult {
        precondition(action >= 0 && action < model.actionCount, "action out of range")
        let i = model.sampleOutcome(state: state, action: action, using: &rng)
        let o = model.outcome(i)
        state = o.next
        return StepResult(state: state, reward: o.reward, terminated: o.terminated)
    }
}
