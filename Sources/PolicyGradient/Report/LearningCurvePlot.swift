/// Learning-curve figures for `pg compare` and `pg plot`: mean ± standard-error curves of
/// sweeps, or the raw curves of single training logs; optionally smoothed, with a reference
/// line at the optimum where it is known.
public enum LearningCurvePlot {
    /// The most points drawn per series; longer curves are thinned to every k-th iteration.
    public static let maximumPoints = 1000

    /// A readable axis label for a curve metric (`optimal_action` is shown in percent).
    public static func axisLabel(_ metric: String) -> String {
        switch metric {
        case "mean_return": return "mean return"
        case "exact_j": return "exact J"
        case "optimal_action": return "% optimal action"
        case "grad_norm": return "gradient norm"
        case "grad_sq_error": return "‖ĝ − ∇J‖²"
        case "entropy": return "policy entropy"
        default: return metric.replacingOccurrences(of: "_", with: " ")
        }
    }

    /// The factor a metric is multiplied by for display (100 for fractions shown in percent).
    public static func displayScale(_ metric: String) -> Double { metric == "optimal_action" ? 100 : 1 }

    /// Whether the optimum J is a meaningful reference for `metric` (J itself, or the mean
    /// return, whose expectation is J).
    public static func comparesToOptimum(_ metric: String) -> Bool { metric == "exact_j" || metric == "mean_return" }

    /// A figure of sweeps: `metric` per variant with ±1 SE bands, and, when any variant measured
    /// it, a second panel with the gradient squared error ‖ĝ − ∇J‖² (variance + bias²) on a
    /// log axis.
    ///
    /// Each curve is drawn at its own cadence: the iterations where at least one seed measured
    /// the metric, joined by one line. A variant that holds fewer seeds than
    /// its `expectedSeeds` (an interrupted sweep, or shards missing) says so in its legend entry,
    /// `nvil (120 of 400 seeds)`; one that holds none keeps its entry, `gumbel (not started)`,
    /// and draws nothing.
    /// - Parameters:
    ///   - aggregates: one per variant (legend entries, in order).
    ///   - metric: a ``CurveAccumulator/metrics`` name for the first panel.
    ///   - title: the figure title.
    ///   - smoothing: the window, in iterations, of ``movingAverage(x:y:window:)`` applied to
    ///     every curve and band (1 = none).
    ///   - optima: optimum lines for the first panel (``optimumLines(_:)``), drawn when
    ///     ``comparesToOptimum(_:)`` holds for `metric`.
    ///   - families: the hue family of each variant (its estimator's name, so that the variants
    ///     of one estimator are shades of one colour), or nil for one family per variant.
    ///   - expectedSeeds: the seeds each variant should hold (its sweep's), or nil not to mark any.
    ///   - threshold: a level to draw as a reference line on the first panel (`pg compare
    ///     --threshold`), when ``comparesToOptimum(_:)`` holds for `metric`.
    /// - Returns: the figure.
    /// - Precondition: `smoothing >= 1`; `families` and `expectedSeeds`, if given, have one
    ///   entry per aggregate.
    public static func figure(aggregates: [SweepAggregate], metric: String, title: String, smoothing: Int = 1,
                              optima: [SVGPlot.ReferenceLine] = [], families: [String]? = nil,
                              expectedSeeds: [Int]? = nil, threshold: Double? = nil) -> SVGPlot {
        precondition(families == nil || families!.count == aggregates.count, "one family per aggregate")
        precondition(expectedSeeds == nil || expectedSeeds!.count == aggregates.count, "one count per aggregate")
        let held = aggregates.map(\.seeds.count).filter { $0 > 0 }
        let lo = held.min() ?? 0, hi = held.max() ?? 0
        let seeds = lo == hi ? "\(hi) seed" + (hi == 1 ? "" : "s") : "\(lo)–\(hi) seeds"
        let labels = aggregates.indices.map { i -> String in
            let a = aggregates[i]
            guard let expected = expectedSeeds?[i], a.seeds.count < expected else { return a.label }
            return a.seeds.isEmpty ? a.label + " (not started)" : a.label + " (\(a.seeds.count) of \(expected) seeds)"
        }
        let (first, joined) = panel(aggregates, labels: labels, families: families, metric: metric, yScale: .linear,
                                    smoothing: smoothing)
        var panels = [SVGPlot.Panel(title: "\(axisLabel(metric)), mean ± SE over \(seeds)" + (joined ? ", joined" : ""),
                                    xLabel: xLabel(smoothing), yLabel: axisLabel(metric), series: first)]
        if comparesToOptimum(metric) { panels[0].references = optima + thresholdLines(threshold) }
        let hasError = aggregates.contains { $0.curves.summaries("grad_sq_error").contains { $0.count > 0 } }
        if hasError {
            let (series, joinedError) = panel(aggregates, labels: labels, families: families, metric: "grad_sq_error",
                                              yScale: .log10, smoothing: smoothing)
            panels.append(SVGPlot.Panel(title: "gradient squared error (variance + bias²)" + (joinedError ? ", joined" : ""),
                                        xLabel: xLabel(smoothing), yLabel: axisLabel("grad_sq_error"), yScale: .log10,
                                        series: series))
        }
        return SVGPlot(title: title, panels: panels, panelWidth: 460, panelHeight: 340)
    }

