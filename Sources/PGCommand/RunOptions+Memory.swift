import PolicyGradient

extension RunOptions {
    /// `--memory-limit`: the most memory a run may plan to use (``MemoryLimit``).
    static let memoryLimitFlag = Flag("memory-limit", "SIZE", "refuse a run whose estimated memory exceeds SIZE: 4G, 512M, "
                                          + "80% or 0.8 of the memory (default \(SettingValue.format(MemoryLimit.defaultFraction * 100))% "
                                          + "of the physical memory, or of a lower cgroup limit)")

    /// `--memory-limit`, or the default.
    /// - Throws: ``InputError`` (field `memory_limit`) for a value that does not parse.
    static func memoryLimit(_ a: Arguments) throws -> MemoryLimit {
        try a.string("memory-limit").map(MemoryLimit.init(parsing:)) ?? .default
    }

    /// Refuses a run whose memory estimate exceeds `--memory-limit`: the environment's tables,
    /// `sessions` training sessions of the largest of `estimators` at once (with
    /// `configuration`), and `extra` (a command's own arrays). Call it once per command, after
    /// the environment is built and before any session is.
    /// - Throws: ``InputError`` naming the flag or file of the largest item, the estimate and the limit.
    func checkMemory(_ a: Arguments, environment env: any Environment, configuration: TrainingConfiguration? = nil,
                     estimators: [EstimatorSpec] = [], sessions: Int = 1, extra: MemoryEstimate = MemoryEstimate()) throws {
        let limit = try RunOptions.memoryLimit(a)
        var total = MemoryEstimate.environment(env, file: descriptor.path)
        if let configuration {
            let each = try estimators.map {
                try MemoryEstimate.session(environment: env, file: descriptor.path, policy: policy,
                                           configuration: configuration, estimator: $0)
            }
            if let largest = each.max(by: { $0.total < $1.total }) {
                total.add(sessions > 1 ? largest.times(sessions, "sessions at once, one per thread") : largest)
            }
        }
        total.add(extra)
        try total.check(against: limit)
    }
}
