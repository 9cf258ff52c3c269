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
        var hasMarkers = false
    }

    /// Height of one legend row, in pixels.
    static let legendRow = 20.0

    /// Colours and dashes for every series (indexed [panel][series]).
    ///
    /// Labels get palette slots in order of first appearance across panels, so one label has
    /// one colour everywhere; each unlabelled series gets a slot of its own. A family of one
    /// label (the usual case) has slot i's colour `palette[i % 8]` and, unless the series sets
    /// one, dash `Dash.cycle[(i + i / 8) % 4]`: the pattern changes from each series to the next
    /// (solid, dashed, dotted, dash-dot), so series that share a pattern are four apart (colours
    /// chosen to differ most in lightness), and the 32 first slots all differ in colour or
    /// pattern. A family of several labels (``Series/family``) takes one slot: its j-th member of
    /// m gets ``shade(_:member:of:)`` of the slot's colour and dash `Dash.cycle[j % 4]`.
    func resolveStyles() -> [[Style]] {
        // The members' labels of every family, in order of first appearance.
        var members: [String: [String]] = [:]
        for panel in panels {
            for s in panel.series where !s.label.isEmpty {
                let key = Self.familyKey(s)
                if !members[key, default: []].contains(s.label) { members[key, default: []].append(s.label) }
            }
        }
        var slots: [String: Int] = [:]
        var next = 0
        let p = Self.palette
        return panels.map { panel in
            panel.series.map { s in
                let key = Self.familyKey(s)
                let slot: Int
                if !s.label.isEmpty || s.family != nil, let known = slots[key] {
                    slot = known
                } else {
                    slot = next
                    next += 1
                    if !s.label.isEmpty || s.family != nil { slots[key] = slot }
                }
                let names = members[key] ?? []
                if names.count > 1, let j = names.firstIndex(of: s.label) {
                    return Style(color: s.color ?? Self.shade(p[slot % p.count], member: j, of: names.count),
                                 dash: s.dash ?? Dash.cycle[j % Dash.cycle.count], lineWidth: s.lineWidth)
                }
                let dash = s.dash ?? Dash.cycle[(slot + slot / p.count) % Dash.cycle.count]
                return Style(color: s.color ?? p[slot % p.count], dash: dash, lineWidth: s.lineWidth)
            }
        }
    }

    /// The key of a series' hue family: its family, else its label.
    static func familyKey(_ s: Series) -> String {
        s.family.map { "family " + $0 } ?? "label " + s.label
    }

    /// Shade `member` (0-based) of `count` of a "#rrggbb" colour: the members spread from darker
    /// to lighter around the colour, mixing it with black (at most 45%) or white (at most 40%);
    /// a very dark colour only lightens and a very light one only darkens, so every shade stays
    /// visible on white and the shades differ in lightness as much as the hue allows.
    /// - Precondition: `0 <= member < count`.
    public static func shade(_ hex: String, member: Int, of count: Int) -> String {
        precondition(member >= 0 && member < count, "member out of range")
        guard count > 1, hex.count == 7, let v = Int(hex.dropFirst(), radix: 16) else { return hex }
        let rgb = [Double(v >> 16), Double((v >> 8) & 255), Double(v & 255)]
        let luma = (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255
        let (low, high) = luma < 0.15 ? (0.0, 0.6) : luma > 0.6 ? (-0.55, 0.0) : (-0.45, 0.4)
        let t = low + (high - low) * Double(member) / Double(count - 1)
        let mixed = rgb.map { c -> Int in
            let m = t < 0 ? c * (1 + t) : c + (255 - c) * t
            return Int(m.rounded())
        }
        return "#" + mixed.map { String(format: "%02X", min(255, max(0, $0))) }.joined()
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
                    entries[i].hasMarkers = entries[i].hasMarkers || s.markers
                } else {
                    index[s.label] = entries.count
                    entries.append(LegendEntry(label: s.label, style: styles[p][k], hasBand: s.band != nil,
                                               hasMarkers: s.markers))
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
            if entry.hasMarkers {
                s += #"<circle cx="\#(Self.num(x + 23))" cy="\#(Self.num(cy))" r="2.6" fill="\#(Self.escapeXML(st.color))" "#
                s += ##"stroke="#ffffff" stroke-width="0.6"/>"## + "\n"
            }
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