    /// The series of one panel of a sweep figure, and whether any of them joins across
    /// iterations without the metric.
    static func panel(_ aggregates: [SweepAggregate], labels: [String], families: [String]?, metric: String,
                      yScale: SVGPlot.Scale, smoothing: Int) -> (series: [SVGPlot.Series], joined: Bool) {
        let scale = displayScale(metric)
        var joined = false
        let series = aggregates.indices.map { i -> SVGPlot.Series in
            let a = aggregates[i]
            let curve = a.curves.curve(metric)
            let mean = curve.map { $0.map { $0.mean * scale } ?? .nan }
            let se = curve.map { $0.map { $0.standardError * scale } ?? .nan }
            let trace = Trace(x: mean.indices.map(Double.init), y: mean, band: se, smoothing: smoothing)
            joined = joined || trace.joinsGaps
            // The `exact` estimator's curve is the reference the others are measured against: black, solid, thicker.
            let reference = a.label == "exact" || a.label.hasPrefix("exact ")
            return SVGPlot.Series(label: labels[i], x: trace.x, y: trace.y, band: trace.x.isEmpty ? nil : trace.band,
                                  color: reference ? "#000000" : nil, dash: reference ? .solid : nil,
                                  lineWidth: reference ? 2.6 : 1.8, family: reference ? nil : families?[i],
                                  markers: trace.needsMarkers)
        }
        return (series, joined)
    }

    /// One training run of ``figure(runs:metric:title:smoothing:optima:)``.
    public struct Run: Sendable, Equatable {
        /// The legend text (with any note on how the run ended, such as "interrupted at 412 of 1000").
        public var label: String
        /// The iteration of each record.
        public var iterations: [Double]
        /// The metric at each record; NaN where the record does not hold it.
        public var values: [Double]
        /// The hue family (the run's estimator, so that runs of one estimator are shades of one
        /// colour), or nil for a family of its own.
        public var family: String?

        /// Creates a run.
        /// - Precondition: `iterations` and `values` have the same count.
        public init(label: String, iterations: [Double], values: [Double], family: String? = nil) {
            precondition(iterations.count == values.count, "one value per iteration")
            self.label = label
            self.iterations = iterations
            self.values = values
            self.family = family
        }
    }

    /// A figure of single runs: one line per run (no bands), each at its own cadence.
    ///
    /// A metric a log holds only on some records (exact J, evaluated on a budget on multi-step
    /// environments: the other records hold `null`) is drawn through the records that hold it,
    /// joined by one line; the panel title says on how many updates it was measured, and a run
    /// with at most ``markerLimit`` such points marks each of them.
    /// - Parameters:
    ///   - runs: the runs, in legend order.
    ///   - metric: the metric's name, for the axis label.
    ///   - title: the figure title.
    ///   - smoothing: the window, in iterations, of ``movingAverage(x:y:window:)`` (1 = none).
    ///   - optima: optimum lines (``optimumLines(_:)``), drawn when ``comparesToOptimum(_:)``
    ///     holds for `metric`.
    /// - Returns: the figure.
    /// - Precondition: `smoothing >= 1`.
    public static func figure(runs: [Run], metric: String, title: String, smoothing: Int = 1,
                              optima: [SVGPlot.ReferenceLine] = []) -> SVGPlot {
        let scale = displayScale(metric)
        var measured: [(Int, Int)] = []
        let series = runs.map { run -> SVGPlot.Series in
            let trace = Trace(x: run.iterations, y: run.values.map { $0 * scale }, band: nil, smoothing: smoothing)
            if trace.joinsGaps { measured.append((trace.measured, run.values.count)) }
            return SVGPlot.Series(label: run.label, x: trace.x, y: trace.y, family: run.family, markers: trace.needsMarkers)
        }
        let yScale: SVGPlot.Scale = metric == "grad_sq_error" ? .log10 : .linear
        let panel = SVGPlot.Panel(title: axisLabel(metric) + cadenceNote(measured), xLabel: xLabel(smoothing),
                                  yLabel: axisLabel(metric), yScale: yScale, series: series,
                                  references: comparesToOptimum(metric) ? optima : [])
        return SVGPlot(title: title, panels: [panel], panelWidth: 520, panelHeight: 340)
    }

    /// ", on 526 of 1000 updates, joined" for the runs whose metric skips records (measured,
    /// records), or "" when none does.
    static func cadenceNote(_ measured: [(Int, Int)]) -> String {
        guard let first = measured.first else { return "" }
        if measured.allSatisfy({ $0 == first }) { return ", on \(first.0) of \(first.1) updates, joined" }
        return ", on some updates only, joined"
    }

