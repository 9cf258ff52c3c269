/// What an estimator claims of its mean, declared when it is registered and held to by the
/// conformance tests (every registered estimator, built-in or a user's, is run at fixed policies
/// of the binary toy, the categorical toy and a small gridworld against the exact gradient).
public enum EstimatorClaim: Sendable, Equatable {
    /// E[ĝ] = ∇J: the zero-bias test must accept it.
    case unbiased
    /// E[ĝ] ≠ ∇J in general, for the reason given (a relaxation, a baseline that depends on the
    /// action it multiplies, a normalisation): its bias is measured and reported, never hidden.
    case biased(because: String)
    /// ĝ = ∇J exactly, with zero variance (the reference).
    case exact

    /// `unbiased`, `biased` or `exact`.
    public var name: String {
        switch self {
        case .unbiased: return "unbiased"
        case .biased: return "biased"
        case .exact: return "exact"
        }
    }

    /// The source of bias, for a biased estimator.
    public var reason: String? {
        if case let .biased(why) = self { return why }
        return nil
    }
}
