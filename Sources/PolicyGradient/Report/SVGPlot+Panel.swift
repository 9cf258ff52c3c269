import Foundation

extension SVGPlot {
    /// How values map to positions along an axis.
    public enum Scale: Sendable, Equatable {
        /// Equal distances for equal differences; "nice" ticks in steps of 1, 2 or 5 × 10ᵏ.
        case linear
        /// Equal distances for equal ratios; ticks on decades labelled 10ᵏ. Values ≤ 0 are skipped.
        case log10
    }

    /// The stroke pattern of a series' line.
    public enum Dash: Sendable, Equatable, CaseIterable {
        /// A continuous line.
        case solid
        /// Long dashes (6 on, 4 off).
        case dashed
        /// Dots (1.5 on, 3 off, with round caps).
        case dotted
        /// Alternating dash and dot.
        case dashDot
        /// A long dash and two dots (the optimum's reference line; not in the series cycle).
        case dashDotDot
        /// Long dashes with wide gaps (a threshold's reference line; not in the series cycle).
        case longDash

        /// The patterns series cycle through, in order: solid, dashed, dotted, dash-dot.
        public static let cycle: [Dash] = [.solid, .dashed, .dotted, .dashDot]

        /// The SVG `stroke-dasharray` value, or nil for a solid line.
        public var dashArray: String? {
            switch self {
            case .solid: return nil
            case .dashed: return "6 4"
            case .dotted: return "1.5 3"
            case .dashDot: return "7 3 1.5 3"
            case .dashDotDot: return "11 3 1.5 3 1.5 3"
            case .longDash: return "14 6"
            }
        }
    }

    /// One line on a panel: points (x, y) joined in order, with an optional shaded band y ± b.
    ///
    /// Points where x or y is NaN or infinite (or ≤ 0 on a log axis) are skipped and break the
    /// line into pieces; a piece of one point is drawn as a dot. (A metric measured only on some
    /// iterations is given as the points where it was measured, which join into one line; see
    /// ``LearningCurvePlot``.) The band is drawn at 20% opacity behind the line wherever y and b
    /// are finite; on a log axis its lower edge is clipped to the bottom of the axis when y − b ≤ 0.
    ///
    /// Series of one ``family`` (the variants of one estimator, say at several temperatures)
    /// share a hue: each gets a shade of the family's palette colour and its own line pattern.
    public struct Series: Sendable, Equatable {
        /// The legend text; series with the same label share a colour across panels, and an
        /// empty label is left out of the legend.
        public var label: String
        /// The x coordinates.
        public var x: [Double]
        /// The y coordinates (same count as `x`).
        public var y: [Double]
        /// The half-width b of the shaded band y ± b (for example a standard error), or nil.
        public var band: [Double]?
        /// A CSS colour such as "#0072B2"; nil picks the next palette colour for the label.
        public var color: String?
        /// The stroke pattern; nil picks the next of solid, dashed, dotted, dash-dot by slot.
        public var dash: Dash?
        /// The stroke width in pixels.
        public var lineWidth: Double
        /// The hue family: series with the same non-nil family get shades of one palette colour
        /// (in order of appearance, darkest first) and successive line patterns; nil is a family
        /// of its own, keyed by the label.
        public var family: String?
        /// Whether each point gets a small circle: for sparse measurements joined by a line, so
        /// that the reader sees where the values are.
        public var markers: Bool

        /// Creates a series.
        /// - Parameters:
        ///   - label: the legend text.
        ///   - x: the x coordinates.
        ///   - y: the y coordinates.
        ///   - band: half-widths of the shaded band y ± band, or nil for no band.
        ///   - color: a CSS colour, or nil for the palette.
        ///   - dash: the stroke pattern, or nil for automatic.
        ///   - lineWidth: the stroke width in pixels (default 1.8).
        ///   - family: the hue family (default nil: the series' own).
        ///   - markers: whether to mark every point with a small circle (default false).
        /// - Precondition: `x`, `y` and `band` (if given) have the same count.
        public init(label: String, x: [Double], y: [Double], band: [Double]? = nil,
                    color: String? = nil, dash: Dash? = nil, lineWidth: Double = 1.8,
                    family: String? = nil, markers: Bool = false) {
            precondition(x.count == y.count, "Series needs as many x as y values")
            precondition(band == nil || band!.count == y.count, "Series band needs one value per point")
            self.label = label
            self.x = x
            self.y = y
            self.band = band
            self.color = color
            self.dash = dash
            self.lineWidth = lineWidth
            self.family = family
            self.markers = markers
        }

        /// Creates a series with x = 0, 1, 2, … (for example iteration numbers).
        /// - Parameters:
        ///   - label: the legend text.
        ///   - y: the y coordinates.
        ///   - band: half-widths of the shaded band, or nil.
        ///   - color: a CSS colour, or nil for the palette.
        ///   - dash: the stroke pattern, or nil for automatic.
        ///   - family: the hue family, or nil for the series' own.
        public init(label: String, y: [Double], band: [Double]? = nil,
                    color: String? = nil, dash: Dash? = nil, family: String? = nil) {
            self.init(label: label, x: y.indices.map(Double.init), y: y, band: band,
                      color: color, dash: dash, family: family)
        }
    }

    /// One set of axes: a title, axis labels and scales, and any number of series.
    public struct Panel: Sendable, Equatable {
        /// The title drawn above the axes.
        public var title: String
        /// The x-axis label.
        public var xLabel: String
        /// The y-axis label (drawn rotated).
        public var yLabel: String
        /// The x-axis scale (default linear).
        public var xScale: Scale
        /// The y-axis scale (default linear).
        public var yScale: Scale
        /// A fixed x range, or nil to fit the data (ends moved out to a tick when that is cheap,
        /// else given a 4% margin; whole decades on a log axis). On a log axis a range whose
        /// lower bound is ≤ 0 is ignored.
        public var xRange: ClosedRange<Double>?
        /// A fixed y range, or nil to fit the data, bands included (as for ``xRange``).
        public var yRange: ClosedRange<Double>?
        /// The lines drawn, in order (later ones on top).
        public var series: [Series]
        /// Horizontal reference lines (an optimum, a threshold), drawn behind the series and
        /// listed in the legend after them; the y axis is fitted to include them.
        public var references: [ReferenceLine]

        /// Creates a panel.
        /// - Parameters:
        ///   - title: the panel title.
        ///   - xLabel: the x-axis label.
        ///   - yLabel: the y-axis label.
        ///   - xScale: the x-axis scale.
        ///   - yScale: the y-axis scale.
        ///   - xRange: a fixed x range, or nil.
        ///   - yRange: a fixed y range, or nil.
        ///   - series: the lines.
        ///   - references: horizontal reference lines.
        public init(title: String = "", xLabel: String = "", yLabel: String = "",
                    xScale: Scale = .linear, yScale: Scale = .linear,
                    xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                    series: [Series] = [], references: [ReferenceLine] = []) {
            self.title = title
            self.xLabel = xLabel
            self.yLabel = yLabel
            self.xScale = xScale
            self.yScale = yScale
            self.xRange = xRange
            self.yRange = yRange
            self.series = series
            self.references = references
        }
    }
}
