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
    /// - Parameters:
    ///   - aggregates: one per variant (legend entries, in order).
    ///   - metric: a ``CurveAccumulator/metrics`` name for the first panel.
    ///   - title: the figure title.
    ///   - smoothing: the window of ``movingAverage(_:window:)`` applied to every curve and
    ///     band (1 = none).
    ///   - optima: optimum lines for the first panel (``optimumLines(_:)``), drawn when
    ///     ``comparesToOptimum(_:)`` holds for `metric`.
    /// - Returns: the figure.
    /// - Precondition: `smoothing >= 1`.
    public static func figure(aggregates: [SweepAggregate], metric: String, title: String, smoothing: Int = 1,
                              optima: [SVGPlot.ReferenceLine] = []) -> SVGPlot {
        let seeds = aggregates.map(\.seeds.count).max() ?? 0
        var first = panel(aggregates, metric: metric, title: "\(axisLabel(metric)), mean ± SE over \(seeds) seeds",
                          yScale: .linear, smoothing: smoothing)
        if comparesToOptimum(metric) { first.references = optima }
        var panels = [first]
        let hasError = aggregates.contains { $0.curves.summaries("grad_sq_error").contains { $0.count > 0 } }
        if hasError {
            panels.append(panel(aggregates, metric: "grad_sq_error", title: "gradient squared error (variance + bias²)",
                                yScale: .log10, smoothing: smoothing))
        }
        return SVGPlot(title: title, panels: panels, panelWidth: 460, panelHeight: 340)
    }

    static func panel(_ aggregates: [SweepAggregate], metric: String, title: String, yScale: SVGPlot.Scale,
                      smoothing: Int) -> SVGPlot.Panel {
        let scale = displayScale(metric)
        let series = aggregates.map { a -> SVGPlot.Series in
            let curve = a.curves.curve(metric)
            let y = movingAverage(curve.map { ($0?.mean ?? .nan) * scale }, window: smoothing)
            let band = movingAverage(curve.map { ($0?.standardError ?? .nan) * scale }, window: smoothing)
            let points = thinned(Array(zip(y, band).enumerated()))
            // The `exact` estimator's curve is the reference the others are measured against: black, solid, thicker.
            let reference = a.label == "exact" || a.label.hasPrefix("exact ")
            return SVGPlot.Series(label: a.label, x: points.map { Double($0.offset) }, y: points.map(\.element.0),
                                  band: points.map(\.element.1), color: reference ? "#000000" : nil,
                                  dash: reference ? .solid : nil, lineWidth: reference ? 2.6 : 1.8)
        }
        return SVGPlot.Panel(title: title, xLabel: xLabel(smoothing), yLabel: axisLabel(metric),
                             yScale: yScale, series: series)
    }

    /// A figure of single runs: one line per run (no bands).
    /// - Parameters:
    ///   - runs: a legend label and the metric's value at each iteration (NaN where missing).
    ///   - metric: the metric's name, for the axis label.
    ///   - title: the figure title.
    ///   - smoothing: the window of ``movingAverage(_:window:)`` (1 = none).
    ///   - optima: optimum lines (``optimumLines(_:)``), drawn when ``comparesToOptimum(_:)``
    ///     holds for `metric`.
    /// - Returns: the figure.
    /// - Precondition: `smoothing >= 1`.
    public static func figure(runs: [(label: String, iterations: [Double], values: [Double])], metric: String,
                              title: String, smoothing: Int = 1, optima: [SVGPlot.ReferenceLine] = []) -> SVGPlot {
        let scale = displayScale(metric)
        let series = runs.map { run -> SVGPlot.Series in
            let y = movingAverage(run.values.map { $0 * scale }, window: smoothing)
            let points = thinned(Array(zip(run.iterations, y)))
            return SVGPlot.Series(label: run.label, x: points.map(\.0), y: points.map(\.1))
        }
        let yScale: SVGPlot.Scale = metric == "grad_sq_error" ? .log10 : .linear
        let panel = SVGPlot.Panel(title: axisLabel(metric), xLabel: xLabel(smoothing),
                                  yLabel: axisLabel(metric), yScale: yScale, series: series,
                                  references: comparesToOptimum(metric) ? optima : [])
        return SVGPlot(title: title, panels: [panel], panelWidth: 520, panelHeight: 340)
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
