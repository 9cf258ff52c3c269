/// The `ema` baseline: an exponential moving average of past returns, b_t = b for every step.
///
/// After each batch, b ← β b + (1 − β) Ḡ with Ḡ the batch's mean return-to-go over steps,
/// starting from the first batch's mean. ``value(in:episode:step:)`` is used while a batch's
/// gradient is formed and ``update(after:table:)`` only afterwards, so REINFORCE stays unbiased.
public struct ExponentialMovingAverage: Baseline, Equatable {
    /// `decay`: β of the exponential averages (default 0.9).
    public static let decaySetting = Setting(key: "decay", number: 0.9, placeholder: "B",
                                             help: "decay of the moving averages (ema; nvil's mean and variance)") {
        $0 >= 0 && $0 < 1 ? nil : "must be in [0, 1)"
    }

    /// The decay β.
    public let decay: Double
    /// The current baseline b (0 before any data).
    public private(set) var value: Double = 0
    /// Number of returns seen so far.
    public private(set) var count: Double = 0

    /// Creates the baseline.
    /// - Precondition: 0 ≤ decay < 1.
    public init(decay: Double) {
        precondition(decay >= 0 && decay < 1, "decay must be in [0, 1)")
        self.decay = decay
    }

    /// b.
    @inlinable public func value(in group: EpisodeGroup, episode j: Int, step t: Int) -> Double { value }

    /// Folds in a batch's returns given by their sum and count.
    public mutating func update(sum: Double, count n: Double) {
        guard n > 0 else { return }
        value = count == 0 ? sum / n : decay * value + (1 - decay) * (sum / n)
        count += n
    }

    /// Folds in the batch's returns-to-go (one per step).
    public mutating func update(after batch: BatchAccumulator, table: PolicyTable) {
        update(sum: batch.returnSum.reduce(0, +), count: Double(batch.steps))
    }

    /// b, logged as `baseline`.
    public var loggedValue: Double? { value }
    /// The returns-to-go it averages.
    public var statistics: BatchStatistics { .returnSums }
    /// The average, for every step.
    public var batchValue: Double? { value }
}

extension ExponentialMovingAverage {
    /// `ema`: REINFORCE with an exponential moving average of returns.
    public static let descriptor = EstimatorDescriptor(
        name: "ema", summary: "REINFORCE, exponential moving average of returns as baseline", isBaseline: true,
        claim: .unbiased, settings: [decaySetting]) { _, v in
        Reinforce(baseline: ExponentialMovingAverage(decay: v.number(decaySetting)))
    }
}
