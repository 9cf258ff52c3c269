import Foundation

/// A gridworld read from an ASCII map (``GridMap``), with Gymnasium's FrozenLake and
/// CliffWalking as shipped maps in `envs/` that match Gymnasium 1.x table for table.
///
/// - Actions: `0..<4`, the moves listed by the map's `actions:` key in that order
///   (FrozenLake: 0 left, 1 down, 2 right, 3 up; CliffWalking: 0 up, 1 right, 2 down, 3 left).
///   With `success-rate` < 1 the agent slips: it moves in the intended direction with that
///   probability and in each perpendicular direction with half the rest.
/// - States: s = row · columns + column, row 0 on top (Gymnasium's numbering), one state per
///   cell including walls, holes and goals; observations are one-hot.
/// - Rewards: those of the cell entered (`goal-reward`, `hole-reward`, `cliff-reward`, a
///   declared cell's reward, or `step-reward` for start and floor cells), also when a move
///   off the grid or into a wall leaves the agent in place.
/// - Termination: entering `G`, `H`, a terminal declared cell, or (with `cliff: terminate`)
///   `C`. With `cliff: restart` a cliff sends the agent back to the start and the episode goes
///   on. Episodes are truncated after ``timeLimit`` steps.
public struct Gridworld: KnownDynamics {
    /// The map's `name`, for example `FrozenLake-v1-4x4`.
    public let id: String
    /// The map's one-line `description`.
    public let description: String
    /// Number of grid rows.
    public let rows: Int
    /// Number of grid columns.
    public let columns: Int
    /// The map's `time-limit`.
    public let timeLimit: Int
    /// The names of the moves, in action order (`left`, `down`, …).
    public let actionNames: [String]
    /// Gymnasium's `P[s][a]` table and start distribution.
    public let model: TabularModel
    /// The parsed map.
    public let map: GridMap
    /// The current state; ``reset(using:)`` and ``step(_:using:)`` update it. Setting it lets a
    /// caller start an episode in any state (exploring starts, tests).
    public var state: Int

    /// Four actions.
    public var actionCount: Int { model.actionCount }
    /// One state per cell: rows · columns.
    public var stateCount: Int { model.stateCount }

    /// Creates the environment of a parsed map; the current state is the first start cell.
    public init(map: GridMap) {
        self.map = map
        id = map.name
        description = map.description
        rows = map.rows
        columns = map.columns
        timeLimit = map.timeLimit
        actionNames = map.actions.map(\.rawValue)
        model = map.tabularModel()
        state = map.cells.firstIndex(of: .start) ?? 0
    }

    /// Parses a map file's text (see ``GridMap`` for the format).
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - file: the file name used in error messages.
    /// - Throws: ``InputError`` with the file, line and column of the first problem.
    public init(parsing text: String, file: String) throws {
        self.init(map: try GridMap(parsing: text, file: file))
    }

    /// Reads and parses the map file at `path`.
    /// - Throws: ``InputError`` if the file cannot be read, is larger than
    ///   ``GridMap/maximumFileBytes``, is not UTF-8 text, or is malformed.
    /// - Complexity: time and memory linear in the file's size.
    public static func load(path: String) throws -> Gridworld {
        let bytes = try InputFile.read(path: path, limit: GridMap.maximumFileBytes, what: "the map file")
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InputError("the map file is not UTF-8 text", file: path)
        }
        return try Gridworld(parsing: text, file: path)
    }

    /// Starts an episode in a start state drawn from ``TabularModel/start``.
    /// - Complexity: O(stateCount); allocates nothing.
    public mutating func reset(using rng: inout RandomStream) -> Int {
        state = model.sampleStart(using: &rng)
        return state
    }

    /// Moves by `action` from the current state, drawing the outcome from the table.
    /// - Precondition: `0 <= action < 4`.
    /// - Complexity: O(1) (at most three outcomes, or one per start state for a cliff); allocates nothing.
    public mutating func step(_ action: Int, using rng: inout RandomStream) -> StepResult {
        precondition(action >= 0 && action < model.actionCount, "action out of range")
        let i = model.sampleOutcome(state: state, action: action, using: &rng)
        let o = model.outcome(i)
        state = o.next
        return StepResult(state: state, reward: o.reward, terminated: o.terminated)
    }
}
