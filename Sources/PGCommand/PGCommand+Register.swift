import PolicyGradient

extension PGCommand {
    /// Adds an environment from your own package to the command line; call it before
    /// ``main(_:name:)``. The same as ``EnvironmentRegistry/register(name:description:settings:make:)``.
    /// - Parameters:
    ///   - name: the `--env` name (non-empty, no `/`).
    ///   - description: one line, shown by `pg envs`.
    ///   - settings: the environment's own settings: flags `--key-with-dashes` that appear in
    ///     `--help` (with their defaults), are checked with the setting's own check (one error
    ///     line naming the flag), apply only to this environment, and are recorded in the run
    ///     header's `env_settings`.
    ///   - make: builds the environment from the command line's environment options
    ///     (`options.settings` holds the values of `settings`).
    public static func register(_ name: String, description: String, settings: [Setting] = [],
                                make: @escaping @Sendable (EnvironmentOptions) throws -> any Environment) {
        EnvironmentRegistry.register(name: name, description: description, settings: settings, make: make)
    }
}