    /// A reference line at `pg compare --threshold` X, labelled "threshold X".
    static func thresholdLines(_ threshold: Double?) -> [SVGPlot.ReferenceLine] {
        guard let t = threshold, t.isFinite else { return [] }
        return [SVGPlot.ReferenceLine(label: "threshold " + NumberFormat.significant(t), y: t, color: "#8C8C8C",
                                      dash: .longDash, lineWidth: 1.3)]
    }

    /// Reference lines at the optimum J: one line "optimum J = X" when every run has the same
    /// optimum, else one per distinct optimum, naming the first run that has it (and how many
    /// more do): "optimum J = X (none s1 +2)". Runs without an optimum (nil) are left out.
    /// - Parameter optima: each run's legend label and optimum J, or nil where unknown.
    /// - Returns: the lines, in order of first appearance.
    public static func optimumLines(_ optima: [(label: String, value: Double?)]) -> [SVGPlot.ReferenceLine] {
        var groups: [(value: Double, labels: [String])] = []
        for (label, value) in optima {
            guard let v = value, v.isFinite else { continue }
            if let i = groups.firstIndex(where: { abs($0.value - v) <= 1e-9 * max(1, abs(v)) }) {
                groups[i].labels.append(label)
            } else {
                groups.append((v, [label]))
            }
        }
        return groups.map { g in
            var text = "optimum J = " + NumberFormat.significant(g.value)
            if groups.count > 1 { text += " (" + g.labels[0] + (g.labels.count > 1 ? " +\(g.labels.count - 1)" : "") + ")" }
            return SVGPlot.ReferenceLine(label: text, y: g.value)
        }
    }

    /// The trailing moving average: point i becomes the mean of the finite values among
    /// points max(0, i − w + 1) … i (so at the start the window is shorter, and a smoothed
    /// value at iteration k uses no iteration after k). A point that is NaN or infinite stays
    /// NaN, so gaps stay gaps.
    ///
    /// `pg plot --smooth` applies it to curves and, with the same window, to standard-error
    /// bands: the mean of the standard errors is the standard error of the smoothed mean when
    /// the errors of neighbouring iterations are perfectly correlated, and an upper bound on it
    /// otherwise (‖Σ X_i‖ ≤ Σ ‖X_i‖ in L²), so a smoothed band is never too narrow.
    /// - Parameters:
    ///   - values: the curve.
    ///   - window: w ≥ 1 points (1 returns the values unchanged, non-finite ones as NaN).
    /// - Returns: the smoothed curve, as long as `values`.
    /// - Precondition: `window >= 1`.
    /// - Complexity: O(n) with running sums, whatever the window.
    public static func movingAverage(_ values: [Double], window: Int) -> [Double] {
        precondition(window >= 1, "the smoothing window must be at least 1")
        var out = [Double](repeating: .nan, count: values.count)
        var sum = 0.0, count = 0
        for i in values.indices {
            if values[i].isFinite { sum += values[i]; count += 1 }
            let leaving = i - window
            if leaving >= 0, values[leaving].isFinite { sum -= values[leaving]; count -= 1 }
            if values[i].isFinite { out[i] = count == 1 ? values[i] : sum / Double(count) }
        }
        return out
    }

    /// The trailing moving average at irregular iterations: point i becomes the mean of the
    /// finite values among the points whose x lies in (x_i − w, x_i], so the window spans w
    /// iterations however many of them hold a value. On points at every iteration it equals
    /// ``movingAverage(_:window:)``. A NaN or infinite value stays NaN.
    /// - Parameters:
    ///   - x: the iterations, ascending.
    ///   - y: the values (as many as `x`).
    ///   - window: w ≥ 1 iterations.
    /// - Returns: the smoothed values, as many as `y`.
    /// - Precondition: `window >= 1`; `x.count == y.count`.
    /// - Complexity: O(n) with running sums.
    public static func movingAverage(x: [Double], y: [Double], window: Int) -> [Double] {
        precondition(window >= 1, "the smoothing window must be at least 1")
        precondition(x.count == y.count, "one value per iteration")
        var out = [Double](repeating: .nan, count: y.count)
        var sum = 0.0, count = 0, tail = 0
        for i in y.indices {
            if y[i].isFinite { sum += y[i]; count += 1 }
            while tail < i, x[tail] <= x[i] - Double(window) {
                if y[tail].isFinite { sum -= y[tail]; count -= 1 }
                tail += 1
            }
            if y[i].isFinite { out[i] = count == 1 ? y[i] : sum / Double(count) }
        }
        return out
    }

    /// "iteration", with "(each point: trailing mean of N iterations)" for a window N > 1.
    static func xLabel(_ window: Int) -> String {
        window > 1 ? "iteration (each point: trailing mean of \(window) iterations)" : "iteration"
    }

    /// Every k-th element (and the last) so that at most ``maximumPoints`` remain.
    static func thinned<T>(_ points: [T]) -> [T] {
        guard points.count > maximumPoints else { return points }
        let k = (points.count + maximumPoints - 1) / maximumPoints
        var out = stride(from: 0, to: points.count, by: k).map { points[$0] }
        if (points.count - 1) % k != 0 { out.append(points[points.count - 1]) }
        return out
    }
}
