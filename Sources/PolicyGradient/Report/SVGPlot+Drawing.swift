import Foundation

extension SVGPlot {
    /// Space above the axes for the panel title, in pixels.
    static let plotTopInset = 30.0
    /// Space below the axes for tick labels and the x label, in pixels.
    static let plotBottomInset = 46.0
    /// Space right of the axes, in pixels.
    static let plotRightInset = 14.0

    /// The rectangle of a panel's axes, in figure pixels.
    struct PlotArea {
        var x: Double
        var y: Double
        var width: Double
        var height: Double

        /// The pixel x of an axis fraction (0 = left edge).
        func px(_ f: Double) -> Double { x + f * width }
        /// The pixel y of an axis fraction (0 = bottom edge).
        func py(_ f: Double) -> Double { y + (1 - f) * height }
    }

    /// One panel: grid, bands, lines, axes with ticks, labels and title.
    func drawPanel(_ panel: Panel, index: Int, x0: Double, y0: Double, styles: [Style]) -> String {
        let (xAxis, yAxis) = Self.axes(for: panel)
        let tickWidth = yAxis.major.map { Self.labelWidth($0.label) }.max() ?? 0
        let left = 24 + tickWidth + 10
        let area = PlotArea(x: x0 + left, y: y0 + Self.plotTopInset,
                            width: max(10, panelWidth - left - Self.plotRightInset),
                            height: max(10, panelHeight - Self.plotTopInset - Self.plotBottomInset))
        let clip = "pg-clip-\(index)"
        var s = #"<g class="panel">"# + "\n"
        s += #"<defs><clipPath id="\#(clip)"><rect x="\#(Self.num(area.x - 2))" y="\#(Self.num(area.y - 2))" "#
        s += #"width="\#(Self.num(area.width + 4))" height="\#(Self.num(area.height + 4))"/></clipPath></defs>"# + "\n"
        s += Self.drawGrid(xAxis, yAxis, area)
        s += #"<g clip-path="url(#\#(clip))">"# + "\n"
        s += Self.referencePaths(panel, yAxis, area)
        for (k, series) in panel.series.enumerated() where series.band != nil {
            s += Self.bandPath(series, xAxis, yAxis, area, color: styles[k].color)
        }
        for (k, series) in panel.series.enumerated() {
            s += #"<path class="series" d="\#(Self.linePath(series, xAxis, yAxis, area))" "#
            s += Self.strokeAttributes(styles[k]) + "/>\n"
            if series.markers { s += Self.markerGroup(series, xAxis, yAxis, area, color: styles[k].color) }
        }
        s += "</g>\n" + Self.drawAxes(xAxis, yAxis, area)
        s += Self.text(panel.title, x: area.px(0.5), y: y0 + 18, size: 14, anchor: "middle",
                       extra: #"font-weight="bold" class="panel-title""#)
        s += Self.text(panel.xLabel, x: area.px(0.5), y: area.y + area.height + 38, size: 13,
                       anchor: "middle", extra: #"class="axis-label""#)
        let ly = area.py(0.5), lx = x0 + 14
        s += Self.text(panel.yLabel, x: lx, y: ly, size: 13, anchor: "middle",
                       extra: #"class="axis-label" transform="rotate(-90 \#(Self.num(lx)) \#(Self.num(ly)))""#)
        return s + "</g>\n"
    }

    /// The x and y axes fitted to a panel's drawable data (bands and, when there are data,
    /// reference lines included).
    ///
    /// On a log axis the lower band edge counts only down to one decade below its point, so a
    /// wide band cannot stretch the axis over many empty decades (it is clipped instead).
    static func axes(for panel: Panel) -> (Axis, Axis) {
        var xs: (Double, Double)?, ys: (Double, Double)?
        func include(_ v: Double, _ e: inout (Double, Double)?) {
            e = e.map { (min($0.0, v), max($0.1, v)) } ?? (v, v)
        }
        for s in panel.series {
            for i in s.x.indices where valid(s.x[i], panel.xScale) && valid(s.y[i], panel.yScale) {
                include(s.x[i], &xs)
                include(s.y[i], &ys)
                guard let b = s.band?[i], b.isFinite else { continue }
                let upper = s.y[i] + abs(b), lower = s.y[i] - abs(b)
                if valid(upper, panel.yScale) { include(upper, &ys) }
                if panel.yScale == .linear {
                    include(lower, &ys)
                } else {
                    include(max(lower, s.y[i] / 10), &ys)
                }
            }
        }
        if ys != nil || xs != nil {
            for r in panel.references where valid(r.y, panel.yScale) { include(r.y, &ys) }
        }
        let x = Axis.fit(scale: panel.xScale, minimum: xs?.0, maximum: xs?.1, fixed: panel.xRange)
        let y = Axis.fit(scale: panel.yScale, minimum: ys?.0, maximum: ys?.1, fixed: panel.yRange)
        return (x, y)
    }

    /// Whether `v` can be drawn on `scale` (finite, and positive on a log scale).
    static func valid(_ v: Double, _ scale: Scale) -> Bool {
        v.isFinite && (scale == .linear || v > 0)
    }

    /// The SVG path data of a series: one "M … L …" piece per run of drawable points; a piece
    /// of a single point becomes a small circle (two arcs of radius 1.5 px), drawn as a dot.
    static func linePath(_ s: Series, _ xAxis: Axis, _ yAxis: Axis, _ area: PlotArea) -> String {
        var d = "", run = 0
        let dot = " m-1.5,0 a1.5,1.5 0 1,0 3,0 a1.5,1.5 0 1,0 -3,0"
        for i in s.x.indices {
            guard let fx = xAxis.fraction(s.x[i]), let fy = yAxis.fraction(s.y[i]) else {
                if run == 1 { d += dot }
                run = 0
                continue
            }
            let point = num(area.px(fx)) + "," + num(area.py(fy))
            d += run == 0 ? (d.isEmpty ? "M" : " M") + point : " L" + point
            run += 1
        }
        if run == 1 { d += dot }
        return d
    }

    /// A small filled circle at every drawable point of a series, as `<g class="markers">`.
    static func markerGroup(_ s: Series, _ xAxis: Axis, _ yAxis: Axis, _ area: PlotArea, color: String) -> String {
        var out = ##"<g class="markers" fill="\##(escapeXML(color))" stroke="#ffffff" stroke-width="0.6">"## + "\n"
        for i in s.x.indices {
            guard let fx = xAxis.fraction(s.x[i]), let fy = yAxis.fraction(s.y[i]) else { continue }
            out += #"<circle cx="\#(num(area.px(fx)))" cy="\#(num(area.py(fy)))" r="2.6"/>"# + "\n"
        }
        return out + "</g>\n"
    }

    /// A filled 20%-opacity polygon y ± band for each run of at least two drawable points.
    static func bandPath(_ s: Series, _ xAxis: Axis, _ yAxis: Axis, _ area: PlotArea,
                         color: String) -> String {
        guard let band = s.band else { return "" }
        var d = "", upper: [String] = [], lower: [String] = []
        func flush() {
            if upper.count >= 2 {
                d += (d.isEmpty ? "M" : " M") + upper.joined(separator: " L")
                d += " L" + lower.reversed().joined(separator: " L") + " Z"
            }
            upper.removeAll()
            lower.removeAll()
        }
        for i in s.x.indices {
            guard band[i].isFinite, let fx = xAxis.fraction(s.x[i]), yAxis.fraction(s.y[i]) != nil,
                  let fu = yAxis.fraction(s.y[i] + abs(band[i])) else { flush(); continue }
            let fl = yAxis.fraction(s.y[i] - abs(band[i])) ?? -0.05
            let px = num(area.px(fx))
            upper.append(px + "," + num(area.py(fu)))
            lower.append(px + "," + num(area.py(max(fl, -0.05))))
        }
        flush()
        if d.isEmpty { return "" }
        return #"<path class="band" d="\#(d)" fill="\#(escapeXML(color))" fill-opacity="0.2" stroke="none"/>"# + "\n"
    }

    /// Light grid lines at the major ticks of both axes.
    static func drawGrid(_ xAxis: Axis, _ yAxis: Axis, _ area: PlotArea) -> String {
        var s = ##"<g class="grid" stroke="#e3e3e3" stroke-width="0.8">"## + "\n"
        for tick in xAxis.major {
            let x = num(area.px((tick.position - xAxis.lo) / (xAxis.hi - xAxis.lo)))
            s += #"<line x1="\#(x)" y1="\#(num(area.y))" x2="\#(x)" y2="\#(num(area.y + area.height))"/>"# + "\n"
        }
        for tick in yAxis.major {
            let y = num(area.py((tick.position - yAxis.lo) / (yAxis.hi - yAxis.lo)))
            s += #"<line x1="\#(num(area.x))" y1="\#(y)" x2="\#(num(area.x + area.width))" y2="\#(y)"/>"# + "\n"
        }
        return s + "</g>\n"
    }
}
