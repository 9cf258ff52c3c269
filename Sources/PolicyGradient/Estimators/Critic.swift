/// A learned critic Q_w(s, x): an ``MLP`` on the state features x(s) followed by an action
/// encoding x (one-hot for executed actions, relaxed y for the pathwise estimators).
///
/// It is fitted by Adam to the observed reward-to-go G_t of one-hot actions, minimising
/// Σ_{s,a} n_{s,a} (Q_w(s, e_a) − Ḡ_{s,a})² / Σ n (the per-sample squared error up to a
/// constant), where n and Ḡ come from the recent batches: the per-(s, a) counts and return
/// sums of each batch are added to a memory that decays by ``memoryDecay`` per batch, a replay
/// buffer kept as sufficient statistics. Because it never sees relaxed inputs during fitting,
/// Q_w(s, y) off the vertices of the simplex is extrapolation: that is the source of the
/// pathwise estimators' extra bias when f is a critic, and why where it is evaluated (soft y or
/// hard z) matters.
public struct Critic: Sendable {
    // MARK: Settings

    /// `critic_hidden`: hidden widths (default 32).
    public static let hiddenSetting = Setting(key: "critic_hidden", kind: .integers, defaultValue: .integers([32]),
                                              placeholder: "N[,N]", help: "hidden widths of the critic Q(s, x)") { v in
        PolicySpec.checkWidths(v.integerList ?? [])
    }
    /// `critic_activation`: hidden activation (default relu: with tanh, the critic's gradient at
    /// a one-hot action, which `st-gumbel` uses, carried almost no information on FrozenLake).
    public static let activationSetting = Setting(key: "critic_activation", choice: Activation.relu.rawValue,
                                                  among: Activation.allCases.map(\.rawValue),
                                                  help: "hidden activation of the critic")
    /// `critic_steps`: Adam steps per update (default 10).
    public static let stepsSetting = Setting(key: "critic_steps", integer: 10, help: "critic Adam steps per update") {
        (0...100_000).contains($0) ? nil : "must be in 0...100000"
    }
    /// `critic_lr`: Adam's step size (default 0.01).
    public static let learningRateSetting = Setting(key: "critic_lr", number: 0.01, placeholder: "A",
                                                    help: "critic learning rate") { $0 > 0 ? nil : "must be positive" }
    /// `critic_decay`: how much of the previous batches' statistics the fit keeps (default 0.9).
    public static let decaySetting = Setting(key: "critic_decay", number: 0.9, placeholder: "B",
                                             help: "decay of the critic's memory of past batches (0: the last batch only)") {
        $0 >= 0 && $0 < 1 ? nil : "must be in [0, 1)"
    }
    /// Every critic setting, in help order.
    public static let settings = [hiddenSetting, activationSetting, stepsSetting, learningRateSetting, decaySetting]

    // MARK: State

    /// The network: features + actions inputs, one output.
    public let network: MLP
    /// The weights w, in ``MLP``'s layout.
    /// - Complexity: O(parameterCount); reading or setting them allocates (they are stored in
    ///   the one-hidden-layer passes' layout).
    public var parameters: [Double] {
        get { usesKernels ? Self.reordered(weights, network: network, toKernel: false) : weights }
        set {
            precondition(newValue.count == network.parameterCount, "critic weights of the wrong length")
            weights = usesKernels ? Self.reordered(newValue, network: network, toKernel: true) : newValue
            Self.copyRows(of: weights, network: network, into: &rows)
        }
    }
    /// Storage of ``parameters``: ``MLP``'s layout, except that for a critic with one hidden
    /// layer (``usesKernels``) the first layer is stored by columns (entry `i · H + o` is
    /// W₁[o, i]), which the one-hidden-layer passes read and write contiguously. Adam works
    /// element by element, so the layout does not change its numbers.
    var weights: [Double]
    /// Whether the one-hidden-layer passes (Critic+Kernels.swift) apply: one hidden layer, one output.
    let usesKernels: Bool
    /// Number of Adam steps per batch.
    public var fitSteps: Int
    /// Adam step size.
    public var learningRate: Double
    /// How much of the previous batches' statistics the fit keeps (0: the last batch only).
    public var memoryDecay: Double
    /// The state features.
    public let features: StateFeatures
    /// The memory, Adam's state and the fit's scratch, in one box copied on write.
    private var state: FitState
    /// W₁ by rows (``MLP``'s layout of the first layer), for ∇ₓQ; refreshed after each fit;
    /// empty for deeper critics, which take ``MLP``'s general passes.
    var rows: [Double] = []

