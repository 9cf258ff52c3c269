import Foundation

extension PolicyPicture {
    /// Colours of the cells that are not shaded.
    enum CellStyle {
        static let goal = "#009E73"
        static let holeGround = "#dde3ea"
        static let holePit = "#1d2b45"
        static let wall = "#4a4a4a"
        static let cliffGround = "#f2dde6"
        static let cliffLine = "#882255"
        static let terminal = "#e6e6e6"
        static let gridLine = "#b8b8b8"
        static let arrow = "#1a1a1a"
    }

    /// The gridworld picture: title, map with arrows, colour bar, key.
    struct GridPicture {
        var map: GridMap
        var probabilities: [Double]
        var quantity: [Double]
        var quantityLabel: String
        var range: ClosedRange<Double>?
        var title: String

        static let margin = 12.0
        /// The longest arrow, as a fraction of the cell size (π(a|s) = 1).
        static let reach = 0.42

        /// The cell size in pixels: the map fits in about 560 px, cells between 14 and 72 px.
        var cell: Double { min(72, max(14, (560 / Double(max(map.rows, map.columns))).rounded(.down))) }

        func render() -> String {
            let c = cell, m = Self.margin
            let gridWidth = c * Double(map.columns), gridHeight = c * Double(map.rows)
            let top = m + (title.isEmpty ? 0 : 30)
            let standable = map.cells.indices.filter { map.cells[$0].isStandable }
            let scale = ColorScale(values: range.map { [$0.lowerBound, $0.upperBound] } ?? standable.map { quantity[$0] })
            let barWidth = max(gridWidth, 280)
            let width = 2 * m + max(barWidth, 1.05 * SVGPlot.textWidth(title, size: 16))
            let x0 = (width - barWidth) / 2, gx = x0 + (barWidth - gridWidth) / 2
            let (bar, barHeight) = colorBar(scale, label: quantityLabel, x: x0, y: top + gridHeight + 10, width: barWidth)
            let (key, keyHeight) = drawKey(keyItems(), x: x0, y: top + gridHeight + 14 + barHeight, width: barWidth)
            let height = top + gridHeight + 14 + barHeight + keyHeight + m
            var s = header(width: width, height: height, title: title) + Self.patterns
            if !title.isEmpty {
                s += SVGPlot.text(title, x: width / 2, y: m + 18, size: 16, anchor: "middle",
                                  extra: #"font-weight="bold" class="figure-title""#)
            }
            s += #"<g class="map">"# + "\n"
            for state in map.cells.indices { s += drawCell(state, x0: gx, y0: top, scale: scale) }
            s += rect(gx, top, gridWidth, gridHeight, fill: "none", extra: ##"stroke="#555555" stroke-width="1.2""##)
            s += "</g>\n" + #"<g class="arrows">"# + "\n"
            for state in map.cells.indices where map.cells[state].isStandable {
                for a in map.actions.indices { s += drawArrow(state: state, action: a, x0: gx, y0: top) }
            }
            return s + "</g>\n" + bar + key + "</svg>\n"
        }

        /// Hatching for cliffs.
        static let patterns = #"<defs><pattern id="pg-cliff" patternUnits="userSpaceOnUse" width="7" height="7" "#
            + #"patternTransform="rotate(45)"><rect width="7" height="7" fill="\#(CellStyle.cliffGround)"/>"#
            + #"<line x1="0" y1="0" x2="0" y2="7" stroke="\#(CellStyle.cliffLine)" stroke-width="3"/></pattern></defs>"# + "\n"

        /// One cell: its fill (shade or kind), its mark, and a tooltip with the state, the
        /// quantity and the probabilities.
        func drawCell(_ state: Int, x0: Double, y0: Double, scale: ColorScale) -> String {
            let c = cell, cellKind = map.cells[state]
            let x = x0 + c * Double(state % map.columns), y = y0 + c * Double(state / map.columns)
            let fill: String
            switch cellKind {
            case .goal: fill = CellStyle.goal
            case .hole: fill = CellStyle.holeGround
            case .wall: fill = CellStyle.wall
            case .cliff: fill = "url(#pg-cliff)"
            case .custom where !cellKind.isStandable: fill = CellStyle.terminal
            default: fill = scale.color(quantity[state])
            }
            var s = #"<rect class="cell" x="\#(SVGPlot.num(x))" y="\#(SVGPlot.num(y))" "#
            s += #"width="\#(SVGPlot.num(c))" height="\#(SVGPlot.num(c))" fill="\#(fill)" "#
            s += #"stroke="\#(CellStyle.gridLine)" stroke-width="0.8"><title>\#(SVGPlot.escapeXML(tooltip(state)))</title></rect>"#
            return s + "\n" + mark(cellKind, x: x, y: y, c: c)
        }

        /// What marks a cell beyond its fill: "S" in a start's corner, "G" on a goal, a pit in a
        /// hole, the symbol of a declared cell.
        func mark(_ kind: GridCell, x: Double, y: Double, c: Double) -> String {
            let bold = #"font-weight="bold" class="cell-mark""#
            switch kind {
            case .start:
                return SVGPlot.text("S", x: x + 0.06 * c, y: y + 0.26 * c, size: 0.22 * c, anchor: "start", extra: bold)
            case .goal:
                return SVGPlot.text("G", x: x + c / 2, y: y + 0.66 * c, size: 0.44 * c, anchor: "middle", extra: bold)
                    .replacingOccurrences(of: ##"fill="#222222""##, with: ##"fill="#ffffff""##)
            case .hole:
                var s = #"<ellipse class="pit" cx="\#(SVGPlot.num(x + c / 2))" cy="\#(SVGPlot.num(y + c / 2))" "#
                s += #"rx="\#(SVGPlot.num(0.36 * c))" ry="\#(SVGPlot.num(0.3 * c))" fill="\#(CellStyle.holePit)"/>"#
                return s + "\n"
            case let .custom(symbol, _, _):
                return SVGPlot.text(String(symbol), x: x + 0.06 * c, y: y + 0.26 * c, size: 0.22 * c, anchor: "start", extra: bold)
            case .floor, .wall, .cliff:
                return ""
            }
        }

        /// "state 5 (row 1, column 1), floor; expected visits … 0.42; π: left 0.25, …".
        func tooltip(_ state: Int) -> String {
            let kind = map.cells[state]
            var t = "state \(state) (row \(state / map.columns), column \(state % map.columns)), \(Self.name(of: kind))"
            guard kind.isStandable else { return t }
            t += "; \(quantityLabel): \(short(quantity[state])); π:"
            let a = map.actions.count
            for (k, d) in map.actions.enumerated() {
                t += (k == 0 ? " " : ", ") + "\(d.rawValue) \(short(probabilities[state * a + k]))"
            }
            return t
        }

        /// A cell kind's name in the key and tooltips.
        static func name(of kind: GridCell) -> String {
            switch kind {
            case .start: return "start"
            case .floor: return "floor"
            case .hole: return "hole"
            case .goal: return "goal"
            case .cliff: return "cliff"
            case .wall: return "wall"
            case let .custom(symbol, reward, terminal):
                return "\(symbol): reward \(PolicyPicture.short(reward))" + (terminal ? ", terminal" : "")
            }
        }

        /// The arrow of `action` in `state`: from the centre in the action's move, of length
        /// π(a|s) × ``reach`` cells; an empty path when it would be shorter than half a pixel.
        func drawArrow(state: Int, action: Int, x0: Double, y0: Double) -> String {
            let c = cell
            let p = probabilities[state * map.actions.count + action]
            let cx = x0 + c * (Double(state % map.columns) + 0.5), cy = y0 + c * (Double(state / map.columns) + 0.5)
            let d = map.actions[action].delta
            let shown = p.isFinite ? max(0, min(1, p)) : 0
            let path = Self.arrowPath(cx: cx, cy: cy, dx: Double(d.column), dy: Double(d.row),
                                      length: shown * Self.reach * c, cell: c)
            let w = SVGPlot.num(max(1.2, c / 28))
            return #"<path class="arrow" d="\#(path)" fill="\#(CellStyle.arrow)" stroke="\#(CellStyle.arrow)" "#
                + #"stroke-width="\#(w)" stroke-linejoin="round"/>"# + "\n"
        }

        /// The path data of an arrow from (cx, cy) along the unit direction (dx, dy): a shaft and
        /// a triangular head whose size grows with the length up to 0.16 of a cell.
        static func arrowPath(cx: Double, cy: Double, dx: Double, dy: Double, length: Double, cell c: Double) -> String {
            guard length >= 0.5 else { return "" }
            let head = min(0.45 * length, 0.16 * c), half = 0.6 * head
            let (tx, ty) = (cx + dx * length, cy + dy * length)
            let (bx, by) = (tx - dx * head, ty - dy * head)
            let (nx, ny) = (-dy * half, dx * half)
            func p(_ x: Double, _ y: Double) -> String { SVGPlot.num(x) + "," + SVGPlot.num(y) }
            return "M" + p(cx, cy) + " L" + p(bx, by) + " M" + p(tx, ty) + " L" + p(bx + nx, by + ny)
                + " L" + p(bx - nx, by - ny) + " Z"
        }
    }
}
