import Foundation

/// A figure of one or more plot panels side by side, rendered as standalone SVG 1.1.
///
/// Each ``Panel`` has a title, axis labels, linear or log₁₀ axes with "nice" ticks (1-2-5 steps;
/// decades labelled 10ᵏ on log axes), light grid lines and any number of ``Series`` (a line with
/// an optional shaded ±band at 20% opacity). Series are coloured from the colour-blind-safe
/// Okabe–Ito palette (M. Okabe & K. Ito, "Color Universal Design", 2002), keyed by label so
/// that one estimator has one colour in every panel; one shared legend sits outside the axes,
/// to the right of the last panel, so it never covers data. Text is sans-serif 12–16 px; the
/// background is white; all text is XML-escaped.
///
///     let curves = SVGPlot.Panel(title: "Learning curves", xLabel: "iteration",
///                                yLabel: "return", series: [
///         .init(label: "REINFORCE", y: meanReturn, band: standardError),
///     ])
///     let svg = SVGPlot(title: "bandit10", panels: [curves]).render()
///
/// Robust to awkward data: NaN and infinite points are skipped and break the line, empty series
/// draw nothing (but keep their legend entry), a constant series gets a widened axis, and values
/// ≤ 0 are skipped on a log axis.
public struct SVGPlot: Sendable, Equatable {
    /// The figure title, drawn centred above the panels; empty for none.
    public var title: String
    /// The panels, drawn left to right.
    public var panels: [Panel]
    /// The width of each panel in pixels, axis labels included.
    public var panelWidth: Double
    /// The height of each panel in pixels, title and axis labels included.
    public var panelHeight: Double
    /// Whether to draw the legend.
    public var showsLegend: Bool

    /// Creates a figure.
    /// - Parameters:
    ///   - title: the figure title, or "" for none.
    ///   - panels: the panels, left to right.
    ///   - panelWidth: the width of each panel in pixels (default 400).
    ///   - panelHeight: the height of each panel in pixels (default 300).
    ///   - showsLegend: whether to draw the legend (default true).
    public init(title: String = "", panels: [Panel] = [], panelWidth: Double = 400,
                panelHeight: Double = 300, showsLegend: Bool = true) {
        self.title = title
        self.panels = panels
        self.panelWidth = panelWidth
        self.panelHeight = panelHeight
        self.showsLegend = showsLegend
    }

    /// The Okabe–Ito colour-blind-safe palette (M. Okabe & K. Ito, "Color Universal Design",
    /// 2002), reordered so the first colours contrast most on white (yellow, the weakest, is
    /// last) and so that colours four apart, which share a line pattern, differ most in
    /// lightness (CIE L* 46/71, 54/70, 58/0, 61/89). Series cycle through it; their line
    /// patterns cycle too (see ``Dash``), so series stay apart in greyscale.
    public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                 "#E69F00", "#56B4E9", "#000000", "#F0E442"]

    /// The font stack used for all text.
    static let fontFamily = "Helvetica, Arial, 'DejaVu Sans', 'Liberation Sans', sans-serif"
    /// Space around the figure, in pixels.
    static let margin = 10.0

    /// The figure as a standalone SVG 1.1 document.
    /// - Returns: the SVG text, starting with an XML declaration and ending with a newline.
    /// - Complexity: O(total number of points).
    public func render() -> String {
        let styles = resolveStyles()
        let entries = showsLegend ? legendEntries(styles) : []
        let legendWidth = entries.isEmpty ? 0 : Self.legendWidth(entries) + 14
        let top = Self.margin + (title.isEmpty ? 0 : 30)
        let width = 2 * Self.margin + Double(panels.count) * panelWidth + legendWidth
        let height = top + panelHeight + Self.margin
        var out = header(width: width, height: height)
        if !title.isEmpty {
            out += Self.text(title, x: width / 2, y: Self.margin + 18, size: 16,
                             anchor: "middle", extra: #"font-weight="bold" class="figure-title""#)
        }
        for (i, panel) in panels.enumerated() {
            let x0 = Self.margin + Double(i) * panelWidth
            out += drawPanel(panel, index: i, x0: x0, y0: top, styles: styles[i])
        }
        if !entries.isEmpty {
            let x = Self.margin + Double(panels.count) * panelWidth + 4
            out += drawLegend(entries, x: x, y: top + Self.plotTopInset)
        }
        return out + "</svg>\n"
    }

    /// The XML declaration, the `<svg>` element and the white background.
    func header(width: Double, height: Double) -> String {
        let w = Self.num(width), h = Self.num(height)
        var s = #"<?xml version="1.0" encoding="UTF-8" standalone="no"?>"# + "\n"
        s += #"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" "#
        s += #"width="\#(w)" height="\#(h)" viewBox="0 0 \#(w) \#(h)" "#
        s += #"font-family="\#(Self.escapeXML(Self.fontFamily))" font-size="12">"# + "\n"
        if !title.isEmpty { s += "<title>\(Self.escapeXML(title))</title>\n" }
        s += ##"<rect x="0" y="0" width="\##(w)" height="\##(h)" fill="#ffffff"/>"## + "\n"
        return s
    }

    // MARK: - XML helpers

    /// Escapes text for XML content and attribute values: & < > " ' become entities, and
    /// control characters that XML 1.0 forbids are dropped.
    /// - Parameter text: any string.
    /// - Returns: the escaped string.
    /// - Complexity: O(n).
    public static func escapeXML(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A coordinate with at most two decimals and no trailing zeros ("12.5", "3", "-0.25").
    static func num(_ v: Double) -> String {
        var s = String(format: "%.2f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    /// A `<text>` element with escaped content.
    static func text(_ content: String, x: Double, y: Double, size: Double, anchor: String,
                     extra: String = "") -> String {
        var s = #"<text x="\#(num(x))" y="\#(num(y))" font-size="\#(num(size))" "#
        s += ##"text-anchor="\##(anchor)" fill="#222222""##
        if !extra.isEmpty { s += " " + extra }
        return s + ">\(escapeXML(content))</text>\n"
    }

    /// The approximate rendered width of `text` at `size` px in a sans-serif font.
    static func textWidth(_ text: String, size: Double) -> Double {
        Double(text.count) * size * 0.6
    }
}
