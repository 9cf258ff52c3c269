import Foundation

/// A named estimator: its settings, what it claims of its mean, what it needs of an
/// environment, and how to build it. Built-ins and user-registered estimators are described alike.
public struct EstimatorDescriptor: Sendable {
    /// The registry name (`nvil`).
    public let name: String
    /// Other names that select it (`rloo` for `vimco`).
    public let aliases: [String]
    /// One line for help and listings.
    public let summary: String
    /// Whether it is REINFORCE with a baseline (so `--baseline NAME` selects it).
    public let isBaseline: Bool
    /// Its own settings (hyperparameters), with their defaults.
    public let settings: [Setting]
    /// Why it cannot run on an environment (nil when it can).
    public let incompatibility: @Sendable (EstimatorContext) -> String?
    /// What it claims of its mean with the settings given (the conformance tests hold it to this).
    public let claim: @Sendable (SettingValues) -> EstimatorClaim
    /// The setting that gives its group size K, when K is not 1 (`samples` for `vimco`): the
    /// batch must be a multiple of it.
    public let groupSizeSetting: Setting?
    /// Doubles its sampler records per step, for A actions (known before it is built).
    public let recordWidth: @Sendable (Int) -> Int
    let make: @Sendable (EstimatorContext, SettingValues) throws -> AnyEstimator

    /// Describes an estimator of type `X`.
    /// - Parameters:
    ///   - name: the registry name (lowercase, digits and `-`).
    ///   - aliases: other names.
    ///   - summary: one line.
    ///   - isBaseline: REINFORCE with a baseline (selectable with `--baseline`).
    ///   - claim: whether it is unbiased, or its source of bias, for the settings given.
    ///   - settings: the estimator's own settings.
    ///   - groupSize: the setting that gives its group size K (nil: K = 1).
    ///   - incompatibility: returns why the estimator cannot run on a context's environment.
    ///   - make: builds the estimator from the context and the values of its settings; throw
    ///     ``InputError`` (with `field`) for a combination of values it cannot accept.
    @inlinable
    public init<X: GradientEstimator>(name: String, aliases: [String] = [], summary: String, isBaseline: Bool = false,
                                      claim: @escaping @Sendable (SettingValues) -> EstimatorClaim, settings: [Setting] = [],
                                      groupSize: Setting? = nil,
                                      incompatibility: @escaping @Sendable (EstimatorContext) -> String? = { _ in nil },
                                      make: @escaping @Sendable (EstimatorContext, SettingValues) throws -> X) {
        self.init(name: name, aliases: aliases, summary: summary, isBaseline: isBaseline, claim: claim, settings: settings,
                  groupSize: groupSize, recordWidth: { X.Sampler.recordWidth(actionCount: $0) },
                  incompatibility: incompatibility, erased: { AnyEstimator(try make($0, $1)) })
    }

    /// Describes an estimator of type `X` whose claim does not depend on its settings.
    @inlinable
    public init<X: GradientEstimator>(name: String, aliases: [String] = [], summary: String, isBaseline: Bool = false,
                                      claim: EstimatorClaim, settings: [Setting] = [], groupSize: Setting? = nil,
                                      incompatibility: @escaping @Sendable (EstimatorContext) -> String? = { _ in nil },
                                      make: @escaping @Sendable (EstimatorContext, SettingValues) throws -> X) {
        self.init(name: name, aliases: aliases, summary: summary, isBaseline: isBaseline, claim: { _ in claim },
                  settings: settings, groupSize: groupSize, incompatibility: incompatibility, make: make)
    }

    @usableFromInline
    init(name: String, aliases: [String], summary: String, isBaseline: Bool, claim: @escaping @Sendable (SettingValues) -> EstimatorClaim,
         settings: [Setting], groupSize: Setting?, recordWidth: @escaping @Sendable (Int) -> Int,
         incompatibility: @escaping @Sendable (EstimatorContext) -> String?,
         erased: @escaping @Sendable (EstimatorContext, SettingValues) throws -> AnyEstimator) {
        precondition(groupSize.map { g in settings.contains { $0.key == g.key } } ?? true,
                     "the group-size setting of \(name) is one of its settings")
        precondition(EstimatorDescriptor.isValidName(name) && aliases.allSatisfy(EstimatorDescriptor.isValidName),
                     "estimator names are lowercase letters, digits and '-': \(name)")
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.isBaseline = isBaseline
        self.claim = claim
        self.settings = settings
        groupSizeSetting = groupSize
        self.recordWidth = recordWidth
        self.incompatibility = incompatibility
        make = erased
    }

