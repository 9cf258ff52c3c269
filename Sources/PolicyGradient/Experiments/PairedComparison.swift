/// Paired comparisons of variants run on the same seeds: seed i of every variant of a sweep sees
/// the same environment instance (bandit10's testbed is drawn from the seed) and, where the
/// variants sample alike, the same random numbers (every draw descends from (seed, iteration,
/// episode)), so the per-seed difference of two variants cancels what the seeds share — the
/// testbed's optimum above all — and its mean has a far smaller standard error than the
/// difference of the two means.
///
/// For a per-seed quantity x (final J, J/J*, the area under the learning curve) the paired
/// difference of variant v against the reference r is d_i = x_{v,i} − x_{r,i} over the seeds i
/// both ran (pairs with a NaN are skipped); reported are its mean d̄, standard error
/// s_d/√n and the 95% confidence interval d̄ ± t_{0.975, n−1} s_d/√n (Student's t).
public enum PairedComparison {
    /// The confidence level of the intervals (0.95).
    public static let confidence = 0.95

    /// One paired difference.
    public struct Difference: Sendable, Equatable {
        /// What is compared (`final J`, `J/J*`, `area`, …).
        public var quantity: String
        /// n, the seeds paired.
        public var pairs: Int
        /// d̄.
        public var mean: Double
        /// s_d/√n (NaN for n < 2).
        public var standardError: Double
        /// The confidence interval's ends (NaN for n < 2).
        public var lower: Double, upper: Double

        /// The paired difference of `x` minus `reference`, element by element.
        /// - Precondition: the arrays have the same length.
        public init(quantity: String, _ x: [Double], minus reference: [Double]) {
            precondition(x.count == reference.count, "paired arrays must have the same length")
            let d = zip(x, reference).map { $0 - $1 }.filter(\.isFinite)
            let m = RunningMoments(d)
            self.quantity = quantity
            pairs = d.count
            mean = d.isEmpty ? .nan : m.mean
            standardError = m.standardError
            let t = d.count > 1
                ? GradientStatistics.studentQuantile(0.5 + PairedComparison.confidence / 2, degreesOfFreedom: Double(d.count - 1))
                : .nan
            lower = mean - t * standardError
            upper = mean + t * standardError
        }

        /// Whether the interval excludes 0: the comparison tells the two variants apart.
        public var separates: Bool { lower > 0 || upper < 0 }
    }

