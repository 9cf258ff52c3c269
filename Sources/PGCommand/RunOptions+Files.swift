import PolicyGradient

extension RunOptions {
    /// The environment file the run reads, if any: the file named by `--env`, or the map file of
    /// a FrozenLake built-in (see ``EnvironmentRegistry/file(of:settings:directories:)``).
    var environmentFile: String? {
        EnvironmentRegistry.file(of: descriptor, settings: environment.settings, directories: directories)
    }

    /// The facts of the run header (``RunOptions/facts(_:descriptor:)``), with `env_file` for
    /// every environment read from a file, followed by its content hash `env_sha256`.
    func facts(_ env: any Environment) -> [(String, JSONValue)] {
        let base = RunOptions.facts(env, descriptor: descriptor).filter { $0.0 != "env_file" }
        return base + (environmentFile.map { RunHeader.fileFacts("env", path: $0) } ?? [])
    }
}
