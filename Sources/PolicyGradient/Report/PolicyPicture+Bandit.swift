import Foundation

extension PolicyPicture {
    /// The bandit picture: q*(a) bars above π(a) bars on a shared arm axis.
    struct BanditPicture {
        var means: [Double]
        var probabilities: [Double]
        var title: String

        static let margin = 12.0, left = 64.0, panelHeight = 150.0, gap = 44.0
        static let barColor = "#56B4E9", policyColor = "#0072B2", bestColor = "#D55E00"

        /// The best arm (first on ties); NaN means never win.
        var best: Int {
            var b = 0
            for a in means.indices where means[a] > means[b] || !means[b].isFinite { b = a }
            return b
        }

        func render() -> String {
            let n = means.count, m = Self.margin
            let slot = max(2, min(48, (480 / Double(n)).rounded(.down)))
            let plotWidth = slot * Double(n)
            let width = max(2 * m + Self.left + plotWidth + 36, 2 * m + 1.05 * SVGPlot.textWidth(title, size: 16))
            let top = m + (title.isEmpty ? 0 : 30) + 22
            let height = top + 2 * Self.panelHeight + Self.gap + 40 + m
            let finite = means.filter(\.isFinite)
            let qAxis = SVGPlot.Axis.linear(min(0, finite.min() ?? 0), max(0, finite.max() ?? 1), rounded: true)
            let pAxis = SVGPlot.Axis.linear(0, 1, rounded: false)
            let x0 = m + Self.left
            var s = header(width: width, height: height, title: title)
            if !title.isEmpty {
                s += SVGPlot.text(title, x: width / 2, y: m + 18, size: 16, anchor: "middle",
                                  extra: #"font-weight="bold" class="figure-title""#)
            }
            let qArea = SVGPlot.PlotArea(x: x0, y: top, width: plotWidth, height: Self.panelHeight)
            let pArea = SVGPlot.PlotArea(x: x0, y: top + Self.panelHeight + Self.gap, width: plotWidth, height: Self.panelHeight)
            s += panel(means, axis: qAxis, area: qArea, slot: slot, color: Self.barColor, barClass: "bar-q",
                       title: "arm means q*(a), best arm in orange", yLabel: "q*(a)")
            s += panel(probabilities, axis: pAxis, area: pArea, slot: slot, color: Self.policyColor, barClass: "bar-pi",
                       title: "policy π(a)", yLabel: "π(a)")
            s += uniformLine(pAxis, pArea, arms: n)
            s += armLabels(pArea, slot: slot)
            return s + "</svg>\n"
        }

        /// One panel: grid, bars from zero (the best arm's in orange), y axis, title.
        func panel(_ values: [Double], axis: SVGPlot.Axis, area: SVGPlot.PlotArea, slot: Double, color: String,
                   barClass: String, title: String, yLabel: String) -> String {
            var s = #"<g class="panel">"# + "\n"
            s += SVGPlot.drawGrid(SVGPlot.Axis.linear(0, 1, rounded: false).emptied, axis, area)
            let zero = area.py(SVGPlot.fraction(0, axis))
            for (a, v) in values.enumerated() {
                let f = v.isFinite ? min(1, max(0, SVGPlot.fraction(v, axis))) : SVGPlot.fraction(0, axis)
                let y = area.py(f), x = area.x + slot * (Double(a) + 0.15)
                let fill = a == best ? Self.bestColor : color
                s += #"<rect class="\#(barClass)" x="\#(SVGPlot.num(x))" y="\#(SVGPlot.num(min(y, zero)))" "#
                s += #"width="\#(SVGPlot.num(0.7 * slot))" height="\#(SVGPlot.num(abs(zero - y)))" fill="\#(fill)">"#
                s += "<title>arm \(a): \(SVGPlot.escapeXML(yLabel)) = \(short(v))</title></rect>\n"
                if values.count <= 12 && barClass == "bar-pi" {
                    s += SVGPlot.text(NumberFormat.fixed(v, decimals: 2), x: x + 0.35 * slot, y: min(y, zero) - 4, size: 10, anchor: "middle",
                                      extra: #"class="bar-value""#)
                }
            }
            s += PolicyPicture.line(area.x, zero, area.x + area.width, zero, color: "#333333", width: 1)
            s += yAxis(axis, area)
            s += SVGPlot.text(title, x: area.px(0.5), y: area.y - 10, size: 13, anchor: "middle",
                              extra: #"font-weight="bold" class="panel-title""#)
            let lx = area.x - Self.left + 14, ly = area.py(0.5)
            s += SVGPlot.text(yLabel, x: lx, y: ly, size: 13, anchor: "middle",
                              extra: #"class="axis-label" transform="rotate(-90 \#(SVGPlot.num(lx)) \#(SVGPlot.num(ly)))""#)
            return s + "</g>\n"
        }

        /// The left spine with its ticks and labels.
        func yAxis(_ axis: SVGPlot.Axis, _ area: SVGPlot.PlotArea) -> String {
            var s = PolicyPicture.line(area.x, area.y, area.x, area.y + area.height, color: "#333333", width: 1)
            for t in axis.major {
                let y = area.py(SVGPlot.fraction(t.position, axis))
                s += PolicyPicture.line(area.x - 5, y, area.x, y, color: "#333333", width: 1)
                s += SVGPlot.tickLabel(t.label, x: area.x - 8, y: y + 4, anchor: "end")
            }
            return s
        }

        /// A dotted line at π = 1/A, the uniform policy.
        func uniformLine(_ axis: SVGPlot.Axis, _ area: SVGPlot.PlotArea, arms: Int) -> String {
            let y = area.py(SVGPlot.fraction(1 / Double(arms), axis))
            var s = PolicyPicture.line(area.x, y, area.x + area.width, y, color: "#777777", width: 1,
                                       extra: #"stroke-dasharray="2 3" class="uniform""#)
            s += SVGPlot.text("1/\(arms)", x: area.x + area.width + 3, y: y + 4, size: 10, anchor: "start")
            return s
        }

        /// Arm numbers under the lower panel (every k-th when they would crowd), and "arm".
        func armLabels(_ area: SVGPlot.PlotArea, slot: Double) -> String {
            let every = max(1, Int((24 / slot).rounded(.up)))
            var s = ""
            for a in stride(from: 0, to: means.count, by: every) {
                s += SVGPlot.text(String(a), x: area.x + slot * (Double(a) + 0.5), y: area.y + area.height + 16,
                                  size: 11, anchor: "middle", extra: #"class="arm-label""#)
            }
            return s + SVGPlot.text("arm a", x: area.px(0.5), y: area.y + area.height + 34, size: 13, anchor: "middle",
                                    extra: #"class="axis-label""#)
        }
    }

    /// A straight line.
    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, color: String, width: Double,
                     extra: String = "") -> String {
        var s = #"<line x1="\#(SVGPlot.num(x1))" y1="\#(SVGPlot.num(y1))" x2="\#(SVGPlot.num(x2))" y2="\#(SVGPlot.num(y2))" "#
        s += #"stroke="\#(color)" stroke-width="\#(SVGPlot.num(width))""#
        return s + (extra.isEmpty ? "" : " " + extra) + "/>\n"
    }
}

extension SVGPlot.Axis {
    /// The same axis without ticks (to draw grid lines along one direction only).
    var emptied: SVGPlot.Axis {
        var a = self
        a.major = []
        a.minor = []
        return a
    }
}
