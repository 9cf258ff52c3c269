/// One of the four moves of a gridworld, in screen terms (row 0 is the top line of the map).
public enum GridDirection: String, CaseIterable, Sendable {
    /// One row up (row − 1).
    case up
    /// One row down (row + 1).
    case down
    /// One column left (column − 1).
    case left
    /// One column right (column + 1).
    case right

    /// The change of (row, column) that the move makes.
    public var delta: (row: Int, column: Int) {
        switch self {
        case .up: return (-1, 0)
        case .down: return (1, 0)
        case .left: return (0, -1)
        case .right: return (0, 1)
        }
    }

    /// The move in the opposite direction.
    public var opposite: GridDirection {
        switch self {
        case .up: return .down
        case .down: return .up
        case .left: return .right
        case .right: return .left
        }
    }
}
