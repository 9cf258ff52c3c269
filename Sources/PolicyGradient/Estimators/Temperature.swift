/// The settings of a relaxation's temperature τ: constant, or annealed
/// τ_k = max(τ_min, τ_0 · exp(−r k)) (Jang et al. 2017 anneal it; Maddison et al. 2017 fix it).
public enum Temperature {
    /// `tau`: τ_0 (default 1).
    public static let initialSetting = Setting(key: "tau", number: 1, placeholder: "T", help: "relaxation temperature") {
        $0 > 0 ? nil : "the temperature must be > 0"
    }
    /// `tau_min`: the floor of an annealed τ (default ``Schedule/defaultFloorDivisor`` times less than τ when annealing).
    public static let minimumSetting = Setting(key: "tau_min", number: nil, defaultText: Schedule.defaultFloorText(of: "tau", when: "annealing"),
                                               placeholder: "T", help: "floor of the annealed temperature") {
        $0 > 0 ? nil : "must be > 0"
    }
    /// `anneal`: r ≥ 0 (default 0: constant).
    public static let rateSetting = Setting(key: "anneal", number: 0, placeholder: "R",
                                            help: "temperature tau_k = max(tau_min, tau * exp(-R k))") {
        $0 >= 0 ? nil : "must be >= 0"
    }
    /// The temperature settings, in help order.
    public static let settings = [initialSetting, minimumSetting, rateSetting]

    /// The schedule of `values`.
    /// - Throws: ``InputError`` (field `tau_min`) if the floor is above τ_0.
    public static func schedule(_ values: SettingValues) throws -> Schedule {
        let tau = values.number(initialSetting)
        let s = Schedule(initial: tau, minimum: values.optionalNumber(minimumSetting), rate: values.number(rateSetting))
        if s.minimum > tau {
            throw InputError(field: minimumSetting.key, "must be at most tau (\(SettingValue.format(tau))), got \(SettingValue.format(s.minimum))",
                             mentions: [initialSetting.key])
        }
        return s
    }
}
