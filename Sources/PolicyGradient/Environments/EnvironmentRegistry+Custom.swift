import Foundation

/// The table of environments registered by a user's own package, guarded by a lock.
final class CustomEnvironmentTable: @unchecked Sendable {
    static let shared = CustomEnvironmentTable()
    private let lock = NSLock()
    private var entries: [EnvironmentDescriptor] = []

    func set(_ d: EnvironmentDescriptor) {
        lock.lock(); defer { lock.unlock() }
        if let i = entries.firstIndex(where: { $0.name == d.name }) { entries[i] = d } else { entries.append(d) }
    }

    func remove(_ name: String) {
        lock.lock(); defer { lock.unlock() }
        entries.removeAll { $0.name == name }
    }

    func get(_ name: String) -> EnvironmentDescriptor? {
        lock.lock(); defer { lock.unlock() }
        return entries.first { $0.name == name }
    }

    var all: [EnvironmentDescriptor] {
        lock.lock(); defer { lock.unlock() }
        return entries
    }
}

extension EnvironmentRegistry {
    /// Adds an environment from your own package, so that ``make(_:options:)``, ``list(directories:)``
    /// and the `pg` command line (`PGCommand.main`) find it by `name`. Its own `settings` become
    /// flags of the command line (shown in `--help`, recorded in the run header, checked before
    /// `make` is called) that apply only to it.
    ///
    /// Registered names are looked up before the built-ins and the files in `envs/`, so a
    /// registration can also replace a built-in. Registering a name again replaces the entry.
    /// Thread-safe.
    ///
    /// ```swift
    /// EnvironmentRegistry.register(name: "chain", description: "a 3-state chain walk") { _ in Chain() }
    /// exit(PGCommand.main(Array(CommandLine.arguments.dropFirst())))
    /// ```
    /// - Parameters:
    ///   - name: the `--env` name; must be non-empty and contain no `/` (a `/` means a path).
    ///   - description: one line, shown by `pg envs`.
    ///   - settings: the environment's own settings (a key must not be one of pg's other settings).
    ///   - make: builds the environment from the ``EnvironmentOptions`` (the seed, the values of
    ///     its settings); throw ``InputError`` (with `field`) for a combination it cannot accept.
    /// - Precondition: `name` is non-empty and has no `/`.
    public static func register(name: String, description: String, settings: [Setting] = [],
                                make: @escaping @Sendable (EnvironmentOptions) throws -> any Environment) {
        precondition(!name.isEmpty && !name.contains("/"), "an environment name is non-empty and has no '/'")
        CustomEnvironmentTable.shared.set(EnvironmentDescriptor(name: name, description: description, settings: settings,
                                                                source: "registered", make: make))
    }

    /// Removes a registered environment (mainly for tests). Built-ins cannot be removed.
    public static func unregister(name: String) {
        CustomEnvironmentTable.shared.remove(name)
    }

    /// The registered environments, in registration order.
    public static var registered: [EnvironmentDescriptor] { CustomEnvironmentTable.shared.all }
}
