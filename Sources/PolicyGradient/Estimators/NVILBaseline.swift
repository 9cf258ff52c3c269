/// The NVIL baseline and signal of Mnih & Gregor, "Neural Variational Inference and Learning
/// in Belief Networks" (ICML 2014), §3.
///
/// The learning signal of step t is l = (G_t − b̄ − c_ψ(s_t)) / max(1, σ̂), where b̄ is an
/// exponential moving average of returns, c_ψ(s) = ψ · x(s) is a learned input-dependent
/// baseline (tabular when the features are one-hot, else linear in the features), trained by
/// SGD to minimise (G − b̄ − c_ψ(s))², and σ̂² an exponential moving average of the variance of
/// the centred signal. All three are updated only after the batch's gradient is formed.
public struct NVILBaseline: Sendable, Equatable {
    /// b̄: the moving average of returns.
    public private(set) var center: MovingAverageBaseline
    /// ψ, one weight per feature.
    public private(set) var weights: [Double]
    /// σ̂², the moving average of the centred signal's variance.
    public private(set) var variance: Double = 0
    /// Step size of ψ's SGD.
    public var learningRate: Double
    /// Decay of the b̄ and σ̂² averages.
    public var decay: Double
    private var seenVariance = false

    /// Creates the baseline for `featureCount` features.
    public init(featureCount: Int, decay: Double = 0.9, learningRate: Double = 0.1) {
        center = MovingAverageBaseline(kind: .exponential, decay: decay)
        weights = [Double](repeating: 0, count: featureCount)
        self.learningRate = learningRate
        self.decay = decay
    }

    /// 1 / max(1, σ̂): the factor that normalises the signal.
    public var scale: Double { 1 / max(1, variance.squareRoot()) }

    /// c_ψ(s) for every state, given the feature matrix (row-major S × F).
    public func stateValues(features: [Double], stateCount: Int) -> [Double] {
        var out: [Double] = []
        stateValues(features: features, into: &out)
        return out
    }

    /// Writes c_ψ(s) for every state into `out` (resized to S = features.count / F).
    /// - Complexity: O(S · F); allocates only when `out` has the wrong size.
    public func stateValues(features: [Double], into out: inout [Double]) {
        let f = weights.count, states = features.count / max(f, 1)
        if out.count != states { out = [Double](repeating: 0, count: states) }
        for s in 0..<states {
            var c = 0.0
            for j in 0..<f { c += weights[j] * features[s * f + j] }
            out[s] = c
        }
    }

    /// Updates b̄, ψ and σ̂² from per-state sufficient statistics of the batch's returns.
    /// - Parameters:
    ///   - visits: n_s, the number of steps taken in state s.
    ///   - returnSum: Σ G_t over those steps; `returnSquareSum`: Σ G_t².
    ///   - features: the feature matrix, row-major S × F.
    public mutating func update(visits: [Double], returnSum: [Double], returnSquareSum: [Double],
                                features: [Double]) {
        let n = visits.reduce(0, +)
        guard n > 0 else { return }
        let c = stateValues(features: features, stateCount: visits.count)
        let b = center.value, f = weights.count
        // Residuals r = G − b̄ − c(s): Σ r, Σ r², and ∂/∂ψ of the mean squared residual.
        var sum = 0.0, squares = 0.0
        var grad = [Double](repeating: 0, count: f)
        for s in visits.indices where visits[s] > 0 {
            let shift = b + c[s]
            let r = returnSum[s] - visits[s] * shift
            sum += r
            squares += returnSquareSum[s] - 2 * shift * returnSum[s] + visits[s] * shift * shift
            for j in 0..<f { grad[j] += r * features[s * f + j] }
        }
        let batchVariance = max(0, squares / n - (sum / n) * (sum / n))
        variance = seenVariance ? decay * variance + (1 - decay) * batchVariance : batchVariance
        seenVariance = true
        for j in 0..<f { weights[j] += learningRate * grad[j] / n }
        center.update(sum: returnSum.reduce(0, +), count: n)
    }
}
