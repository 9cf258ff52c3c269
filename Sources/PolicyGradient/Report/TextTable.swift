import Foundation

/// An aligned plain-text table: a header row, a rule line of dashes, then the body rows.
///
/// Columns are separated by two spaces; trailing spaces are trimmed from every line. A
/// column's cells (header included) are left- or right-aligned; by default a column is
/// right-aligned when every non-empty body cell looks numeric (see ``looksNumeric(_:)``),
/// otherwise left-aligned. Widths count characters (grapheme clusters), so "±" and "τ" are
/// one column wide.
///
///     var table = TextTable(headers: ["estimator", "variance", "rel. bias"])
///     table.addRow(["reinforce", "12.5", "0.013 ± 0.021"])
///     print(table.render())
///
/// gives
///
///     estimator  variance      rel. bias
///     ---------  --------  -------------
///     reinforce      12.5  0.013 ± 0.021
public struct TextTable: Sendable, CustomStringConvertible {
    /// How the cells of a column are aligned.
    public enum Alignment: Sendable, Equatable {
        /// Right-aligned if every non-empty body cell looks numeric, else left-aligned.
        case automatic
        /// Padded on the right.
        case left
        /// Padded on the left.
        case right
    }

    /// The column titles; their number fixes the number of columns.
    public let headers: [String]
    /// One alignment per column.
    public var alignments: [Alignment]
    /// The body rows, each with `headers.count` cells.
    public private(set) var rows: [[String]] = []

    /// Creates an empty table.
    /// - Parameters:
    ///   - headers: the column titles.
    ///   - alignments: one per column, or nil for `.automatic` everywhere.
    /// - Precondition: `alignments`, if given, has one entry per header.
    public init(headers: [String], alignments: [Alignment]? = nil) {
        precondition(alignments == nil || alignments!.count == headers.count,
                     "TextTable needs one alignment per column")
        self.headers = headers
        self.alignments = alignments ?? Array(repeating: .automatic, count: headers.count)
    }

    /// Appends a body row.
    /// - Parameter cells: one string per column; a shorter row is padded with empty cells.
    /// - Precondition: `cells.count ≤ headers.count`.
    public mutating func addRow(_ cells: [String]) {
        precondition(cells.count <= headers.count, "row has more cells than the table has columns")
        rows.append(cells + Array(repeating: "", count: headers.count - cells.count))
    }

    /// The table as text, one line per row (header, rule, body), each ending in "\n".
    /// - Returns: the rendered table.
    /// - Complexity: O(total characters).
    public func render() -> String {
        let widths = headers.indices.map { c in
            rows.reduce(headers[c].count) { max($0, $1[c].count) }
        }
        let right = headers.indices.map { c in resolvedRightAlignment(column: c) }
        var lines = [line(headers, widths: widths, right: right)]
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for row in rows { lines.append(line(row, widths: widths, right: right)) }
        return lines.map { $0 + "\n" }.joined()
    }

    /// The rendered table (see ``render()``).
    public var description: String { render() }

    /// Whether a cell reads as a number: a decimal or scientific literal, "nan", "inf", "-inf",
    /// a "mean ± se" pair of those, or a number followed by "%" or "x".
    /// - Parameter cell: the cell text.
    /// - Returns: true when the cell should line up on the right.
    public static func looksNumeric(_ cell: String) -> Bool {
        let parts = cell.components(separatedBy: " ± ")
        guard parts.count <= 2 else { return false }
        return parts.allSatisfy { part in
            var s = part.trimmingCharacters(in: .whitespaces)
            if s.hasSuffix("%") || s.hasSuffix("x") { s.removeLast() }
            if ["nan", "inf", "-inf", "+inf"].contains(s.lowercased()) { return true }
            return !s.isEmpty && Double(s) != nil
        }
    }

    func resolvedRightAlignment(column c: Int) -> Bool {
        switch alignments[c] {
        case .left: return false
        case .right: return true
        case .automatic:
            let cells = rows.map { $0[c] }.filter { !$0.isEmpty }
            return !cells.isEmpty && cells.allSatisfy(Self.looksNumeric)
        }
    }

    func line(_ cells: [String], widths: [Int], right: [Bool]) -> String {
        let padded = cells.indices.map { c -> String in
            let pad = String(repeating: " ", count: widths[c] - cells[c].count)
            return right[c] ? pad + cells[c] : cells[c] + pad
        }
        var s = padded.joined(separator: "  ")
        while s.last == " " { s.removeLast() }
        return s
    }
}
