import Foundation

/// A registered environment: its description and how to build it.
struct CustomEnvironment: Sendable {
    let description: String
    let make: @Sendable (EnvironmentOptions) throws -> any Environment
}

/// The table of environments registered by a user's own package, guarded by a lock.
final class CustomEnvironmentTable: @unchecked Sendable {
    static let shared = CustomEnvironmentTable()
    private let lock = NSLock()
    private var entries: [(name: String, environment: CustomEnvironment)] = []

    func set(_ name: String, _ environment: CustomEnvironment) {
        lock.lock(); defer { lock.unlock() }
        if let i = entries.firstIndex(where: { $0.name == name }) {
            entries[i].environment = environment
        } else {
            entries.append((name, environment))
        }
    }

    func remove(_ name: String) {
        lock.lock(); defer { lock.unlock() }
        entries.removeAll { $0.name == name }
    }

    func get(_ name: String) -> CustomEnvironment? {
        lock.lock(); defer { lock.unlock() }
        return entries.first { $0.name == name }?.environment
    }

    var all: [(name: String, description: String)] {
        lock.lock(); defer { lock.unlock() }
        return entries.map { ($0.name, $0.environment.description) }
    }
}

extension EnvironmentRegistry {
    /// Adds an environment from your own package, so that ``make(_:options:)``, ``list(directory:)``
    /// and the `pg` command line (`PGCommand.main`) find it by `name`.
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
    ///   - make: builds the environment from the command line's ``EnvironmentOptions``
    ///     (`--seed`, `--envs-dir`, …); throw ``InputError`` for options it cannot accept.
    /// - Precondition: `name` is non-empty and has no `/`.
    public static func register(name: String, description: String,
                                make: @escaping @Sendable (EnvironmentOptions) throws -> any Environment) {
        precondition(!name.isEmpty && !name.contains("/"), "an environment name is non-empty and has no '/'")
        CustomEnvironmentTable.shared.set(name, CustomEnvironment(description: description, make: make))
    }

    /// Removes a registered environment (mainly for tests). Built-ins cannot be removed.
    public static func unregister(name: String) {
        CustomEnvironmentTable.shared.remove(name)
    }

    /// The registered environments, in registration order.
    public static var registered: [(name: String, description: String)] {
        CustomEnvironmentTable.shared.all
    }

    /// The registered environment called `name`, built with `options`, if there is one.
    static func makeRegistered(_ name: String, options: EnvironmentOptions) throws -> (any Environment)? {
        guard let entry = CustomEnvironmentTable.shared.get(name) else { return nil }
        return try entry.make(options)
    }
}
