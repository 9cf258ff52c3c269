/// RELAX's learned surrogate r_ρ(s, u): an ``MLP`` on the state features x(s) followed by an
/// action vector u, with one output: the perturbed logits z (``Relax/SurrogateInput/logits``,
/// the published form) or the relaxed sample σ_τ(z) (``Relax/SurrogateInput/relaxed``). The
/// weights are written ψ in the code (ρ in RELAX's c = η f(σ_λ(z)) + r_ρ(z)).
///
/// Unlike ``Critic``, it is not fitted to returns: ψ descends an estimate of the gradient of
/// the RELAX estimator's variance (Grathwohl, Choi, Wu, Roeder & Duvenaud, "Backpropagation
/// through the Void: Optimizing control variates for black-box gradient estimation", ICLR
/// 2018, §3.2), by one Adam step per batch. That gradient needs c_ψ's parameter gradient and
/// the mixed derivative ∂²c_ψ/∂ψ∂x along a direction (``MLP/accumulateDirectionalGradient(_:input:direction:hidden:tangent:valueCotangent:directionalCotangent:gradient:)``).
/// The output layer starts at zero, so c_ψ ≡ 0 and RELAX starts as REINFORCE.
public struct Surrogate: Sendable {
    // MARK: Settings

    /// `surrogate_hidden`: hidden widths of c_ψ (default 32).
    public static let hiddenSetting = Setting(key: "surrogate_hidden", kind: .integers, defaultValue: .integers([32]),
                                              placeholder: "N[,N]", help: "hidden widths of relax's surrogate r_rho(s, z)") { v in
        PolicySpec.checkWidths(v.integerList ?? [])
    }
    /// `surrogate_activation`: hidden activation of c_ψ (default tanh: smooth in x, so its
    /// gradient on the simplex, which the pathwise terms use, varies continuously).
    public static let activationSetting = Setting(key: "surrogate_activation", choice: Activation.tanh.rawValue,
                                                  among: Activation.allCases.map(\.rawValue),
                                                  help: "hidden activation of relax's surrogate")
    /// `surrogate_lr`: Adam's step size on the variance gradient (default 0.01), positive like
    /// every learning rate.
    public static let learningRateSetting = Setting(key: "surrogate_lr", number: 0.01, placeholder: "A",
                                                    help: "learning rate of relax's surrogate (on the estimator's variance)") {
        $0 > 0 ? nil : "must be positive"
    }
    /// The surrogate's settings, in help order.
    public static let settings = [hiddenSetting, activationSetting, learningRateSetting]

    // MARK: State

    /// The network: features + actions inputs, one output.
    public let network: MLP
    /// The weights ψ.
    public private(set) var parameters: [Double]
    /// Adam's step size.
    public let learningRate: Double
    private var optimizer: Optimizer

    /// A surrogate with the settings in `values`, its hidden weights drawn from `rng`.
    public init(featureCount: Int, actionCount: Int, settings values: SettingValues, using rng: inout RandomStream) {
        network = MLP(inputs: featureCount + actionCount, hidden: values.integers(Self.hiddenSetting), outputs: 1,
                      activation: Activation(rawValue: values.text(Self.activationSetting))!)
        parameters = network.initialParameters(using: &rng)
        learningRate = values.number(Self.learningRateSetting)
        optimizer = Optimizer(kind: .adam, parameterCount: network.parameterCount)
    }

    /// A surrogate with the given weights (for tests).
    /// - Precondition: `parameters.count == network.parameterCount`.
    public init(network: MLP, parameters: [Double], learningRate: Double) {
        precondition(parameters.count == network.parameterCount, "surrogate weights of the wrong length")
        self.network = network
        self.parameters = parameters
        self.learningRate = learningRate
        optimizer = Optimizer(kind: .adam, parameterCount: network.parameterCount)
    }

    /// The number of weights of a surrogate of `values`' shape (for memory checks).
    public static func parameterCount(featureCount: Int, actionCount: Int, settings values: SettingValues) -> Int {
        MLP(inputs: featureCount + actionCount, hidden: values.integers(hiddenSetting), outputs: 1, activation: .tanh).parameterCount
    }

