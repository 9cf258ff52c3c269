import PolicyGradient

extension PGCommand {
    /// Adds an environment from your own package to the command line; call it before
    /// ``main(_:)``. The same as ``EnvironmentRegistry/register(name:description:make:)``.
    /// - Parameters:
    ///   - name: the `--env` name (non-empty, no `/`).
    ///   - description: one line, shown by `pg envs`.
    ///   - make: builds the environment from the command line's environment options.
    public static func register(_ name: String, description: String,
                                make: @escaping @Sendable (EnvironmentOptions) throws -> any Environment) {
        EnvironmentRegistry.register(name: name, description: description, make: make)
    }
}
