/// A tabular softmax policy: one row of logits (preferences H(s, ·)) per state.
///
/// logits(s) = φ[s·A ..< (s+1)·A]; the score is ∂log π(a|s)/∂φ[s, k] = 1{k = a} − π(k|s),
/// which is Sutton & Barto's gradient-bandit update (§2.8) when there is one state.
/// Parameters start at zero (the uniform policy).
public struct TabularPolicy: Policy {
    /// `tabular`.
    public var kind: String { "tabular" }
    /// Number of states.
    public let stateCount: Int
    /// Number of actions.
    public let actionCount: Int
    /// Row-major `stateCount × actionCount` preferences.
    public var parameters: [Double]
    /// `stateCount · actionCount`.
    public var parameterCount: Int { stateCount * actionCount }

    /// Creates the uniform tabular policy.
    public init(stateCount: Int, actionCount: Int) {
        precondition(stateCount > 0 && actionCount > 0)
        self.stateCount = stateCount
        self.actionCount = actionCount
        parameters = [Double](repeating: 0, count: stateCount * actionCount)
    }

    /// Copies row `state` of the table.
    public func logits(state: Int, features: FeatureRow, into out: inout MutableSpan<Double>) {
        precondition(out.count == actionCount, "logits: a row of \(out.count) for \(actionCount) actions")
        let base = state * actionCount
        parameters.withUnsafeBufferPointer { p in
            for k in 0..<actionCount { out[k] = p[base + k] }
        }
    }

    /// Adds the cotangent to row `state`.
    public func backpropagate(state: Int, features: FeatureRow, logitCotangent cotangent: Span<Double>,
                              into gradient: inout MutableSpan<Double>) {
        let base = state * actionCount
        for k in 0..<actionCount { gradient[base + k] += cotangent[k] }
    }
}
