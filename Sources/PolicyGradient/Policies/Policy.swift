/// A categorical policy π_φ(a | s) = softmax(logits_φ(s)) with a flat parameter vector φ.
///
/// A policy only has to give the logits of a state and back-propagate a cotangent on the
/// logits into its parameters; log-probabilities, the score ∇log π(a|s) = Jᵀ(e_a − π) and the
/// Gumbel-softmax gradients are all built from those two (see `Policy+Score.swift`).
/// Each hand-written backward pass is checked by finite differences in the tests.
public protocol Policy: Sendable {
    /// A short name (`tabular`, `linear`, `mlp`).
    var kind: String { get }
    /// Number of actions.
    var actionCount: Int { get }
    /// Length of the flat parameter vector.
    var parameterCount: Int { get }
    /// The parameters φ as one contiguous vector (the layout is the policy's own).
    var parameters: [Double] { get set }

    /// Writes logits_φ(s) into `out` (length ``actionCount``).
    /// - Parameters:
    ///   - state: the state index (used by tabular policies).
    ///   - features: the state's feature vector x(s) (used by linear and MLP policies; a
    ///     one-hot row is given by its hot index, see ``FeatureRow``).
    /// - Complexity: one forward pass; allocates nothing.
    func logits(state: Int, features: FeatureRow, into out: inout MutableSpan<Double>)

    /// Adds (∂logits(s)/∂φ)ᵀ · `cotangent` to `gradient` (length ``parameterCount``).
    /// - Complexity: one forward and one backward pass; allocates nothing.
    func backpropagate(state: Int, features: FeatureRow, logitCotangent cotangent: Span<Double>,
                       into gradient: inout MutableSpan<Double>)
}

extension Policy {
    /// Writes log π(· | s) into `out`.
    /// - Complexity: one forward pass; allocates nothing.
    public func logProbabilities(state: Int, features: FeatureRow, into out: inout MutableSpan<Double>) {
        logits(state: state, features: features, into: &out)
        out.withUnsafeMutableBufferPointer { Softmax.logSoftmax(UnsafeBufferPointer($0), into: $0) }
    }

    /// Adds the score `scale` · ∇_φ log π(action | s) = scale · Jᵀ(e_action − π(·|s)) to `gradient`.
    public func accumulateScore(state: Int, features: FeatureRow, action: Int,
                                scale: Double, into gradient: inout MutableSpan<Double>) {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: actionCount) { buf in
            var out = buf.mutableSpan
            logits(state: state, features: features, into: &out)
            Softmax.softmax(UnsafeBufferPointer(buf), into: buf)
            for k in buf.indices { buf[k] = scale * ((k == action ? 1 : 0) - buf[k]) }
            backpropagate(state: state, features: features, logitCotangent: UnsafeBufferPointer(buf).span, into: &gradient)
        }
    }

    /// log π(action | s) (convenience for tests and analysis).
    public func logProbability(of action: Int, state: Int, features: StateFeatures) -> Double {
        var out = [Double](repeating: 0, count: actionCount)
        features.withRows { rows in
            var span = out.mutableSpan
            logProbabilities(state: state, features: rows[state], into: &span)
        }
        return out[action]
    }
}
