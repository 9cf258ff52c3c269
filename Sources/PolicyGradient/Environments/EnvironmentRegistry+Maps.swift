extension EnvironmentRegistry {
    /// Loads a gridworld map file.
    static func loadMap(path: String) throws -> any Environment {
        throw InputError("gridworld maps are not available yet: \(path)")
    }

    /// A map file's description.
    static func mapDescription(path: String) throws -> String {
        throw InputError("gridworld maps are not available yet")
    }
}