    /// The values of `v` and of `reference` on the seeds both ran, in seed-index order.
    static func paired(_ v: SweepAggregate, _ reference: SweepAggregate,
                       _ value: (SweepAggregate, Int) -> Double) -> ([Double], [Double]) {
        let position = Dictionary(reference.seedIndices.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var x: [Double] = [], y: [Double] = []
        for (i, index) in v.seedIndices.enumerated() {
            guard let j = position[index] else { continue }
            x.append(value(v, i))
            y.append(value(reference, j))
        }
        return (x, y)
    }

    /// The paired differences of `v` against `reference`: final level, final level over the
    /// seed's optimum J* (when every paired seed has J* > 0), and the area under the learning
    /// curve (when both recorded traces).
    /// - Parameter finalName: how the final level is called (`final J`, `final return`).
    /// - Complexity: O(seeds).
    public static func differences(_ v: SweepAggregate, reference: SweepAggregate, finalName: String = "final J") -> [Difference] {
        var out: [Difference] = []
        let (x, y) = paired(v, reference) { $0.finals[$1] }
        out.append(Difference(quantity: finalName, x, minus: y))
        if v.optima.count == v.seeds.count, reference.optima.count == reference.seeds.count {
            let (xo, _) = paired(v, reference) { $0.optima[$1] }
            if !xo.isEmpty, xo.allSatisfy({ $0 > 0 }) {
                out.append(Difference(quantity: "J/J*", zip(x, xo).map { $0 / $1 }, minus: zip(y, xo).map { $0 / $1 }))
            }
        }
        if v.traces.count == v.seeds.count, reference.traces.count == reference.seeds.count, !v.traces.isEmpty {
            let (xa, ya) = paired(v, reference) { $0.traces[$1].area }
            out.append(Difference(quantity: "area", xa, minus: ya))
        }
        return out
    }

    /// The paired difference curve: at each checkpoint (``SeedTrace/checkpoints(iterations:)``)
    /// the moments over seeds of level_v − level_r (empty without traces).
    public static func curve(_ v: SweepAggregate, reference: SweepAggregate) -> [RunningMoments] {
        guard v.traces.count == v.seeds.count, reference.traces.count == reference.seeds.count,
              let width = v.traces.first?.level.count else { return [] }
        var out = [RunningMoments](repeating: RunningMoments(), count: width)
        let position = Dictionary(reference.seedIndices.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        for (i, index) in v.seedIndices.enumerated() {
            guard let j = position[index], reference.traces[j].level.count == width else { continue }
            for k in 0..<width {
                let d = v.traces[i].level[k] - reference.traces[j].level[k]
                if d.isFinite { out[k].add(d) }
            }
        }
        return out
    }
}

extension PairedComparison {
    /// What a comparison at equal cost counts.
    public enum Cost: String, Sendable, CaseIterable {
        /// Updates (the plain comparison).
        case update
        /// Episodes run.
        case episode
        /// Environment steps.
        case step
        /// f evaluations (episodes, branches and extra samples), where the estimators report them.
        case evaluation
    }

    /// The cost of a trace at each checkpoint, in `unit` (nil when not recorded).
    public static func cost(_ t: SeedTrace, _ unit: Cost, iterations: Int) -> [Double]? {
        switch unit {
        case .update: return SeedTrace.checkpoints(iterations: iterations).map { Double($0 + 1) }
        case .episode: return t.episodes
        case .step: return t.steps
        case .evaluation: return t.evaluations
        }
    }

    /// The budget every run of `aggregates` reached: the least cost at the last checkpoint over
    /// every seed of every variant (nil without traces, or when a trace lacks the cost).
    public static func budget(_ aggregates: [SweepAggregate], _ unit: Cost, iterations: Int) -> Double? {
        var least = Double.infinity
        for g in aggregates where !g.seeds.isEmpty {
            guard g.traces.count == g.seeds.count else { return nil }
            for t in g.traces {
                guard let c = cost(t, unit, iterations: iterations)?.last else { return nil }
                least = min(least, c)
            }
        }
        return least.isFinite ? least : nil
    }

    /// The level at cost `budget`, interpolated linearly between checkpoints (the first
    /// checkpoint's level below its cost; NaN where a level is missing).
    public static func level(_ t: SeedTrace, costs c: [Double], at budget: Double) -> Double {
        guard let first = c.first, budget > first else { return t.level.first ?? .nan }
        for k in 1..<c.count where c[k] >= budget {
            let w = c[k] > c[k - 1] ? (budget - c[k - 1]) / (c[k] - c[k - 1]) : 1
            return t.level[k - 1] + w * (t.level[k] - t.level[k - 1])
        }
        return t.level.last ?? .nan
    }

    /// The mean level over costs from the first checkpoint's to `budget`: the trapezoidal area
    /// of the level against the cost, divided by the span (the first level when it is empty).
    public static func area(_ t: SeedTrace, costs c: [Double], to budget: Double) -> Double {
        guard let first = c.first, budget > first else { return t.level.first ?? .nan }
        var sum = 0.0
        for k in 1..<c.count {
            let hi = min(c[k], budget)
            guard hi > c[k - 1] else { if c[k - 1] >= budget { break } else { continue } }
            let end = level(t, costs: c, at: hi)
            sum += 0.5 * (t.level[k - 1] + end) * (hi - c[k - 1])
            if c[k] >= budget { break }
        }
        return sum / (budget - first)
    }

    /// The paired differences at equal cost: the level at `budget` (and over the seed's J* where
    /// known and positive) and the mean level up to it, of `v` against `reference`.
    public static func differences(_ v: SweepAggregate, reference: SweepAggregate, per unit: Cost, budget: Double,
                                   iterations: Int, levelName: String = "J") -> [Difference] {
        guard v.traces.count == v.seeds.count, reference.traces.count == reference.seeds.count else { return [] }
        let label = "\(unit.rawValue)s"
        func at(_ g: SweepAggregate, _ i: Int) -> Double {
            cost(g.traces[i], unit, iterations: iterations).map { level(g.traces[i], costs: $0, at: budget) } ?? .nan
        }
        func upTo(_ g: SweepAggregate, _ i: Int) -> Double {
            cost(g.traces[i], unit, iterations: iterations).map { area(g.traces[i], costs: $0, to: budget) } ?? .nan
        }
        let amount = budget.rounded() == budget ? String(Int(budget)) : String(budget)
        let (x, y) = paired(v, reference, at)
        var out = [Difference(quantity: "\(levelName) at \(amount) \(label)", x, minus: y)]
        if v.optima.count == v.seeds.count, reference.optima.count == reference.seeds.count {
            let (xo, _) = paired(v, reference) { $0.optima[$1] }
            if !xo.isEmpty, xo.allSatisfy({ $0 > 0 }) {
                out.append(Difference(quantity: "\(levelName)/J* at \(amount) \(label)", zip(x, xo).map { $0 / $1 },
                                      minus: zip(y, xo).map { $0 / $1 }))
            }
        }
        let (xa, ya) = paired(v, reference, upTo)
        out.append(Difference(quantity: "area to \(amount) \(label)", xa, minus: ya))
        return out
    }
}

extension PairedComparison {
    /// The paired difference curve at equal cost: on `points` costs spread evenly from the
    /// largest first-checkpoint cost to `budget`, the moments over seeds of the two levels'
    /// difference, each interpolated at that cost (empty without traces).
    public static func curve(_ v: SweepAggregate, reference: SweepAggregate, per unit: Cost, budget: Double,
                             iterations: Int, points: Int = SeedTrace.checkpointCount) -> (x: [Double], moments: [RunningMoments]) {
        guard v.traces.count == v.seeds.count, reference.traces.count == reference.seeds.count, points >= 2 else { return ([], []) }
        let start = (v.traces + reference.traces).compactMap { cost($0, unit, iterations: iterations)?.first }.max() ?? 0
        guard budget > start else { return ([], []) }
        let x = (0..<points).map { start + (budget - start) * Double($0) / Double(points - 1) }
        var out = [RunningMoments](repeating: RunningMoments(), count: points)
        let position = Dictionary(reference.seedIndices.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        for (i, index) in v.seedIndices.enumerated() {
            guard let j = position[index], let cv = cost(v.traces[i], unit, iterations: iterations),
                  let cr = cost(reference.traces[j], unit, iterations: iterations) else { continue }
            for (k, c) in x.enumerated() {
                let d = level(v.traces[i], costs: cv, at: c) - level(reference.traces[j], costs: cr, at: c)
                if d.isFinite { out[k].add(d) }
            }
        }
        return (x, out)
    }
}
