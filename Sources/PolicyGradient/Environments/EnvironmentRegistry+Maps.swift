extension EnvironmentRegistry {
    /// Loads a gridworld map file.
    static func loadMap(path: String) throws -> any Environment {
        try Gridworld.load(path: path)
    }

    /// A map file's one-line description.
    static func mapDescription(path: String) throws -> String {
        try Gridworld.load(path: path).description
    }
}
