/// The policy families pg ships, and how to build one for an environment.
public enum PolicyKind: String, Sendable, CaseIterable {
    /// ``TabularPolicy``.
    case tabular
    /// ``LinearPolicy``.
    case linear
    /// ``MLPPolicy``.
    case mlp

    /// A fresh policy of this kind for `environment`.
    /// - Parameters:
    ///   - hidden: hidden widths for `mlp` (one or two layers).
    ///   - activation: hidden nonlinearity for `mlp`.
    ///   - seed: initialises the MLP's hidden weights.
    public func make(for environment: any Environment, hidden: [Int], activation: Activation,
                     seed: UInt64) -> any Policy {
        switch self {
        case .tabular:
            return TabularPolicy(stateCount: environment.stateCount, actionCount: environment.actionCount)
        case .linear:
            return LinearPolicy(featureCount: environment.featureLength, actionCount: environment.actionCount)
        case .mlp:
            var rng = RandomStream(seed: seed).split(0x3A7)
            return MLPPolicy(featureCount: environment.featureLength, actionCount: environment.actionCount,
                             hidden: hidden, activation: activation, using: &rng)
        }
    }
}
