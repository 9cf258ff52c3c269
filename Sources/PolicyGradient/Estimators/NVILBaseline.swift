/// The NVIL baseline and signal of Mnih & Gregor, "Neural Variational Inference and Learning
/// in Belief Networks" (ICML 2014), §3.
///
/// The learning signal of step t is l = (G_t − b̄ − c_ψ(s_t)) / max(1, σ̂), where b̄ is an
/// exponential moving average of returns, c_ψ(s) = ψ · x(s) is a learned input-dependent
/// baseline (tabular when the features are one-hot, else linear in the features), trained by
/// SGD to minimise (G − b̄ − c_ψ(s))², and σ̂² an exponential moving average of the variance of
/// the centred signal. All three are updated only after the batch's gradient is formed. The
/// normalisation 1/max(1, σ̂) only rescales the step (``scale``); `pg variance` measures the
/// estimator un-normalised, as an estimator of ∇J.
public struct NVILBaseline: Baseline, Equatable {
    /// `nvil_lr`: the step size of ψ's SGD (default 0.1).
    public static let learningRateSetting = Setting(key: "nvil_lr", number: 0.1, placeholder: "A",
                                                    help: "learning rate of nvil's c_psi(s)") {
        $0 > 0 ? nil : "must be positive"
    }

    /// b̄: the moving average of returns.
    public private(set) var center: ExponentialMovingAverage
    /// ψ, one weight per feature.
    public private(set) var weights: [Double]
    /// σ̂², the moving average of the centred signal's variance.
    public private(set) var variance: Double = 0
    /// Step size of ψ's SGD.
    public let learningRate: Double
    /// Decay of the b̄ and σ̂² averages.
    public let decay: Double
    /// The state features x(s).
    public let features: StateFeatures
    private var seenVariance = false
    /// c_ψ(s) per state, refreshed by ``prepare(table:)``.
    private var stateValueCache: [Double] = []

    /// Creates the baseline on `features`.
    public init(features: StateFeatures, decay: Double, learningRate: Double) {
        center = ExponentialMovingAverage(decay: decay)
        weights = [Double](repeating: 0, count: features.count)
        self.learningRate = learningRate
        self.decay = decay
        self.features = features
    }

    /// 1 / max(1, σ̂): NVIL's normalisation of the signal.
    /// - Complexity: O(1).
    @inlinable
    public static func normalisation(variance: Double) -> Double { 1 / max(1, variance.squareRoot()) }

    /// ``normalisation(variance:)`` of the current σ̂².
    public var scale: Double { Self.normalisation(variance: variance) }

    /// c_ψ(s) = ψ · x(s) for every state.
    /// - Complexity: O(S) for one-hot features, O(S · F) for dense ones.
    public func stateValues() -> [Double] {
        features.withRows { rows in
            (0..<features.stateCount).map { s in
                var c = 0.0
                rows[s].forEachNonZero { j, x in c += weights[j] * x }
                return c
            }
        }
    }

    /// Refreshes the per-state values c_ψ(s) used during the batch.
    public mutating func prepare(table: PolicyTable) { stateValueCache = stateValues() }

    /// b̄ + c_ψ(s_t).
    @inlinable public func value(in group: EpisodeGroup, episode j: Int, step t: Int) -> Double {
        center.value + stateValue(group.state(j, t))
    }

    /// c_ψ(s) from the batch's cache.
    @usableFromInline func stateValue(_ s: Int) -> Double { stateValueCache[s] }

    /// Updates b̄, ψ and σ̂² from the batch's per-state sufficient statistics of the returns.
    public mutating func update(after batch: BatchAccumulator, table: PolicyTable) {
        let a = batch.visits.count / max(batch.scoreTotal.count, 1)
        update(visits: batch.stateVisits(actionCount: a), returnSum: batch.stateReturnSums(actionCount: a),
               returnSquareSum: batch.returnSquareSum)
    }

    /// Updates b̄, ψ and σ̂² from per-state sufficient statistics: n_s steps in state s, Σ G_t and
    /// Σ G_t² over them.
    public mutating func update(visits: [Double], returnSum: [Double], returnSquareSum: [Double]) {
        let n = visits.reduce(0, +)
        guard n > 0 else { return }
        let c = stateValues()
        let b = center.value, f = weights.count
        // Residuals r = G − b̄ − c(s): Σ r, Σ r², and ∂/∂ψ of the mean squared residual.
        var sum = 0.0, squares = 0.0
        var grad = [Double](repeating: 0, count: f)
        features.withRows { rows in
            for s in visits.indices where visits[s] > 0 {
                let shift = b + c[s]
                let r = returnSum[s] - visits[s] * shift
                sum += r
                squares += returnSquareSum[s] - 2 * shift * returnSum[s] + visits[s] * shift * shift
                rows[s].forEachNonZero { j, x in grad[j] += r * x }
            }
        }
        let batchVariance = max(0, squares / n - (sum / n) * (sum / n))
        variance = seenVariance ? decay * variance + (1 - decay) * batchVariance : batchVariance
        seenVariance = true
        for j in 0..<f { weights[j] += learningRate * grad[j] / n }
        center.update(sum: returnSum.reduce(0, +), count: n)
    }

    /// b̄, logged as `baseline`.
    public var loggedValue: Double? { center.value }
}

extension NVILBaseline {
    /// `nvil`: REINFORCE centred by an average and a learned c_ψ(s), variance-normalised in
    /// training (the normalisation rescales the step; `pg variance` measures it un-normalised).
    public static let descriptor = EstimatorDescriptor(
        name: "nvil", summary: "REINFORCE, NVIL: centred by an average and a learned c_psi(s), variance-normalised (Mnih & Gregor 2014)",
        isBaseline: true, claim: .unbiased, settings: [ExponentialMovingAverage.decaySetting, learningRateSetting]) { c, v in
        Reinforce(baseline: NVILBaseline(features: c.features, decay: v.number(ExponentialMovingAverage.decaySetting),
                                         learningRate: v.number(learningRateSetting)))
    }
}
