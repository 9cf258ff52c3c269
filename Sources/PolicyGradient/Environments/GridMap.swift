/// A gridworld read from an ASCII map file: the layout and the rules, before they are turned
/// into a transition table (``tabularModel()``) and an environment (``Gridworld``).
///
/// ## File format
///
/// A header of `key: value` lines, then a line `map:`, then the grid rows. In the header,
/// blank lines are ignored and a line whose first non-blank character is `#` is a comment
/// (there are no trailing comments, and none inside the map, where `#` is a wall). Each key
/// may be given once.
///
/// | key | value | default |
/// |---|---|---|
/// | `name` | the environment id; if given it must equal the file name without `.txt`, which is the id | the file name |
/// | `description` | one line, shown by `pg envs` | empty |
/// | `actions` | the four moves `up down left right` in action order (`left down right up` for FrozenLake, `up right down left` for CliffWalking) | required |
/// | `success-rate` | probability that the intended move happens, in [0, 1] | `1` |
/// | `step-reward` | reward for entering `S`, `F`/`.` (or staying put on them) | `0` |
/// | `goal-reward` | reward for entering `G` | `1` |
/// | `hole-reward` | reward for entering `H` | `0` |
/// | `cliff` | `restart`: entering `C` sends the agent to the start, episode goes on (Gymnasium's CliffWalking); `terminate`: it ends the episode | `restart` |
/// | `cliff-reward` | reward for entering `C` | `-100` |
/// | `terminal-rows` | table rows of cells the agent never stands in (`G`, `H`, `C`, terminal custom cells): `absorbing` gives every action the self-loop `(1, s, 0, terminated)` (FrozenLake); `moves` computes them as if the agent stood there (CliffWalking) | `absorbing` |
/// | `time-limit` | positive integer: episodes are truncated after this many steps; pg's exact gradients are for this horizon | required |
/// | `cell X` | `reward r` or `reward r terminal`: declares the map character `X` as a cell whose entry gives `r` (and ends the episode if `terminal`) | none |
///
/// Numbers are decimals (`-0.5`, `1e-3`) or fractions `p/q` (`1/3`), computed as
/// `Double(p) / Double(q)`.
///
/// Cells: `S` start (several `S`: uniform start), `F` or `.` floor, `H` hole (terminal),
/// `G` goal (terminal), `C` cliff, `#` wall, and the `cell` characters. All rows have the same
/// length; trailing blanks are ignored. State s = row · columns + column, row 0 on top.
///
/// Dynamics, exactly as Gymnasium's FrozenLake: action a moves in `actions[a]`; a move off the
/// grid or into a wall leaves the agent in place. If `success-rate` < 1, the outcomes are
/// `actions[(a − 1) mod 4]`, `actions[a]`, `actions[(a + 1) mod 4]` in this order, with
/// probabilities `(1 − rate)/2`, `rate`, `(1 − rate)/2`, not merged; the action order must then
/// go round the compass, so that `(a ± 1) mod 4` are the perpendicular moves. The reward and
/// termination are those of the cell the agent lands in, also when it stays in place.
/// Walls' rows are absorbing self-loops `(1, s, 0, true)` (they are never occupied).
///
/// Every start must reach a `G` or terminal custom cell by moves through standable cells.
///
/// Limits, checked while the file is read and before the transition table is built: a map file
/// is at most ``maximumFileBytes``, has at most ``maximumCells`` cells and ``maximumOutcomes``
/// table entries, and a `time-limit` of at most ``maximumTimeLimit``. Reading a map takes time
/// and memory linear in its size.
public struct GridMap: Sendable, Equatable {
    /// The largest map file read: 64 MiB (a 4000 × 4000 map is 16 MB).
    public static let maximumFileBytes = 64 << 20
    /// The most cells a map may have: 4,000,000 (2000 × 2000, or a row of 10⁶ cells).
    public static let maximumCells = 4_000_000
    /// The most entries the transition table may have: 48,000,000, three moves for each of
    /// four actions in every cell of the largest map (a restarting cliff adds one entry per
    /// start cell to every move into it).
    public static let maximumOutcomes = 48_000_000
    /// The largest `time-limit`: 1,000,000 steps.
    public static let maximumTimeLimit = 1_000_000
    /// About the bytes a slippery map's cell costs once its table is built (the cell, and
    /// four actions of an offset and three entries of 25 bytes), for messages.
    static let bytesPerCell = Double(MemoryLayout<GridCell>.stride + 4 * (8 + 3 * 25))

