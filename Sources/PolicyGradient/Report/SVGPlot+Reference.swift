import Foundation

extension SVGPlot {
    /// A horizontal line at a known value — an optimum, a threshold — across the whole panel,
    /// with its own legend entry.
    public struct ReferenceLine: Sendable, Equatable {
        /// The legend text, for example "optimum J = 0.7442"; empty for no legend entry.
        public var label: String
        /// The value, in data units (the same units as the series' y).
        public var y: Double
        /// A CSS colour (default a dark grey that no palette colour is).
        public var color: String
        /// The stroke pattern (default dash-dot-dot, which no series uses).
        public var dash: Dash
        /// The stroke width in pixels.
        public var lineWidth: Double

        /// Creates a reference line.
        /// - Parameters:
        ///   - label: the legend text.
        ///   - y: the value.
        ///   - color: a CSS colour (default "#555555").
        ///   - dash: the stroke pattern (default ``Dash/dashDotDot``).
        ///   - lineWidth: the stroke width (default 1.3).
        public init(label: String, y: Double, color: String = "#555555", dash: Dash = .dashDotDot,
                    lineWidth: Double = 1.3) {
            self.label = label
            self.y = y
            self.color = color
            self.dash = dash
            self.lineWidth = lineWidth
        }

        /// The line's look, as a series style.
        var style: Style { Style(color: color, dash: dash, lineWidth: lineWidth) }
    }

    /// The reference lines of a panel that fall on its y axis, as `<path class="reference">`.
    static func referencePaths(_ panel: Panel, _ yAxis: Axis, _ area: PlotArea) -> String {
        var s = ""
        for r in panel.references {
            guard let f = yAxis.fraction(r.y) else { continue }
            let y = num(area.py(f))
            s += #"<path class="reference" d="M\#(num(area.x)),\#(y) L\#(num(area.x + area.width)),\#(y)" "#
            s += strokeAttributes(r.style) + "/>\n"
        }
        return s
    }
}
