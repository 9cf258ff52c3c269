import Foundation

extension PolicyPicture.GridPicture {
    /// One entry of the key under the map.
    struct KeyItem {
        /// The kind shown, or nil for the arrow scale.
        var kind: GridCell?
        var label: String
    }

    /// The arrow scale, then every kind of cell the map has, in a fixed order.
    func keyItems() -> [KeyItem] {
        var items = [KeyItem(kind: nil, label: "π(a|s) = 1")]
        var seen: [GridCell] = []
        let order: [GridCell] = [.start, .goal, .hole, .cliff, .wall]
        for kind in order where map.cells.contains(kind) { seen.append(kind) }
        for kind in map.cells where !order.contains(kind) && kind != .floor && !seen.contains(kind) { seen.append(kind) }
        items += seen.map { KeyItem(kind: $0, label: Self.name(of: $0)) }
        return items
    }

    /// The key, flowed into rows of at most `width` pixels.
    /// - Returns: the SVG fragment and its height.
    func drawKey(_ items: [KeyItem], x: Double, y: Double, width: Double) -> (String, Double) {
        let row = 22.0, swatch = 16.0
        var s = #"<g class="key">"# + "\n", px = x, py = y
        for item in items {
            let swatchWidth = item.kind == nil ? Self.reach * cell + 4 : swatch
            let itemWidth = swatchWidth + 6 + SVGPlot.textWidth(item.label, size: 12) + 16
            if px > x && px + itemWidth > x + width { px = x; py += row }
            s += drawSwatch(item.kind, x: px, y: py + 3, size: swatch)
            s += SVGPlot.text(item.label, x: px + swatchWidth + 6, y: py + 15, size: 12, anchor: "start",
                              extra: #"class="key-label""#)
            px += itemWidth
        }
        return (s + "</g>\n", py + row - y)
    }

    /// A small sample of a cell kind, or (for nil) an arrow of full length.
    func drawSwatch(_ kind: GridCell?, x: Double, y: Double, size: Double) -> String {
        guard let kind else {
            let d = Self.arrowPath(cx: x, cy: y + size / 2, dx: 1, dy: 0, length: Self.reach * cell, cell: cell)
            return #"<path d="\#(d)" fill="\#(PolicyPicture.CellStyle.arrow)" stroke="\#(PolicyPicture.CellStyle.arrow)" "#
                + #"stroke-width="\#(SVGPlot.num(max(1.2, cell / 28)))" stroke-linejoin="round"/>"# + "\n"
        }
        let style = PolicyPicture.CellStyle.self
        let fill: String
        switch kind {
        case .goal: fill = style.goal
        case .hole: fill = style.holeGround
        case .wall: fill = style.wall
        case .cliff: fill = "url(#pg-cliff)"
        case .custom where !kind.isStandable: fill = style.terminal
        default: fill = PolicyPicture.ColorScale.color(atFraction: 0)
        }
        let outline = #"stroke="\#(style.gridLine)" stroke-width="0.8""#
        let cell = PolicyPicture.rect(x, y, size, size, fill: fill, extra: outline)
        switch kind {
        case .start, .custom:
            return cell + SVGPlot.text(String(kind.symbol), x: x + size / 2, y: y + 0.78 * size, size: 0.7 * size,
                                       anchor: "middle", extra: #"font-weight="bold" class="cell-mark""#)
        default:
            return cell + mark(kind, x: x, y: y, c: size)
        }
    }
}
