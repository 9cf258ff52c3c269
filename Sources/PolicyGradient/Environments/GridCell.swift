/// One cell of a gridworld map (see ``GridMap`` for the file format).
public enum GridCell: Sendable, Equatable {
    /// `S`: a start cell (several `S` give a uniform start distribution); otherwise floor.
    case start
    /// `F` or `.`: frozen floor / empty floor.
    case floor
    /// `H`: a hole; entering it ends the episode with the map's `hole-reward`.
    case hole
    /// `G`: a goal; entering it ends the episode with the map's `goal-reward`.
    case goal
    /// `C`: a cliff; entering it gives `cliff-reward` and restarts or ends the episode.
    case cliff
    /// `#`: a wall; it cannot be entered, and moving into it leaves the agent in place.
    case wall
    /// A cell declared in the header by `cell X: reward r [terminal]`: entering it gives `r`,
    /// and ends the episode if `terminal`.
    case custom(symbol: Character, reward: Double, terminal: Bool)

    /// Whether the agent can stand in this cell after a move (start, floor, non-terminal
    /// custom cells). Holes, goals, cliffs, walls and terminal custom cells are never occupied.
    public var isStandable: Bool {
        switch self {
        case .start, .floor: return true
        case let .custom(_, _, terminal): return !terminal
        case .hole, .goal, .cliff, .wall: return false
        }
    }

    /// Whether this is a wall.
    public var isWall: Bool {
        if case .wall = self { return true }
        return false
    }

    /// Whether reaching this cell is success for the reachability check: `G`, or a terminal
    /// custom cell.
    public var isTarget: Bool {
        switch self {
        case .goal: return true
        case let .custom(_, _, terminal): return terminal
        default: return false
        }
    }

    /// The character that stands for this cell in a map file.
    public var symbol: Character {
        switch self {
        case .start: return "S"
        case .floor: return "F"
        case .hole: return "H"
        case .goal: return "G"
        case .cliff: return "C"
        case .wall: return "#"
        case let .custom(symbol, _, _): return symbol
        }
    }
}
