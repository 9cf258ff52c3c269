extension GridMapParser {
    /// The grid rows read after `map:`.
    struct Grid {
        var cells: [GridCell]
        var columns: Int
        /// The 1-based file line of each grid row.
        var rowLines: [Int]
    }

    /// Reads the grid rows that follow the `map:` line (1-based `mapLine`).
    ///
    /// Time and memory are linear in the file: rows of ASCII characters are read byte by byte,
    /// others Character by Character, and the cells are checked against
    /// ``GridMap/maximumCells`` from the first row's width and the number of rows before one is
    /// stored.
    func readGrid(after mapLine: Int, legend: [Character: GridCell]) throws -> Grid {
        var end = lineRanges.count
        while end > mapLine, width(of: lineRanges[end - 1]) == 0 { end -= 1 }
        guard end > mapLine else { throw error("the map has no rows after 'map:'", line: mapLine, column: 1) }
        let rows = end - mapLine, columns = width(of: lineRanges[mapLine])
        let (total, overflow) = rows.multipliedReportingOverflow(by: columns)
        if overflow || total > GridMap.maximumCells {
            throw error("the map has \(rows) row\(rows == 1 ? "" : "s") x \(columns) columns = \(overflow ? "too many" : String(total)) cells; pg reads "
                        + "maps of at most \(GridMap.maximumCells) cells (its transition table alone would take about "
                        + "\(MemoryLimit.format(bytes: Double(rows) * Double(columns) * GridMap.bytesPerCell)))",
                        line: mapLine + 1, column: 1)
        }
        var grid = Grid(cells: [], columns: columns, rowLines: Array((mapLine + 1)...end))
        grid.cells.reserveCapacity(total)
        let table = asciiCells(legend)
        for index in mapLine..<end {
            try appendRow(index, columns: columns, legend: legend, ascii: table, into: &grid.cells)
        }
        return grid
    }

    /// The number of characters of a line without its trailing blanks (0 for a blank line).
    func width(of range: Range<Int>) -> Int {
        var end = range.upperBound
        while end > range.lowerBound, Self.isASCIIBlank(bytes[end - 1]) { end -= 1 }
        guard bytes[range.lowerBound..<end].contains(where: { $0 >= 0x80 }) else { return end - range.lowerBound }
        var count = 0, kept = 0
        for ch in String(decoding: bytes[range], as: UTF8.self) {
            count += 1
            if !ch.isWhitespace { kept = count }
        }
        return kept
    }

    /// Whether a byte is an ASCII character that Swift's `Character.isWhitespace` calls blank.
    static func isASCIIBlank(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }

    /// The cells of the ASCII characters (built-in and declared), indexed by byte.
    func asciiCells(_ legend: [Character: GridCell]) -> [GridCell?] {
        (0..<128).map { b in
            let ch = Character(Unicode.Scalar(UInt8(b)))
            if Self.builtInCells.contains(ch) { return try? cell(ch, legend: [:], line: 0, column: 0) }
            return legend[ch]
        }
    }

    /// Appends the cells of grid line `index` (0-based), checking that it has `columns` of them.
    func appendRow(_ index: Int, columns: Int, legend: [Character: GridCell], ascii: [GridCell?],
                   into cells: inout [GridCell]) throws {
        let range = lineRanges[index], line = index + 1, count = width(of: range)
        guard count > 0 else { throw error("blank line inside the map", line: line, column: 1) }
        let mismatch = "row has \(count) cell\(count == 1 ? "" : "s") but the first row has \(columns)"
        func check(_ j: Int) throws {
            if j == columns { throw error(mismatch, line: line, column: j + 1) }
        }
        let row = bytes[range]
        if !row.contains(where: { $0 >= 0x80 }) {
            for (j, b) in row.prefix(count).enumerated() {
                try check(j)
                if let c = ascii[Int(b)] { cells.append(c); continue }
                cells.append(try cell(Character(Unicode.Scalar(b)), legend: legend, line: line, column: j + 1))
            }
        } else {
            for (j, ch) in String(decoding: row, as: UTF8.self).prefix(count).enumerated() {
                try check(j)
                cells.append(try cell(ch, legend: legend, line: line, column: j + 1))
            }
        }
        if count < columns { throw error(mismatch, line: line, column: count + 1) }
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
    /// custom cell) by moves through standable cells.
    ///
    /// One search backwards from the goals marks every standable cell from which a goal can be
    /// reached, so the check takes O(cells) time whatever the number of starts.
    func checkReachable(_ map: GridMap, rowLines: [Int], mapLine: Int) throws {
        guard map.cells.contains(.start) else {
            throw error("the map has no start cell 'S'", line: mapLine, column: 1)
        }
        guard map.cells.contains(where: \.isTarget) else {
            throw error("the map has no goal: add a 'G' cell or a terminal cell ('cell X: reward r terminal')",
                        line: mapLine, column: 1)
        }
        let reaches = map.cellsReachingAGoal()
        if let start = map.cells.indices.first(where: { map.cells[$0] == .start && !reaches[$0] }) {
            throw error("the goal cannot be reached from this start", line: rowLines[start / map.columns],
                        column: start % map.columns + 1)
        }
    }
}

extension GridMap {
    /// For every cell, whether it is standable and some moves through standable cells lead from
    /// it into a goal (`G` or a terminal custom cell).
    /// - Complexity: O(rows · columns) time and memory.
    func cellsReachingAGoal() -> [Bool] {
        var reaches = [Bool](repeating: false, count: cells.count), queue: [Int] = []
        let directions = GridDirection.allCases
        for s in cells.indices where cells[s].isStandable && directions.contains(where: { cells[target(of: s, moving: $0)].isTarget }) {
            reaches[s] = true
            queue.append(s)
        }
        while let t = queue.popLast() {
            let r = t / columns, c = t % columns
            for d in directions {  // s moving d lands on t: s is t's neighbour against d
                let (dr, dc) = d.delta, sr = r - dr, sc = c - dc
                guard sr >= 0, sr < rows, sc >= 0, sc < columns else { continue }
                let s = sr * columns + sc
                if !reaches[s], cells[s].isStandable, target(of: s, moving: d) == t {
                    reaches[s] = true
                    queue.append(s)
                }
            }
        }
        return reaches
    }
}
