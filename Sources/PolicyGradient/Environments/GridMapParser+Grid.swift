extension GridMapParser {
    /// The grid rows read after `map:`.
    struct Grid {
        var cells: [GridCell]
        var columns: Int
        /// The 1-based file line of each grid row.
        var rowLines: [Int]
    }

    /// Reads the grid rows that follow the `map:` line (1-based `mapLine`).
    func readGrid(after mapLine: Int, legend: [Character: GridCell]) throws -> Grid {
        var rows = lines[mapLine...].enumerated().map { (line: mapLine + $0.offset + 1, cells: $0.element) }
        for i in rows.indices {
            while rows[i].cells.last?.isWhitespace == true { rows[i].cells.removeLast() }
        }
        while rows.last?.cells.isEmpty == true { rows.removeLast() }
        guard let columns = rows.first?.cells.count, columns > 0 else {
            throw error("the map has no rows after 'map:'", line: mapLine, column: 1)
        }
        var grid = Grid(cells: [], columns: columns, rowLines: rows.map(\.line))
        for row in rows {
            guard !row.cells.isEmpty else {
                throw error("blank line inside the map", line: row.line, column: 1)
            }
            for (j, ch) in row.cells.enumerated() {
                if j == columns {
                    throw error("row has \(row.cells.count) cells but the first row has \(columns)",
                                line: row.line, column: j + 1)
                }
                grid.cells.append(try cell(ch, legend: legend, line: row.line, column: j + 1))
            }
            if row.cells.count < columns {
                throw error("row has \(row.cells.count) cells but the first row has \(columns)",
                            line: row.line, column: row.cells.count + 1)
            }
        }
        return grid
    }

    /// The cell a map character stands for.
    func cell(_ ch: Character, legend: [Character: GridCell], line: Int, column: Int) throws -> GridCell {
        switch ch {
        case "S": return .start
        case "F", ".": return .floor
        case "H": return .hole
        case "G": return .goal
        case "C": return .cliff
        case "#": return .wall
        default:
            if let custom = legend[ch] { return custom }
            let declared = legend.keys.sorted().map { String($0) }.joined(separator: " ")
            throw error("unknown cell '\(ch)'; valid cells: S (start), F or . (floor), H (hole), G (goal), "
                        + "C (cliff), # (wall)" + (declared.isEmpty ? "" : ", and declared cells \(declared)")
                        + "; declare others with 'cell X: reward r'", line: line, column: column)
        }
    }

    /// Checks that the map has a start and that every start reaches a goal (`G` or a terminal
    /// custom cell) by moves through standable cells (a graph search from each start).
    func checkReachable(_ map: GridMap, rowLines: [Int], mapLine: Int) throws {
        let starts = map.cells.indices.filter { map.cells[$0] == .start }
        guard !starts.isEmpty else {
            throw error("the map has no start cell 'S'", line: mapLine, column: 1)
        }
        guard map.cells.contains(where: \.isTarget) else {
            throw error("the map has no goal: add a 'G' cell or a terminal cell ('cell X: reward r terminal')",
                        line: mapLine, column: 1)
        }
        for start in starts {
            var reached = [Bool](repeating: false, count: map.cells.count)
            var found = false, queue = [start]
            reached[start] = true
            while let s = queue.popLast(), !found {
                for d in GridDirection.allCases {
                    let t = map.target(of: s, moving: d)
                    found = found || map.cells[t].isTarget
                    if !reached[t], map.cells[t].isStandable {
                        reached[t] = true
                        queue.append(t)
                    }
                }
            }
            guard found else {
                throw error("the goal cannot be reached from this start", line: rowLines[start / map.columns],
                            column: start % map.columns + 1)
            }
        }
    }
}
