import Foundation

extension SVGPlot {
    /// The resolved look of one series.
    struct Style: Equatable {
        var color: String
        var dash: Dash
        var lineWidth: Double
    }

    /// One legend row.
    struct LegendEntry: Equatable {
        var label: String
        var style: Style
        var hasBand: Bool
    }

    /// Height of one legend row, in pixels.
    static let legendRow = 20.0

    /// Colours and dashes for every series (indexed [panel][series]).
    ///
    /// Labels get palette slots in order of first appearance across panels, so one label has
    /// one colour everywhere; each unlabelled series gets a slot of its own. Slot i has colour
    /// `palette[i % 8]` and, unless the series sets one, dash `Dash.cycle[(i + i / 8) % 4]`:
    /// the pattern changes from each series to the next (solid, dashed, dotted, dash-dot), so
    /// series that share a pattern are four apart (colours chosen to differ most in lightness),
    /// and the 32 first slots all differ in colour or pattern.
    func resolveStyles() -> [[Style]] {
        var slots: [String: Int] = [:]
        var next = 0
        return panels.map { panel in
            panel.series.map { s in
                let slot: Int
                if !s.label.isEmpty, let known = slots[s.label] {
                    slot = known
                } else {
                    slot = next
                    next += 1
                    if !s.label.isEmpty { slots[s.label] = slot }
                }
                let p = Self.palette
                let dash = s.dash ?? Dash.cycle[(slot + slot / p.count) % Dash.cycle.count]
                return Style(color: s.color ?? p[slot % p.count], dash: dash, lineWidth: s.lineWidth)
            }
        }
    }

    /// One entry per distinct non-empty label, in order of first appearance, styled like its
    /// first series; it shows a band swatch when any series with that label has a band.
    /// Reference lines follow the series.
    func legendEntries(_ styles: [[Style]]) -> [LegendEntry] {
        var entries: [LegendEntry] = []
        var index: [String: Int] = [:]
        for (p, panel) in panels.enumerated() {
            for (k, s) in panel.series.enumerated() where !s.label.isEmpty {
                if let i = index[s.label] {
                    entries[i].hasBand = entries[i].hasBand || s.band != nil
                } else {
                    index[s.label] = entries.count
                    entries.append(LegendEntry(label: s.label, style: styles[p][k], hasBand: s.band != nil))
                }
            }
        }
        for panel in panels {
            for r in panel.references where !r.label.isEmpty && index[r.label] == nil {
                index[r.label] = entries.count
                entries.append(LegendEntry(label: r.label, style: r.style, hasBand: false))
            }
        }
        return entries
    }

    /// The width of the legend box for `entries`.
    static func legendWidth(_ entries: [LegendEntry]) -> Double {
        let longest = entries.map { textWidth($0.label, size: 12) }.max() ?? 0
        return 48 + longest + 10
    }

    /// The legend: a light box with a line swatch (and band swatch) and the label per row.
    func drawLegend(_ entries: [LegendEntry], x: Double, y: Double) -> String {
        let width = Self.legendWidth(entries)
        let height = Double(entries.count) * Self.legendRow + 10
        var s = #"<g class="legend">"# + "\n"
        s += #"<rect x="\#(Self.num(x))" y="\#(Self.num(y))" width="\#(Self.num(width))" "#
        s += ##"height="\##(Self.num(height))" rx="3" fill="#ffffff" stroke="#bbbbbb" stroke-width="0.8"/>"## + "\n"
        for (i, entry) in entries.enumerated() {
            let cy = y + 5 + (Double(i) + 0.5) * Self.legendRow
            let st = entry.style
            if entry.hasBand {
                s += #"<rect x="\#(Self.num(x + 8))" y="\#(Self.num(cy - 5))" width="30" height="10" "#
                s += #"fill="\#(Self.escapeXML(st.color))" fill-opacity="0.2"/>"# + "\n"
            }
            s += #"<line x1="\#(Self.num(x + 8))" y1="\#(Self.num(cy))" x2="\#(Self.num(x + 38))" "#
            s += #"y2="\#(Self.num(cy))" "# + Self.strokeAttributes(st) + "/>\n"
            s += Self.text(entry.label, x: x + 46, y: cy + 4.2, size: 12, anchor: "start",
                           extra: #"class="legend-label""#)
        }
        return s + "</g>\n"
    }

    /// `stroke`, `stroke-width`, caps, joins and `stroke-dasharray` for a style.
    static func strokeAttributes(_ style: Style) -> String {
        var s = #"fill="none" stroke="\#(escapeXML(style.color))" stroke-width="\#(num(style.lineWidth))" "#
        s += #"stroke-linecap="round" stroke-linejoin="round""#
        if let dash = style.dash.dashArray { s += #" stroke-dasharray="\#(dash)""# }
        return s
    }
}