    /// What entering a cliff cell does.
    public enum CliffRule: String, Sendable, CaseIterable {
        /// Back to the start (drawn from the start distribution); the episode goes on.
        case restart
        /// The episode ends in the cliff cell.
        case terminate
    }

    /// How the table rows of never-occupied cells are written.
    public enum TerminalRows: String, Sendable, CaseIterable {
        /// Every action is the self-loop `(1, s, 0, true)`, as in Gymnasium's FrozenLake.
        case absorbing
        /// Computed as if the agent stood in the cell, as in Gymnasium's CliffWalking.
        case moves
    }

    /// The environment id.
    public var name: String
    /// A one-line description.
    public var description: String
    /// The move made by each action, in action order.
    public var actions: [GridDirection]
    /// Probability of the intended move; the rest is split evenly between the perpendicular moves.
    public var successRate: Double
    /// Reward for landing on start or floor cells.
    public var stepReward: Double
    /// Reward for entering a goal.
    public var goalReward: Double
    /// Reward for entering a hole.
    public var holeReward: Double
    /// Reward for entering a cliff.
    public var cliffReward: Double
    /// What entering a cliff does.
    public var cliff: CliffRule
    /// How rows of never-occupied cells are written.
    public var terminalRows: TerminalRows
    /// The episode's time limit in steps.
    public var timeLimit: Int
    /// Number of grid rows.
    public var rows: Int
    /// Number of grid columns.
    public var columns: Int
    /// The cells, row-major: cell of state s is `cells[s]`.
    public var cells: [GridCell]

    /// Parses a map file's text.
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - file: the file name used in error messages.
    /// - Throws: ``InputError`` naming the file, 1-based line and column of the first problem.
    public init(parsing text: String, file: String) throws {
        self = try GridMapParser(text: text, file: file).parse()
    }

    /// Creates a map from its parts (no validation; use ``init(parsing:file:)`` for files).
    init(name: String, description: String, actions: [GridDirection], successRate: Double,
         rewards: (step: Double, goal: Double, hole: Double, cliff: Double),
         cliff: CliffRule, terminalRows: TerminalRows, timeLimit: Int,
         rows: Int, columns: Int, cells: [GridCell]) {
        self.name = name
        self.description = description
        self.actions = actions
        self.successRate = successRate
        (stepReward, goalReward, holeReward, cliffReward) = rewards
        self.cliff = cliff
        self.terminalRows = terminalRows
        self.timeLimit = timeLimit
        self.rows = rows
        self.columns = columns
        self.cells = cells
    }

    /// The state the agent is in after moving from `state` in `direction`: the neighbour, or
    /// `state` itself if the neighbour is off the grid or a wall.
    /// - Complexity: O(1); allocates nothing.
    public func target(of state: Int, moving direction: GridDirection) -> Int {
        let (dr, dc) = direction.delta
        let r = state / columns + dr, c = state % columns + dc
        guard r >= 0, r < rows, c >= 0, c < columns else { return state }
        let s = r * columns + c
        if case .wall = cells[s] { return state }
        return s
    }

    /// The map rows as text, one string per row.
    public var layout: [String] {
        (0..<rows).map { r in String(cells[(r * columns)..<((r + 1) * columns)].map(\.symbol)) }
    }
}
