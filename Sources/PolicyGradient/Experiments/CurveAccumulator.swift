/// Per-iteration metrics aggregated over seeds (``RunningMoments`` per metric and iteration),
/// for mean ± standard-error learning curves. Accumulators are merged in a fixed order, so
/// results do not depend on the thread count.
public struct CurveAccumulator: Sendable, Equatable {
    /// The metrics tracked (JSONL field names), in column order.
    public static let metrics = ["mean_return", "exact_j", "optimal_action", "grad_norm", "grad_sq_error", "entropy"]
    /// Number of iterations (curve length).
    public let iterations: Int
    /// The summaries, metric-major: `moments[metric · iterations + iteration]`.
    var moments: [RunningMoments]

    /// Empty curves of `iterations` points.
    public init(iterations: Int) {
        self.iterations = iterations
        moments = [RunningMoments](repeating: RunningMoments(), count: iterations * CurveAccumulator.metrics.count)
    }

    /// The metric values of a record, in ``metrics`` order (nil where not measured).
    public static func values(of r: IterationRecord) -> [Double?] {
        [r.meanReturn, r.exactJ, r.optimalActionFraction, r.gradientNorm, r.gradientError, r.entropy]
    }

    /// Adds one seed's record at its iteration.
    /// - Complexity: O(1); allocates nothing.
    public mutating func add(_ r: IterationRecord) {
        let k = r.iteration, n = iterations
        guard k >= 0, k < n else { return }
        moments.withUnsafeMutableBufferPointer { m in
            @inline(__always) func put(_ metric: Int, _ v: Double?) {
                if let v, v.isFinite { m[metric * n + k].add(v) }
            }
            put(0, r.meanReturn)
            put(1, r.exactJ)
            put(2, r.optimalActionFraction)
            put(3, r.gradientNorm)
            put(4, r.gradientError)
            put(5, r.entropy)
        }
    }

    /// One seed's metric values, held until the seed completes (so that an abandoned seed
    /// never enters the curves): iterations × metrics doubles, NaN where not measured.
    public struct SeedValues: Sendable {
        /// The values, row-major: iteration k's metric m at `k · metrics.count + m`.
        public private(set) var values: [Double]

        /// Room for a seed of `iterations` updates.
        public init(iterations: Int) {
            values = [Double](repeating: .nan, count: iterations * CurveAccumulator.metrics.count)
        }

        /// Forgets the previous seed's values.
        /// - Complexity: O(iterations); allocates nothing.
        public mutating func clear() {
            for i in values.indices { values[i] = .nan }
        }

        /// Lends the values (row-major iterations × metrics, as ``record(_:)`` lays them out) to
        /// `body`, for a caller that forms them without records (``GradientBanditKernel``).
        mutating func withUnsafeMutableValues<R>(_ body: (UnsafeMutableBufferPointer<Double>) -> R) -> R {
            values.withUnsafeMutableBufferPointer { body($0) }
        }

        /// Holds the values of a record at its iteration (in ``CurveAccumulator/metrics`` order).
        /// - Complexity: O(metrics); allocates nothing.
        public mutating func record(_ r: IterationRecord) {
            let n = CurveAccumulator.metrics.count
            guard r.iteration >= 0, (r.iteration + 1) * n <= values.count else { return }
            values.withUnsafeMutableBufferPointer { v in
                let row = v.baseAddress! + r.iteration * n
                row[0] = r.meanReturn
                row[1] = r.exactJ ?? .nan
                row[2] = r.optimalActionFraction ?? .nan
                row[3] = r.gradientNorm
                row[4] = r.gradientError ?? .nan
                row[5] = r.entropy
            }
        }
    }

    /// Adds one completed seed's values: exactly as ``add(_:)`` of each of its records would.
    /// - Precondition: `seed` was made for as many iterations.
    public mutating func add(_ seed: SeedValues) {
        let n = CurveAccumulator.metrics.count
        precondition(seed.values.count == iterations * n, "a seed of another length")
        let iterations = iterations
        moments.withUnsafeMutableBufferPointer { moments in
            seed.values.withUnsafeBufferPointer { v in
                // Metric by metric, so the summaries are written in order (each gets one value
                // either way, so the order does not change a number).
                for m in 0..<n {
                    let summaries = moments.baseAddress! + m * iterations
                    var value = v.baseAddress! + m
                    for k in 0..<iterations {
                        if value.pointee.isFinite { summaries[k].add(value.pointee) }
                        value += n
                    }
                }
            }
        }
    }

    /// Adds one value of `metric` at `iteration` (used when merging logs).
    public mutating func add(_ value: Double, metric: String, iteration: Int) {
        guard let m = CurveAccumulator.metrics.firstIndex(of: metric), iteration < iterations, value.isFinite else { return }
        moments[m * iterations + iteration].add(value)
    }

    /// Merges a summary of `metric` at `iteration` (used when merging shard logs, which store
    /// each point's ``RunningMoments`` fields).
    public mutating func merge(_ summary: RunningMoments, metric: String, iteration: Int) {
        guard let m = CurveAccumulator.metrics.firstIndex(of: metric), iteration < iterations else { return }
        moments[m * iterations + iteration].merge(summary)
    }

    /// The summaries of `metric`, one per iteration (empty for an unknown metric).
    public func summaries(_ metric: String) -> [RunningMoments] {
        guard let m = CurveAccumulator.metrics.firstIndex(of: metric) else { return [] }
        return Array(moments[(m * iterations)..<((m + 1) * iterations)])
    }

    /// Adds another accumulator of the same length.
    public mutating func merge(_ o: CurveAccumulator) {
        precondition(o.iterations == iterations, "curves of different lengths")
        for i in moments.indices { moments[i].merge(o.moments[i]) }
    }

    /// Mean and standard error of `metric` at each iteration (nil where no seed reported it).
    public func curve(_ metric: String) -> [(mean: Double, standardError: Double)?] {
        guard let m = CurveAccumulator.metrics.firstIndex(of: metric) else { return [] }
        return moments[(m * iterations)..<((m + 1) * iterations)].map { $0.count > 0 ? ($0.mean, $0.count > 1 ? $0.standardError : 0) : nil }
    }
}