    /// Creates a critic with the settings in `values` (defaults for the others), its hidden
    /// weights drawn from `rng`.
    public init(features: StateFeatures, actionCount: Int, settings values: SettingValues, using rng: inout RandomStream) {
        let activation = Activation(rawValue: values.text(Self.activationSetting))!
        self.features = features
        network = MLP(inputs: features.count + actionCount, hidden: values.integers(Self.hiddenSetting), outputs: 1,
                      activation: activation)
        usesKernels = network.widths.count == 3 && network.widths[2] == 1
        weights = network.initialParameters(using: &rng)
        if usesKernels { weights = Self.reordered(weights, network: network, toKernel: true) }
        Self.copyRows(of: weights, network: network, into: &rows)
        var optimizer = Optimizer(kind: .adam, parameterCount: network.parameterCount)
        optimizer.foldsBiasCorrection = true
        state = FitState(optimizer: optimizer)
        fitSteps = values.integer(Self.stepsSetting)
        learningRate = values.number(Self.learningRateSetting)
        memoryDecay = values.number(Self.decaySetting)
    }

    /// The number of weights a critic of `values`' shape has (for memory estimates).
    public static func parameterCount(featureCount: Int, actionCount: Int, settings values: SettingValues) -> Int {
        MLP(inputs: featureCount + actionCount, hidden: values.integers(hiddenSetting), outputs: 1, activation: .relu).parameterCount
    }

