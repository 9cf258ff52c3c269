import Foundation

extension SVGPlot {
    /// The left and bottom spines with outward ticks (major 5 px, minor 3 px) and tick labels.
    static func drawAxes(_ xAxis: Axis, _ yAxis: Axis, _ area: PlotArea) -> String {
        let bottom = area.y + area.height
        var s = ##"<g class="axes" stroke="#333333" stroke-width="1" fill="none">"## + "\n"
        s += #"<polyline class="spine" points="\#(num(area.x)),\#(num(area.y)) "#
        s += #"\#(num(area.x)),\#(num(bottom)) \#(num(area.x + area.width)),\#(num(bottom))"/>"# + "\n"
        let xMajor = xAxis.major.map { area.px(fraction($0.position, xAxis)) }
        let yMajor = yAxis.major.map { area.py(fraction($0.position, yAxis)) }
        for x in xMajor { s += tick(x1: x, y1: bottom, x2: x, y2: bottom + 5) }
        for p in xAxis.minor { let x = area.px(fraction(p, xAxis)); s += tick(x1: x, y1: bottom, x2: x, y2: bottom + 3) }
        for y in yMajor { s += tick(x1: area.x, y1: y, x2: area.x - 5, y2: y) }
        for p in yAxis.minor { let y = area.py(fraction(p, yAxis)); s += tick(x1: area.x, y1: y, x2: area.x - 3, y2: y) }
        s += "</g>\n"
        s += #"<g class="tick-labels">"# + "\n"
        for (x, t) in zip(xMajor, xAxis.major) {
            s += tickLabel(t.label, x: x, y: bottom + 18, anchor: "middle")
        }
        for (y, t) in zip(yMajor, yAxis.major) {
            s += tickLabel(t.label, x: area.x - 8, y: y + 4, anchor: "end")
        }
        return s + "</g>\n"
    }

    /// Where a transformed position falls along an axis (0 at `lo`, 1 at `hi`).
    static func fraction(_ position: Double, _ axis: Axis) -> Double {
        (position - axis.lo) / (axis.hi - axis.lo)
    }

    /// One tick mark.
    static func tick(x1: Double, y1: Double, x2: Double, y2: Double) -> String {
        #"<line x1="\#(num(x1))" y1="\#(num(y1))" x2="\#(num(x2))" y2="\#(num(y2))"/>"# + "\n"
    }

    /// A tick label; an exponent is drawn as a raised, smaller `<tspan>` ("10" then "−3").
    static func tickLabel(_ label: TickLabel, x: Double, y: Double, anchor: String) -> String {
        var s = #"<text class="tick-label" x="\#(num(x))" y="\#(num(y))" font-size="12" "#
        s += ##"text-anchor="\##(anchor)" fill="#333333">\##(escapeXML(label.text))"##
        if let e = label.exponent {
            s += #"<tspan dy="-5" font-size="9">\#(escapeXML(e))</tspan>"#
        }
        return s + "</text>\n"
    }

    /// The approximate width of a tick label in pixels.
    static func labelWidth(_ label: TickLabel) -> Double {
        textWidth(label.text, size: 12) + textWidth(label.exponent ?? "", size: 9)
    }
}