    /// The estimator with the settings `values` (defaults for the rest) for `context`.
    /// - Throws: ``InputError`` for a setting it does not have, a value out of range, an
    ///   environment it cannot run on, or a group its sampler cannot draw.
    public func makeEstimator(context: EstimatorContext, settings values: SettingValues = SettingValues()) throws -> AnyEstimator {
        try values.validate(against: settings)
        if let why = incompatibility(context) { throw InputError("\(name) cannot run on \(context.environment.id): \(why)") }
        let estimator = try make(context, values)
        let k = estimator.groupSize
        if context.episodesPerUpdate % k != 0 {
            let key = groupSizeSetting?.key ?? "K"
            throw InputError(field: "batch", "must be a multiple of \(key) (K = \(k) episodes per group), got \(context.episodesPerUpdate)",
                             mentions: groupSizeSetting.map { [$0.key] } ?? [])
        }
        if let why = estimator.samplerProblem(actionCount: context.environment.actionCount) {
            throw InputError("\(name) cannot run on \(context.environment.id): its sampler (\(estimator.samplerIdentity)) \(why)")
        }
        return estimator
    }

    /// K with the settings `values` (defaults for the rest).
    public func groupSize(_ values: SettingValues) -> Int {
        guard let g = groupSizeSetting else { return 1 }
        return values[g]?.integer ?? g.defaultValue?.integer ?? 1
    }

    /// Whether `name` is lowercase letters, digits and `-`, starting with a letter.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter else { return false }
        return name.allSatisfy { ($0.isLetter && $0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "-" }
    }
}

/// Maps names to estimators: the built-ins (``builtins``) and those a user's package registers
/// with ``register(_:)``. Every command and the tests use it.
public enum EstimatorRegistry {
    /// Adds an estimator from your own package, so that `pg train --estimator NAME`,
    /// `pg compare --estimators …,NAME` and `pg variance` find it; registering a name again
    /// replaces the entry, and a registered name hides a built-in of the same name. Thread-safe.
    /// - Precondition: its settings agree in kind with any setting of the same key of the other
    ///   estimators (one vocabulary: `--tau` means the same thing everywhere).
    public static func register(_ descriptor: EstimatorDescriptor) {
        for s in descriptor.settings {
            if let other = allSettings.first(where: { $0.key == s.key }) {
                precondition(other.kind == s.kind, "setting \(s.key) of \(descriptor.name) differs in kind from another estimator's")
            }
        }
        RegisteredEstimators.shared.set(descriptor)
    }

    /// Removes a registered estimator (mainly for tests). Built-ins cannot be removed.
    public static func unregister(name: String) { RegisteredEstimators.shared.remove(name) }

    /// Every estimator: the registered ones, then the built-ins they do not hide.
    public static var all: [EstimatorDescriptor] {
        let custom = RegisteredEstimators.shared.all
        return custom + builtins.filter { b in !custom.contains { $0.name == b.name } }
    }

    /// The estimator called `name` (or one of its aliases).
    /// - Throws: ``InputError`` listing the valid names.
    public static func descriptor(named name: String) throws -> EstimatorDescriptor {
        // The registered ones, then the built-ins they do not hide — ``all``'s order, without
        // copying every descriptor (a sweep looks its estimator up once per chunk of seeds).
        let custom = RegisteredEstimators.shared.all
        let matches = { (d: EstimatorDescriptor) in d.name == name || d.aliases.contains(name) }
        if let d = custom.first(where: matches) { return d }
        if let d = builtins.first(where: { b in matches(b) && !custom.contains { $0.name == b.name } }) { return d }
        throw InputError("unknown estimator '\(name)'; valid: \(names.joined(separator: ", "))")
    }

    /// Every name, in listing order.
    public static var names: [String] { all.map(\.name) }

    /// The union of every estimator's settings (each key once, in first-seen order).
    public static var allSettings: [Setting] {
        var seen = Set<String>(), out: [Setting] = []
        for d in all { for s in d.settings where seen.insert(s.key).inserted { out.append(s) } }
        return out
    }
}

/// The table of registered estimators, guarded by a lock.
final class RegisteredEstimators: @unchecked Sendable {
    static let shared = RegisteredEstimators()
    private let lock = NSLock()
    private var entries: [EstimatorDescriptor] = []

    func set(_ d: EstimatorDescriptor) {
        lock.lock(); defer { lock.unlock() }
        if let i = entries.firstIndex(where: { $0.name == d.name }) { entries[i] = d } else { entries.append(d) }
    }

    func remove(_ name: String) {
        lock.lock(); defer { lock.unlock() }
        entries.removeAll { $0.name == name }
    }

    var all: [EstimatorDescriptor] {
        lock.lock(); defer { lock.unlock() }
        return entries
    }
}
