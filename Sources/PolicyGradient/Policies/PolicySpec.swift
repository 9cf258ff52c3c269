/// Which policy a run trains: the family and, for an MLP, its shape. Its ``settings`` are the
/// `policy`, `hidden` and `activation` fields of the run header (and the flags of the same names).
public struct PolicySpec: Sendable, Equatable {
    /// The family.
    public var kind: PolicyKind
    /// Hidden widths of an MLP policy (one or two layers).
    public var hidden: [Int]
    /// Hidden activation of an MLP policy.
    public var activation: Activation

    /// `policy`: the family (default tabular).
    public static let kindSetting = Setting(key: "policy", choice: PolicyKind.tabular.rawValue,
                                            among: PolicyKind.allCases.map(\.rawValue), help: "policy family")
    /// `hidden`: MLP hidden widths (default 32).
    public static let hiddenSetting = Setting(
        key: "hidden", kind: .integers, defaultValue: .integers([32]), placeholder: "N[,N]",
        help: "hidden widths of the mlp policy, one or two layers") { v in
            PolicySpec.checkWidths(v.integerList ?? [])
        }
    /// `activation`: MLP hidden activation (default tanh).
    public static let activationSetting = Setting(key: "activation", choice: Activation.tanh.rawValue,
                                                  among: Activation.allCases.map(\.rawValue),
                                                  help: "hidden activation of the mlp policy")
    /// Every policy setting, in help order.
    public static let settings = [kindSetting, hiddenSetting, activationSetting]

    /// "give one or two widths in 1...100000" unless `widths` is one or two such widths.
    public static func checkWidths(_ widths: [Int]) -> String? {
        (1...2).contains(widths.count) && widths.allSatisfy({ (1...100_000).contains($0) })
            ? nil : "give one or two layer widths in 1...100000, e.g. 32 or 64,64"
    }

    /// The policy of `values` (defaults for what is not given).
    public init(_ values: SettingValues = SettingValues()) {
        kind = PolicyKind(rawValue: values.text(Self.kindSetting))!
        hidden = values.integers(Self.hiddenSetting)
        activation = Activation(rawValue: values.text(Self.activationSetting))!
    }

    /// A policy of the given family with the default MLP shape.
    public init(kind: PolicyKind) {
        self.init()
        self.kind = kind
    }

    /// The settings as values (the shape only for an MLP).
    public var values: SettingValues {
        var v = SettingValues()
        v.set(Self.kindSetting, .text(kind.rawValue))
        if kind == .mlp {
            v.set(Self.hiddenSetting, .integers(hidden))
            v.set(Self.activationSetting, .text(activation.rawValue))
        }
        return v
    }

    /// A fresh policy for `environment`; an MLP's hidden weights are drawn from `seed`.
    public func make(for environment: any Environment, seed: UInt64) -> any Policy {
        kind.make(for: environment, hidden: hidden, activation: activation, seed: seed)
    }

    /// The number of parameters the policy has on an environment of this shape.
    public func parameterCount(states: Int, actions: Int, features: Int) -> Int {
        switch kind {
        case .tabular: return states * actions
        case .linear: return actions * (features + 1)
        case .mlp: return MLP(inputs: features, hidden: hidden, outputs: actions, activation: activation).parameterCount
        }
    }
}
