/// Learning-curve figures for `pg compare` and `pg plot`: mean ± standard-error curves of
/// sweeps, or the raw curves of single training logs.
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

    /// A figure of sweeps: `metric` per variant with ±1 SE bands, and, when any variant measured
    /// it, a second panel with the gradient squared error ‖ĝ − ∇J‖² (variance + bias²) on a
    /// log axis.
    /// - Parameters:
    ///   - aggregates: one per variant (legend entries, in order).
    ///   - metric: a ``CurveAccumulator/metrics`` name for the first panel.
    ///   - title: the figure title.
    /// - Returns: the figure.
    public static func figure(aggregates: [SweepAggregate], metric: String, title: String) -> SVGPlot {
        let seeds = aggregates.map(\.seeds.count).max() ?? 0
        var panels = [panel(aggregates, metric: metric, title: "\(axisLabel(metric)), mean ± SE over \(seeds) seeds",
                            yScale: .linear)]
        let hasError = aggregates.contains { $0.curves.summaries("grad_sq_error").contains { $0.count > 0 } }
        if hasError {
            panels.append(panel(aggregates, metric: "grad_sq_error", title: "gradient squared error (variance + bias²)",
                                yScale: .log10))
        }
        return SVGPlot(title: title, panels: panels, panelWidth: 460, panelHeight: 340)
    }

    static func panel(_ aggregates: [SweepAggregate], metric: String, title: String, yScale: SVGPlot.Scale) -> SVGPlot.Panel {
        let scale = displayScale(metric)
        let series = aggregates.map { a -> SVGPlot.Series in
            let points = thinned(a.curves.curve(metric).enumerated().map { ($0.offset, $0.element) })
            return SVGPlot.Series(label: a.label, x: points.map { Double($0.0) },
                                  y: points.map { ($0.1?.mean ?? .nan) * scale },
                                  band: points.map { ($0.1?.standardError ?? .nan) * scale })
        }
        return SVGPlot.Panel(title: title, xLabel: "iteration", yLabel: axisLabel(metric), yScale: yScale, series: series)
    }

    /// A figure of single runs: one line per run (no bands).
    /// - Parameters:
    ///   - runs: a legend label and the metric's value at each iteration (NaN where missing).
    ///   - metric: the metric's name, for the axis label.
    ///   - title: the figure title.
    /// - Returns: the figure.
    public static func figure(runs: [(label: String, iterations: [Double], values: [Double])], metric: String,
                              title: String) -> SVGPlot {
        let scale = displayScale(metric)
        let series = runs.map { run -> SVGPlot.Series in
            let points = thinned(Array(zip(run.iterations, run.values)))
            return SVGPlot.Series(label: run.label, x: points.map(\.0), y: points.map { $0.1 * scale })
        }
        let yScale: SVGPlot.Scale = metric == "grad_sq_error" ? .log10 : .linear
        let panel = SVGPlot.Panel(title: axisLabel(metric), xLabel: "iteration", yLabel: axisLabel(metric),
                                  yScale: yScale, series: series)
        return SVGPlot(title: title, panels: [panel], panelWidth: 520, panelHeight: 340)
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
