/// The `mean` baseline: the plain running mean R̄ of all returns seen (Sutton & Barto,
/// "Reinforcement Learning: An Introduction", 2nd ed., 2018, §2.8, the gradient bandit's R̄),
/// with the three conventions for what R̄ holds when it is used:
///
/// * ``Convention/bookCode`` — the book's own code (and Figure 2.5): R̄ is updated with the
///   current reward *before* the preference update, R̄_t = (R_1 + … + R_t)/t, so the very first
///   step has zero signal. The baseline then includes the reward it multiplies, so it depends on
///   the action: REINFORCE is biased (by a term of order 1/t; `pg variance` shows it).
/// * ``Convention/bookText`` — the book's eq. 2.12: R̄ excludes the current reward,
///   R̄_t = (R_1 + … + R_{t−1})/(t − 1), and starts with R̄_1 = R_1. Only the first update uses
///   the current reward (zero signal there); every later one is unbiased.
/// * ``Convention/zeroStart`` — R̄ excludes the current reward and starts at R̄_1 = 0: unbiased
///   from the first step, but with q* ≈ N(4, 1) the first update pushes a random arm up by about
///   α R_1 and locks it in (pg's convention before 0.2).
///
/// With batches, "the current reward" is the current batch's: R̄ is a mean over every step's
/// return-to-go seen, including (``Convention/bookCode``) the batch being formed. The part of b
/// that depends on the batch is applied once the batch is known, through
/// ``batchConstant(of:)``.
public struct RunningMeanBaseline: Baseline, Equatable {
    /// What R̄ holds when it is used.
    public enum Convention: String, Sendable, CaseIterable {
        /// Includes the current reward (the book's code and Figure 2.5).
        case bookCode = "book-code"
        /// Excludes it, R̄_1 = R_1 (the book's eq. 2.12).
        case bookText = "book-text"
        /// Excludes it, R̄_1 = 0.
        case zeroStart = "zero-start"
    }

    /// `convention`: which R̄ (default book-code, as the book's figure).
    public static let conventionSetting = Setting(
        key: "convention", choice: Convention.bookCode.rawValue, among: Convention.allCases.map(\.rawValue),
        help: "mean baseline's R-bar: book-code (includes the current reward, biased), book-text (eq. 2.12), zero-start")

    /// The convention.
    public let convention: Convention
    /// R̄ of the returns folded in so far (0 before any data).
    public private(set) var mean: Double = 0
    /// Number of returns folded in so far.
    public private(set) var count: Double = 0

    /// Creates the baseline.
    public init(convention: Convention) {
        self.convention = convention
    }

    /// The mean after adding `n` values summing to `sum` to `count` values of mean `mean`:
    /// mean + (sum − n·mean)/(count + n) (an incremental update, exact for any split of the data).
    @inlinable
    public static func updatedMean(_ mean: Double, count: Double, sum: Double, n: Double) -> Double {
        mean + (sum - n * mean) / (count + n)
    }

    /// The part of b known while the batch is formed: R̄ of the earlier batches, except where the
    /// convention takes the batch itself (``batchConstant(of:)``).
    @inlinable public func value(in group: EpisodeGroup, episode j: Int, step t: Int) -> Double { stepValue }

    /// The value of every step before the batch constant: R̄ (zero-start), R̄ once there is one
    /// (book-text), 0 (book-code, whose R̄ is all batch constant).
    @inlinable public var stepValue: Double {
        switch convention {
        case .zeroStart: return mean
        case .bookText: return count == 0 ? 0 : mean
        case .bookCode: return 0
        }
    }

    /// ``stepValue``, the same for every step.
    public var batchValue: Double? { stepValue }

    /// The batch-dependent part: the mean including this batch (book-code), or this batch's mean
    /// on the first batch (book-text).
    public func batchConstant(of batch: BatchAccumulator) -> Double? {
        constant(sum: batch.returnSum.reduce(0, +), count: Double(batch.steps))
    }

    /// ``batchConstant(of:)`` of a batch of `n` steps whose returns-to-go sum to `sum`.
    func constant(sum: Double, count n: Double) -> Double? {
        switch convention {
        case .zeroStart: return nil
        case .bookText: return count == 0 && n > 0 ? sum / n : nil
        case .bookCode: return n > 0 ? Self.updatedMean(mean, count: count, sum: sum, n: n) : nil
        }
    }

    /// Whether a batch constant is ever used.
    public var hasBatchConstant: Bool { convention != .zeroStart }

    /// Folds the batch's returns-to-go into R̄.
    public mutating func update(after batch: BatchAccumulator, table: PolicyTable) {
        update(sum: batch.returnSum.reduce(0, +), count: Double(batch.steps))
    }

    /// Folds in `n` returns summing to `sum`.
    public mutating func update(sum: Double, count n: Double) {
        guard n > 0 else { return }
        mean = Self.updatedMean(mean, count: count, sum: sum, n: n)
        count += n
    }

    /// R̄ as used by the last batch is logged by ``Reinforce``; this is R̄ of the earlier batches.
    public var loggedValue: Double? { mean }
    /// The returns-to-go it averages.
    public var statistics: BatchStatistics { .returnSums }
}

extension RunningMeanBaseline {
    /// `mean`: REINFORCE with the running mean R̄ in one of the book's conventions: `book-code` is
    /// biased at every update (its R̄ includes the batch's own returns), `book-text` at the first
    /// update only (its R̄ is then the batch's own mean), `zero-start` never.
    public static let descriptor = EstimatorDescriptor(
        name: "mean", summary: "REINFORCE, running mean of returns (Sutton & Barto's R-bar) as baseline", isBaseline: true,
        claim: { v in
            switch Convention(rawValue: v.text(conventionSetting)) {
            case .bookCode?: return .biased(because: "R-bar includes the batch's own returns, so the baseline depends on the actions it multiplies (a bias of order 1/t)")
            case .bookText?: return .biased(because: "the first update's R-bar is its own batch's mean (unbiased from the second update on)")
            default: return .unbiased
            }
        },
        settings: [conventionSetting]) { _, v in
        Reinforce(baseline: RunningMeanBaseline(convention: Convention(rawValue: v.text(conventionSetting))!))
    }
}
