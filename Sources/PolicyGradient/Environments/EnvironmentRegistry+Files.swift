extension EnvironmentRegistry {
    /// The environment file that `descriptor` reads when it is made with `settings` from
    /// `directories`: the descriptor's own file, or, for the built-in `FrozenLake-v1` and
    /// `FrozenLake8x8-v1`, the map file they load (`FrozenLake-v1-4x4.txt`, …, found in the
    /// directories like any file, so a local `envs/` can hold another); nil for an environment
    /// that reads no file (or whose file cannot be found).
    ///
    /// A run header records this file and its SHA-256, so that a rerun notices an edited file.
    /// - Parameters:
    ///   - descriptor: the environment.
    ///   - settings: the values of its settings.
    ///   - directories: the directories searched for environment files.
    /// - Returns: the file's path, as the registry finds it.
    public static func file(of descriptor: EnvironmentDescriptor, settings: SettingValues, directories: [String]) -> String? {
        if let path = descriptor.path { return path }
        guard descriptor.source == "built-in" else { return nil }
        let slippery = settings.flag(slipperySetting)
        let map: String
        switch descriptor.name {
        case "FrozenLake-v1": map = settings.text(mapSetting)
        case "FrozenLake8x8-v1": map = "8x8"
        default: return nil
        }
        return (try? self.descriptor(frozenLakeFile(map: map, slippery: slippery), directories: directories))?.path
    }
}
