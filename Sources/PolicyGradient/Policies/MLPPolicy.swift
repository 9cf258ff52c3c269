/// A softmax policy whose logits are an ``MLP`` of the state features (one or two hidden
/// layers, tanh or ReLU), trained by hand-written backpropagation.
///
/// Hidden weights start Glorot-uniform from the given stream; the output layer starts at
/// zero, so the initial policy is uniform.
public struct MLPPolicy: Policy {
    /// `mlp`.
    public var kind: String { "mlp" }
    /// The network shape.
    public let network: MLP
    /// Flat network parameters.
    public var parameters: [Double]
    /// Number of actions.
    public var actionCount: Int { network.widths.last! }
    /// Number of parameters.
    public var parameterCount: Int { network.parameterCount }

    /// Creates an MLP policy.
    /// - Precondition: one or two hidden layers.
    public init(featureCount: Int, actionCount: Int, hidden: [Int], activation: Activation,
                using rng: inout RandomStream) {
        precondition((1...2).contains(hidden.count), "an MLP policy has one or two hidden layers")
        network = MLP(inputs: featureCount, hidden: hidden, outputs: actionCount, activation: activation)
        parameters = network.initialParameters(using: &rng)
    }

    /// logits = MLP(x).
    public func logits(state: Int, features: FeatureRow, into out: inout MutableSpan<Double>) {
        precondition(out.count == actionCount, "logits: a row of \(out.count) for \(actionCount) actions")
        withUnsafeTemporaryAllocation(of: Double.self, capacity: network.hiddenCount) { hidden in
            parameters.withUnsafeBufferPointer { p in
                out.withUnsafeMutableBufferPointer { o in
                    network.forward(p, input: MLPInput(features: features), output: o, hidden: hidden)
                }
            }
        }
    }

    /// Recomputes the forward pass, then back-propagates the cotangent.
    public func backpropagate(state: Int, features: FeatureRow, logitCotangent cotangent: Span<Double>,
                              into gradient: inout MutableSpan<Double>) {
        precondition(cotangent.count == actionCount && gradient.count == parameterCount, "backpropagate: rows of the wrong size")
        withUnsafeTemporaryAllocation(of: Double.self, capacity: network.hiddenCount + actionCount) { scratch in
            let hidden = UnsafeMutableBufferPointer(rebasing: scratch[0..<network.hiddenCount])
            let out = UnsafeMutableBufferPointer(rebasing: scratch[network.hiddenCount...])
            parameters.withUnsafeBufferPointer { p in
                network.forward(p, input: MLPInput(features: features), output: out, hidden: hidden)
                cotangent.withUnsafeBufferPointer { c in
                    gradient.withUnsafeMutableBufferPointer { g in
                        network.backward(p, input: MLPInput(features: features), hidden: UnsafeBufferPointer(hidden),
                                         cotangent: c, gradient: g, extraCotangent: nil)
                    }
                }
            }
        }
    }
}
