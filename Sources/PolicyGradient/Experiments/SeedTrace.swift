/// One seed's run summarised for paired and equal-cost comparisons: the level (exact J, or the
/// mean return where J is unknown) and the cost so far (episodes, environment steps, and
/// f evaluations where the estimator reports them) at fixed checkpoints, and the area under the
/// whole learning curve.
///
/// Checkpoints are ``checkpointCount`` updates spread evenly from the first to the last
/// (``checkpoints(iterations:)``), the same for every seed and variant of a sweep, so that two
/// variants' traces of one seed pair up point by point. The level at a checkpoint is the latest
/// measured at or before it (exact J is measured on a budget in long multi-step runs, see
/// ``ExactJSchedule``); the cost counts the checkpoint's own update.
public struct SeedTrace: Sendable, Equatable {
    /// The most checkpoints of a trace (64).
    public static let checkpointCount = 64

    /// The level at each checkpoint (NaN before the first measurement).
    public var level: [Double]
    /// Episodes run up to and including each checkpoint's update.
    public var episodes: [Double]
    /// Environment steps up to and including each checkpoint's update.
    public var steps: [Double]
    /// f evaluations (episodes, their branches and extra samples) up to each checkpoint, where the
    /// estimator reports them; nil otherwise.
    public var evaluations: [Double]?
    /// The mean level over the run: the trapezoidal area under the measured levels divided by
    /// the span of updates they cover (the level itself with one measurement; NaN with none).
    public var area: Double

    /// Creates a trace from its parts.
    public init(level: [Double], episodes: [Double], steps: [Double], evaluations: [Double]? = nil, area: Double) {
        self.level = level
        self.episodes = episodes
        self.steps = steps
        self.evaluations = evaluations
        self.area = area
    }

    /// The checkpoint updates of a run of `iterations` updates: min(64, iterations) indices
    /// spread evenly over 0 ..< iterations, the last update included.
    public static func checkpoints(iterations: Int) -> [Int] {
        guard iterations > 0 else { return [] }
        let n = min(checkpointCount, iterations)
        if n == 1 { return [iterations - 1] }
        return (0..<n).map { ($0 * (iterations - 1) + (n - 1) / 2) / (n - 1) }
    }

    /// Builds a trace update by update.
    public struct Recorder: Sendable {
        let checkpoints: [Int]
        var next = 0
        var trace: SeedTrace
        var lastLevel = Double.nan, episodes = 0.0, steps = 0.0
        var areaSum = 0.0, first: Int?, last: Int?, lastValue = Double.nan

        /// A recorder for a run of `iterations` updates.
        public init(iterations: Int) {
            checkpoints = SeedTrace.checkpoints(iterations: iterations)
            trace = SeedTrace(level: [], episodes: [], steps: [], area: .nan)
            trace.level.reserveCapacity(checkpoints.count)
            trace.episodes.reserveCapacity(checkpoints.count)
            trace.steps.reserveCapacity(checkpoints.count)
        }

        /// Adds update `iteration`: its level (nil when not measured) and its batch's episodes and steps.
        /// - Complexity: O(1); allocates nothing beyond the reserved capacity.
        public mutating func record(iteration k: Int, level: Double?, episodes batchEpisodes: Double, steps batchSteps: Double) {
            episodes += batchEpisodes
            steps += batchSteps
            if let level, level.isFinite {
                if let l = last { areaSum += 0.5 * (lastValue + level) * Double(k - l) } else { first = k }
                last = k
                lastValue = level
                lastLevel = level
            }
            while next < checkpoints.count, checkpoints[next] == k {
                trace.level.append(lastLevel)
                trace.episodes.append(episodes)
                trace.steps.append(steps)
                next += 1
            }
        }

        /// Adds the update of a training record (level: exact J where `exact`, else the mean return).
        public mutating func record(_ r: IterationRecord, exact: Bool) {
            let batch = Double(r.episodes) - episodes
            record(iteration: r.iteration, level: exact ? r.exactJ : r.meanReturn, episodes: batch,
                   steps: r.meanLength * batch)
        }

        /// The finished trace.
        public func finish() -> SeedTrace {
            var t = trace
            if let f = first, let l = last { t.area = l > f ? areaSum / Double(l - f) : lastValue }
            return t
        }
    }

    /// The trace of a seed whose updates each ran `episodes` one-step episodes, from its values
    /// (as ``GradientBanditKernel`` writes them: exact J where `exact`, else the mean return).
    ///
    /// The same numbers as a ``Recorder`` fed update by update, in one pass over the values:
    /// every update has the same cost (`episodes` one-step episodes), so the cost at update k is
    /// `episodes · (k + 1)`, which the recorder's running sum of whole numbers equals exactly.
    /// - Complexity: O(iterations); allocates the trace's three arrays only.
    public static func oneStep(_ values: CurveAccumulator.SeedValues, iterations: Int, episodes: Int, exact: Bool) -> SeedTrace {
        let checkpoints = checkpoints(iterations: iterations)
        var trace = SeedTrace(level: [], episodes: [], steps: [], area: .nan)
        trace.level.reserveCapacity(checkpoints.count)
        trace.episodes.reserveCapacity(checkpoints.count)
        trace.steps.reserveCapacity(checkpoints.count)
        let n = CurveAccumulator.metrics.count, column = exact ? 1 : 0, perUpdate = Double(episodes)
        var areaSum = 0.0, first = -1, last = -1, lastValue = Double.nan
        values.values.withUnsafeBufferPointer { v in
            let values = v.baseAddress! + column
            // Locals for the loop (a nested function's captured state would live in memory).
            var sum = 0.0, f = -1, l = -1, lv = Double.nan, k = 0
            /// Takes updates k ..< end into the area.
            @inline(__always) func advance(to end: Int) {
                var s = sum, fi = f, la = l, v = lv, i = k
                while i < end {
                    let level = values[i &* n]
                    i &+= 1
                    guard level.isFinite else { continue }
                    if la >= 0 { s += 0.5 * (v + level) * Double(i &- 1 &- la) } else { fi = i &- 1 }
                    v = level
                    // The run of finite levels that follows, each one update after the last: there
                    // the factor Double(1) is exact and left out (the same sum, bit for bit).
                    // Two levels a turn, then the one left.
                    var p = values + i &* n
                    let stop = values + end &* n
                    while p + n < stop {
                        let a = p.pointee, b = p[n]
                        guard a.isFinite else { break }
                        s += 0.5 * (v + a)
                        guard b.isFinite else { v = a; p += n; break }
                        s += 0.5 * (a + b)
                        v = b
                        p += 2 &* n
                    }
                    if p < stop, p.pointee.isFinite {
                        s += 0.5 * (v + p.pointee)
                        v = p.pointee
                        p += n
                    }
                    i = (p - values) / n
                    la = i &- 1
                }
                (sum, f, l, lv, k) = (s, fi, la, v, i)
            }
            for c in checkpoints {  // ascending
                advance(to: c + 1)
                let cost = perUpdate * Double(c + 1)
                trace.level.append(lv)
                trace.episodes.append(cost)
                trace.steps.append(cost)
            }
            advance(to: iterations)
            (areaSum, first, last, lastValue) = (sum, f, l, lv)
        }
        if first >= 0 { trace.area = last > first ? areaSum / Double(last - first) : lastValue }
        return trace
    }
}
