/// A learned critic Q_w(s, x): an ``MLP`` on the concatenation of the state features and an
/// action encoding x (one-hot for executed actions, relaxed y for the Gumbel estimators).
///
/// It is fitted by Adam to the observed reward-to-go G_t of one-hot actions, minimising
/// Σ_{s,a} n_{s,a} (Q_w(s, e_a) − Ḡ_{s,a})² / Σ n (the per-sample squared error up to a
/// constant), where n and Ḡ come from the recent batches: the per-(s, a) counts and return
/// sums of each batch are added to a memory that decays by ``memoryDecay`` per batch, a
/// replay buffer kept as sufficient statistics. Because it never sees relaxed inputs during fitting, Q_w(s, y) off the vertices
/// of the simplex is extrapolation: that is the source of the Gumbel estimators' extra bias
/// when f is a critic, and why where it is evaluated (soft y or hard z) matters.
public struct Critic: Sendable {
    /// The network: features + actions inputs, one output.
    public let network: MLP
    /// The weights w.
    public var parameters: [Double]
    /// Number of Adam steps per batch.
    public var fitSteps: Int
    /// Adam step size.
    public var learningRate: Double
    /// How much of the previous batches' statistics the fit keeps (0: the last batch only).
    public var memoryDecay: Double
    private var optimizer: Optimizer
    private let featureCount: Int
    private var memoryVisits: [Double] = []
    private var memoryReturns: [Double] = []

    /// Creates a critic.
    public init(featureCount: Int, actionCount: Int, hidden: [Int] = [32], activation: Activation = .relu,
                fitSteps: Int = 10, learningRate: Double = 0.01, memoryDecay: Double = 0.9,
                using rng: inout RandomStream) {
        self.memoryDecay = memoryDecay
        network = MLP(inputs: featureCount + actionCount, hidden: hidden, outputs: 1, activation: activation)
        parameters = network.initialParameters(using: &rng)
        optimizer = Optimizer(kind: .adam, parameterCount: network.parameterCount)
        self.fitSteps = fitSteps
        self.learningRate = learningRate
        self.featureCount = featureCount
    }

    /// Q_w(s, x) and, if `gradient` is given, ∇ₓ Q_w(s, x) written into it.
    /// - Parameter input: scratch of length F + A whose first F entries hold x(s); x is copied after them.
    /// - Complexity: one forward (and backward) pass; allocates nothing.
    public func evaluate(input: UnsafeMutableBufferPointer<Double>, action x: UnsafeBufferPointer<Double>,
                         gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        for k in x.indices { input[featureCount + k] = x[k] }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: network.hiddenCount + 2 + input.count) { s in
            let hidden = UnsafeMutableBufferPointer(rebasing: s[0..<network.hiddenCount])
            let out = UnsafeMutableBufferPointer(rebasing: s[network.hiddenCount..<(network.hiddenCount + 1)])
            let one = UnsafeMutableBufferPointer(rebasing: s[(network.hiddenCount + 1)..<(network.hiddenCount + 2)])
            let dIn = UnsafeMutableBufferPointer(rebasing: s[(network.hiddenCount + 2)...])
            parameters.withUnsafeBufferPointer { p in
                network.forward(p, input: UnsafeBufferPointer(input), output: out, hidden: hidden)
                if let gradient {
                    one[0] = 1
                    network.backward(p, input: UnsafeBufferPointer(input), hidden: UnsafeBufferPointer(hidden),
                                     cotangent: UnsafeBufferPointer(one), gradient: nil, inputCotangent: dIn)
                    for k in gradient.indices { gradient[k] = dIn[featureCount + k] }
                }
            }
            return out[0]
        }
    }

    /// Adds a batch's per-(s, a) counts and return sums to the decaying memory, then fits
    /// Q_w(s, e_a) to the remembered means, weighted by the remembered counts.
    /// - Complexity: ``fitSteps`` × (state-action pairs seen) forward and backward passes.
    public mutating func fit(visits batchVisits: [Double], returnSum batchReturns: [Double], features: [Double],
                             actionCount a: Int) {
        if memoryVisits.count != batchVisits.count {
            memoryVisits = [Double](repeating: 0, count: batchVisits.count)
            memoryReturns = memoryVisits
        }
        for k in batchVisits.indices {
            memoryVisits[k] = memoryDecay * memoryVisits[k] + batchVisits[k]
            memoryReturns[k] = memoryDecay * memoryReturns[k] + batchReturns[k]
        }
        let visits = memoryVisits, returnSum = memoryReturns
        let total = visits.reduce(0, +)
        guard total > 0 else { return }
        let f = featureCount, net = network
        let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: f + a + net.hiddenCount + 2)
        defer { scratch.deallocate() }
        let input = UnsafeMutableBufferPointer(rebasing: scratch[0..<(f + a)])
        let hidden = UnsafeMutableBufferPointer(rebasing: scratch[(f + a)..<(f + a + net.hiddenCount)])
        let out = UnsafeMutableBufferPointer(rebasing: scratch[(f + a + net.hiddenCount)...].prefix(1))
        let cot = UnsafeMutableBufferPointer(rebasing: scratch[(f + a + net.hiddenCount + 1)...])
        var grad = [Double](repeating: 0, count: parameters.count)
        for _ in 0..<fitSteps {
            for i in grad.indices { grad[i] = 0 }
            parameters.withUnsafeBufferPointer { p in
                grad.withUnsafeMutableBufferPointer { g in
                    for k in visits.indices where visits[k] > 0 {
                        let s = k / a, act = k % a
                        for j in 0..<f { input[j] = features[s * f + j] }
                        for j in 0..<a { input[f + j] = j == act ? 1 : 0 }
                        net.forward(p, input: UnsafeBufferPointer(input), output: out, hidden: hidden)
                        // Descend ½ Σ n (Q − Ḡ)² / Σ n, i.e. ascend along −(n Q − Σ G) / Σ n.
                        cot[0] = -(visits[k] * out[0] - returnSum[k]) / total
                        net.backward(p, input: UnsafeBufferPointer(input), hidden: UnsafeBufferPointer(hidden),
                                     cotangent: UnsafeBufferPointer(cot), gradient: g, inputCotangent: nil)
                    }
                }
            }
            optimizer.step(&parameters, gradient: grad, learningRate: learningRate)
        }
    }
}