    /// Whether ψ changes (a positive learning rate).
    public var learns: Bool { learningRate > 0 }

    /// c_ψ(s, x), with ∇ₓc_ψ(s, x) written into `gradient`.
    /// - Parameters:
    ///   - features: x(s).
    ///   - x: the relaxed action (length A).
    ///   - gradient: receives ∇ₓc (length A).
    ///   - hidden: scratch of ``MLP/hiddenCount`` values.
    /// - Complexity: one forward and one backward pass; allocates nothing.
    @inlinable
    func evaluate(features: FeatureRow, action x: UnsafeBufferPointer<Double>, gradient: UnsafeMutableBufferPointer<Double>,
                         hidden: UnsafeMutableBufferPointer<Double>) -> Double {
        let input = MLPInput(features: features, extra: x)
        return parameters.withUnsafeBufferPointer { p in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: 2) { s in
                let out = UnsafeMutableBufferPointer(rebasing: s[0..<1]), one = UnsafeMutableBufferPointer(rebasing: s[1..<2])
                network.forward(p, input: input, output: out, hidden: hidden)
                one[0] = 1
                network.backward(p, input: input, hidden: UnsafeBufferPointer(hidden), cotangent: UnsafeBufferPointer(one),
                                 gradient: nil, extraCotangent: gradient)
                return out[0]
            }
        }
    }

    /// Adds ∂/∂ψ [α c_ψ(s, x) + β ⟨u, ∇ₓc_ψ(s, x)⟩] to `gradient`.
    /// - Parameters:
    ///   - features: x(s).
    ///   - x: the relaxed action.
    ///   - direction: u (length A).
    ///   - valueWeight: α.
    ///   - directionalWeight: β.
    ///   - hidden: scratch of ``MLP/hiddenCount`` values.
    ///   - tangent: scratch of ``MLP/hiddenCount`` values.
    ///   - gradient: the accumulator (``MLP/parameterCount``).
    /// - Complexity: about two forward and two backward passes; allocates nothing.
    @inlinable
    func accumulateGradient(features: FeatureRow, action x: UnsafeBufferPointer<Double>, direction u: UnsafeBufferPointer<Double>,
                                   valueWeight alpha: Double, directionalWeight beta: Double,
                                   hidden: UnsafeMutableBufferPointer<Double>, tangent: UnsafeMutableBufferPointer<Double>,
                                   into gradient: UnsafeMutableBufferPointer<Double>) {
        let input = MLPInput(features: features, extra: x)
        parameters.withUnsafeBufferPointer { p in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: 4) { s in
                s[0] = alpha
                s[1] = beta
                let out = UnsafeMutableBufferPointer(rebasing: s[2..<3]), dir = UnsafeMutableBufferPointer(rebasing: s[3..<4])
                network.forward(p, input: input, direction: u, output: out, directional: dir, hidden: hidden, tangent: tangent)
                network.accumulateDirectionalGradient(p, input: input, direction: u, hidden: UnsafeBufferPointer(hidden),
                                                      tangent: UnsafeBufferPointer(tangent),
                                                      valueCotangent: UnsafeBufferPointer(rebasing: s[0..<1]),
                                                      directionalCotangent: UnsafeBufferPointer(rebasing: s[1..<2]),
                                                      gradient: gradient)
            }
        }
    }

    /// One Adam step descending `gradient` (an estimate of ∂Var/∂ψ).
    /// - Complexity: O(``MLP/parameterCount``).
    public mutating func descend(_ gradient: [Double]) {
        gradient.withUnsafeBufferPointer { descend($0) }
    }

    /// ``descend(_:)`` with the gradient read in place (RELAX's part of the batch's auxiliary
    /// sums), without the copy that would allocate once per update.
    mutating func descend(_ gradient: UnsafeBufferPointer<Double>) {
        guard learns else { return }
        // Descending g is ascending with −α: the same numbers (negation is exact), and no negated copy.
        optimizer.step(&parameters, gradient: gradient, learningRate: -learningRate)
    }
}
