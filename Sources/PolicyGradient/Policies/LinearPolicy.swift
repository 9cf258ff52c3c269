/// A softmax policy linear in the state features: logits(s) = W x(s) + b.
///
/// Parameters are laid out as W (row-major `actionCount × featureCount`) followed by b.
/// They start at zero (the uniform policy). With one-hot features it is a tabular policy
/// with an extra per-action bias.
public struct LinearPolicy: Policy {
    /// `linear`.
    public var kind: String { "linear" }
    /// Length of the feature vector.
    public let featureCount: Int
    /// Number of actions.
    public let actionCount: Int
    /// W then b.
    public var parameters: [Double]
    /// `actionCount · (featureCount + 1)`.
    public var parameterCount: Int { actionCount * (featureCount + 1) }

    /// Creates the zero (uniform) linear policy.
    public init(featureCount: Int, actionCount: Int) {
        precondition(featureCount > 0 && actionCount > 0)
        self.featureCount = featureCount
        self.actionCount = actionCount
        parameters = [Double](repeating: 0, count: actionCount * (featureCount + 1))
    }

    /// logits = W x + b.
    /// - Complexity: O(A) for a one-hot row, O(A · F) for a dense one; allocates nothing.
    public func logits(state: Int, features x: FeatureRow, into out: inout MutableSpan<Double>) {
        precondition(out.count == actionCount, "logits: a row of \(out.count) for \(actionCount) actions")
        let f = featureCount, biases = actionCount * f
        parameters.withUnsafeBufferPointer { p in
            for k in 0..<actionCount {
                var z = p[biases + k]
                let row = k * f
                if let h = x.hotIndex {
                    z += p[row + h]
                } else {
                    for j in 0..<f { z += p[row + j] * x.values[j] }
                }
                out[k] = z
            }
        }
    }

    /// ∂/∂W[k, j] = c_k x_j, ∂/∂b_k = c_k.
    public func backpropagate(state: Int, features x: FeatureRow, logitCotangent c: Span<Double>,
                              into gradient: inout MutableSpan<Double>) {
        let f = featureCount, biases = actionCount * f
        for k in 0..<actionCount {
            let ck = c[k]
            if ck == 0 { continue }
            let row = k * f
            x.forEachNonZero { j, xj in gradient[row + j] += ck * xj }
            gradient[biases + k] += ck
        }
    }
}
