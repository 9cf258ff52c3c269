/// The `ema` baseline: a moving average of past returns, b_t = b for every step.
///
/// ``value`` is used while a batch's gradient is formed; ``update(sum:count:)`` is called only
/// afterwards, so b never depends on the actions it multiplies and REINFORCE stays unbiased.
public struct MovingAverageBaseline: Sendable, Equatable {
    /// Exponential decay β or the plain running mean.
    public var kind: AverageKind
    /// The decay β of the exponential average (default 0.9).
    public var decay: Double
    /// The current baseline b (0 before any data).
    public private(set) var value: Double = 0
    /// Number of returns seen so far.
    public private(set) var count: Double = 0

    /// Creates the baseline.
    /// - Precondition: 0 ≤ decay < 1.
    public init(kind: AverageKind = .exponential, decay: Double = 0.9) {
        precondition(decay >= 0 && decay < 1, "decay must be in [0, 1)")
        self.kind = kind
        self.decay = decay
    }

    /// Folds in a batch of returns given by their sum and count.
    public mutating func update(sum: Double, count n: Double) {
        guard n > 0 else { return }
        switch kind {
        case .exponential:
            value = count == 0 ? sum / n : decay * value + (1 - decay) * (sum / n)
        case .mean:
            value += (sum - n * value) / (count + n)
        }
        count += n
    }
}