    /// Q_w(s, x) and, if `gradient` is given, ∇ₓ Q_w(s, x) written into it (through ``MLP``'s
    /// general passes when `generalPasses`, else the one-hidden-layer passes where they apply:
    /// the same numbers).
    /// - Parameters:
    ///   - features: x(s), the row of state s.
    ///   - x: the action encoding (length A).
    /// - Complexity: one forward (and backward) pass; allocates nothing.
    @usableFromInline func evaluate(features: FeatureRow, action x: UnsafeBufferPointer<Double>,
                         gradient: UnsafeMutableBufferPointer<Double>?, generalPasses: Bool = false) -> Double {
        if !generalPasses && usesKernels { return evaluateOneHidden(features: features, action: x, gradient: gradient) }
        let input = MLPInput(features: features, extra: x)
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: network.hiddenCount + 2) { s in
            let hidden = UnsafeMutableBufferPointer(rebasing: s[0..<network.hiddenCount])
            let out = UnsafeMutableBufferPointer(rebasing: s[network.hiddenCount..<(network.hiddenCount + 1)])
            let one = UnsafeMutableBufferPointer(rebasing: s[(network.hiddenCount + 1)..<(network.hiddenCount + 2)])
            parameters.withUnsafeBufferPointer { p in
                network.forward(p, input: input, output: out, hidden: hidden)
                if let gradient {
                    one[0] = 1
                    network.backward(p, input: input, hidden: UnsafeBufferPointer(hidden), cotangent: UnsafeBufferPointer(one),
                                     gradient: nil, extraCotangent: gradient)
                }
            }
            return out[0]
        }
    }

    /// Adds a batch's per-(s, a) counts and return sums to the decaying memory, then fits
    /// Q_w(s, e_a) to the remembered means, weighted by the remembered counts.
    /// Stops after the current step when ``Cancellation`` is requested.
    /// - Complexity: ``fitSteps`` × (state-action pairs seen) forward and backward passes.
    public mutating func fit(visits batchVisits: [Double], returnSum batchReturns: [Double], actionCount a: Int) {
        fit(visits: batchVisits, returnSum: batchReturns, actionCount: a, generalPasses: false)
    }

    /// ``fit(visits:returnSum:actionCount:)`` through ``MLP``'s general passes even where the
    /// one-hidden-layer passes apply (`generalPasses`): the reference the tests hold them to.
    mutating func fit(visits batchVisits: [Double], returnSum batchReturns: [Double], actionCount a: Int, generalPasses: Bool) {
        if !isKnownUniquelyReferenced(&state) { state = state.copy() }
        let st = state
        if st.memoryVisits.count != batchVisits.count {
            st.memoryVisits = [Double](repeating: 0, count: batchVisits.count)
            st.memoryReturns = st.memoryVisits
        }
        for k in batchVisits.indices {
            st.memoryVisits[k] = memoryDecay * st.memoryVisits[k] + batchVisits[k]
            st.memoryReturns[k] = memoryDecay * st.memoryReturns[k] + batchReturns[k]
        }
        let visits = st.memoryVisits, returnSum = st.memoryReturns
        let total = visits.reduce(0, +)
        guard total > 0 else { return }
        if !generalPasses && usesKernels { return fitOneHidden(total: total, actionCount: a) }
        let net = network
        let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: a + net.hiddenCount + 2)
        defer { scratch.deallocate() }
        let action = UnsafeMutableBufferPointer(rebasing: scratch[0..<a])
        let hidden = UnsafeMutableBufferPointer(rebasing: scratch[a..<(a + net.hiddenCount)])
        let out = UnsafeMutableBufferPointer(rebasing: scratch[(a + net.hiddenCount)...].prefix(1))
        let cot = UnsafeMutableBufferPointer(rebasing: scratch[(a + net.hiddenCount + 1)...])
        var grad = [Double](repeating: 0, count: weights.count)
        features.withRows { rows in
            for _ in 0..<fitSteps {
                if Cancellation.isRequested { break }  // the run is stopping: a partial fit is fine
                for i in grad.indices { grad[i] = 0 }
                parameters.withUnsafeBufferPointer { p in
                    grad.withUnsafeMutableBufferPointer { g in
                        for k in visits.indices where visits[k] > 0 {
                            let s = k / a, act = k % a
                            for j in 0..<a { action[j] = j == act ? 1 : 0 }
                            let input = MLPInput(features: rows[s], extra: UnsafeBufferPointer(action))
                            net.forward(p, input: input, output: out, hidden: hidden)
                            // Descend ½ Σ n (Q − Ḡ)² / Σ n, i.e. ascend along −(n Q − Σ G) / Σ n.
                            cot[0] = -(visits[k] * out[0] - returnSum[k]) / total
                            net.backward(p, input: input, hidden: UnsafeBufferPointer(hidden),
                                         cotangent: UnsafeBufferPointer(cot), gradient: g, extraCotangent: nil)
                        }
                    }
                }
                let g = usesKernels ? Self.reordered(grad, network: network, toKernel: true) : grad
                st.optimizer.step(&weights, gradient: g, learningRate: learningRate)
            }
        }
        Self.copyRows(of: weights, network: network, into: &rows)
    }

    /// ``fit(visits:returnSum:actionCount:)``'s steps through the one-hidden-layer passes: the
    /// same numbers, the scratch kept between batches.
    private mutating func fitOneHidden(total: Double, actionCount a: Int) {
        let h = network.widths[1], st = state
        st.pairs.removeAll(keepingCapacity: true)
        for k in st.memoryVisits.indices where st.memoryVisits[k] > 0 { st.pairs.append(k) }
        if st.hidden.count < st.pairs.count * (h + 1) { st.hidden = [Double](repeating: 0, count: st.pairs.count * (h + 1)) }
        if st.gradient.count != weights.count { st.gradient = [Double](repeating: 0, count: weights.count) }
        let pairs = st.pairs, visits = st.memoryVisits, returnSum = st.memoryReturns
        features.withRows { rows in
            for _ in 0..<fitSteps {
                if Cancellation.isRequested { break }  // the run is stopping: a partial fit is fine
                pairs.withUnsafeBufferPointer { pp in
                    visits.withUnsafeBufferPointer { vp in
                        returnSum.withUnsafeBufferPointer { rp in
                            st.hidden.withUnsafeMutableBufferPointer { hp in
                                st.gradient.withUnsafeMutableBufferPointer { gp in
                                    fitGradientOneHidden(pairs: pp, visits: vp, returnSum: rp, total: total, actionCount: a, rows: rows,
                                                         hidden: hp.baseAddress!, into: gp.baseAddress!)
                                }
                            }
                        }
                    }
                }
                st.optimizer.step(&weights, gradient: st.gradient, learningRate: learningRate)
            }
        }
        Self.copyRows(of: weights, network: network, into: &rows)
    }

    /// What a critic carries from one fit to the next besides its weights: the decaying memory
    /// of per-(s, a) counts and return sums, Adam's moments, and the fit's scratch (the
    /// remembered pairs, their hidden activations and outputs, the gradient). One reference,
    /// copied when a fit finds it shared, so that copying a critic (the rollout copies its
    /// estimator for every block of episodes) touches one reference count instead of seven.
    final class FitState: @unchecked Sendable {
        // Unchecked: mutated only by `fit`, after a uniqueness check.
        var optimizer: Optimizer
        var memoryVisits: [Double] = [], memoryReturns: [Double] = []
        var pairs: [Int] = [], hidden: [Double] = [], gradient: [Double] = []

        init(optimizer: Optimizer) { self.optimizer = optimizer }

        /// A box of its own with the same contents.
        func copy() -> FitState {
            let c = FitState(optimizer: optimizer)
            (c.memoryVisits, c.memoryReturns) = (memoryVisits, memoryReturns)
            (c.pairs, c.hidden, c.gradient) = (pairs, hidden, gradient)
            return c
        }
    }
}
