/// Everything a sweep of one variant measured, in a form that merges exactly across shards:
/// per-iteration ``RunningMoments`` of every metric, and the per-seed finals keyed by seed index.
///
/// A shard's aggregate and the whole sweep's differ only in which seeds they hold. Merging
/// shards combines the curves with Chan's pairwise formula (equal to the unsharded curves up to
/// rounding, about 1e-15 relative) and interleaves the per-seed values by seed index, so the
/// finals, their mean and SE, and the iterations-to-threshold statistics are exactly those of
/// the unsharded sweep.
public struct SweepAggregate: Sendable, Equatable {
    /// The variant's label.
    public var label: String
    /// Learning curves over the seeds held.
    public var curves: CurveAccumulator
    /// The seeds' indices in the sweep's seed list, ascending.
    public var seedIndices: [Int]
    /// The seeds, in the same order.
    public var seeds: [UInt64]
    /// Final exact J (or final mean return when J is unknown) per seed.
    public var finals: [Double]
    /// First iteration at which each seed reached the threshold (nil: never, or no threshold).
    public var iterationsToThreshold: [Int?]
    /// Each seed's trace (``SeedTrace``), in the same order; empty when not recorded (files of
    /// earlier versions).
    public var traces: [SeedTrace]
    /// Each seed's optimum J* (NaN where unknown), in the same order; empty when not recorded.
    public var optima: [Double]
    /// Wall-clock seconds spent (summed over shards).
    public var seconds: Double

    /// Creates an aggregate from its parts.
    /// - Precondition: the per-seed arrays have the same length (`traces` and `optima` may be empty).
    public init(label: String, curves: CurveAccumulator, seedIndices: [Int], seeds: [UInt64], finals: [Double],
                iterationsToThreshold: [Int?], traces: [SeedTrace] = [], optima: [Double] = [], seconds: Double) {
        precondition(seeds.count == seedIndices.count && finals.count == seeds.count
                     && iterationsToThreshold.count == seeds.count, "per-seed arrays must have the same length")
        precondition((traces.isEmpty || traces.count == seeds.count) && (optima.isEmpty || optima.count == seeds.count),
                     "traces and optima: one per seed, or none")
        self.traces = traces
        self.optima = optima
        self.label = label
        self.curves = curves
        self.seedIndices = seedIndices
        self.seeds = seeds
        self.finals = finals
        self.iterationsToThreshold = iterationsToThreshold
        self.seconds = seconds
    }

    /// The aggregate of a ``SeedSweep`` result whose seeds had indices `seedIndices`.
    /// - Precondition: one index per seed of `result`.
    public init(_ result: SweepResult, seedIndices: [Int]) {
        self.init(label: result.label, curves: result.curves, seedIndices: seedIndices, seeds: result.seeds,
                  finals: result.finals, iterationsToThreshold: result.iterationsToThreshold, traces: result.traces,
                  optima: result.optima, seconds: result.seconds)
    }

    /// Adds the seeds of another shard of the same variant.
    /// - Throws: ``InputError`` if the curves have different lengths or a seed index is held by both.
    public mutating func merge(_ other: SweepAggregate) throws {
        guard other.curves.iterations == curves.iterations else {
            throw InputError("cannot merge '\(label)': curves of \(curves.iterations) and \(other.curves.iterations) iterations")
        }
        if !Set(seedIndices).isDisjoint(with: other.seedIndices) {
            throw InputError("cannot merge '\(label)': the same seed appears in two files (a shard given twice?)")
        }
        curves.merge(other.curves)
        let idx = seedIndices + other.seedIndices, s = seeds + other.seeds
        let order = idx.indices.sorted { idx[$0] < idx[$1] }
        let f = finals + other.finals, h = iterationsToThreshold + other.iterationsToThreshold
        // Traces and optima survive a merge only when both sides have them.
        let t = traces.count == seeds.count && other.traces.count == other.seeds.count ? traces + other.traces : nil
        let o = optima.count == seeds.count && other.optima.count == other.seeds.count ? optima + other.optima : nil
        seedIndices = order.map { idx[$0] }
        seeds = order.map { s[$0] }
        finals = order.map { f[$0] }
        iterationsToThreshold = order.map { h[$0] }
        traces = t.map { t in order.map { t[$0] } } ?? []
        optima = o.map { o in order.map { o[$0] } } ?? []
        seconds += other.seconds
    }

    /// Mean, variance and SE of the finals, added in seed-index order (hence identical for a
    /// merged and an unsharded sweep).
    public var finalSummary: RunningMoments { RunningMoments(finals) }

    /// The fraction of seeds that reached the threshold (NaN with no seeds).
    public var reachedFraction: Double {
        seeds.isEmpty ? .nan : Double(iterationsToThreshold.filter { $0 != nil }.count) / Double(seeds.count)
    }

    /// The median over all seeds of the iterations to reach the threshold, counting a seed that
    /// never reached it as +∞; nil when the median is not reached (half or more never did).
    /// With an even count it is the mean of the two middle values.
    public var medianIterationsToThreshold: Double? {
        let n = iterationsToThreshold.count
        guard n > 0 else { return nil }
        let sorted = iterationsToThreshold.map { $0.map(Double.init) ?? .infinity }.sorted()
        let m = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        return m.isFinite ? m : nil
    }
}
