/// Where each value of a parsed JSON document starts, looked up by path: `""` is the root,
/// `arms` a key of the root object, `arms[1].p` a key of the second element of that array.
///
/// Stored as two flat arrays in document order (start and subtree size per value), so that
/// recording costs O(1) per value, whatever the nesting or the length of the keys; a lookup
/// walks the path through the document. A key that itself holds `.` or `[` is matched whole
/// where the path allows (the longest key that fits).
public struct JSONPositions: Sendable {
    /// The document the positions belong to.
    var root: JSONValue = .null
    /// 1-based (line, column) of each value, in pre-order.
    private var starts: [(line: Int, column: Int)] = []
    /// Number of values in each value's subtree (itself included), in pre-order.
    private var sizes: [Int] = []

    /// No positions.
    public init() {}

    /// Records a value starting at (`line`, `column`); returns its index for ``finish(_:recording:)``.
    mutating func start(line: Int, column: Int, recording: Bool) -> Int {
        guard recording else { return 0 }
        starts.append((line, column))
        sizes.append(1)
        return starts.count - 1
    }

    /// Records that the value `node` (and everything in it) has been read.
    mutating func finish(_ node: Int, recording: Bool) {
        guard recording else { return }
        sizes[node] = starts.count - node
    }

    /// The 1-based (line, column) where the value at `path` starts, if the document has it.
    /// - Complexity: O(length of the path + the siblings passed on the way); allocates nothing.
    public subscript(path: String) -> (line: Int, column: Int)? {
        guard !starts.isEmpty else { return nil }
        var node = 0, value = root
        var rest = Substring(path)
        while !rest.isEmpty {
            if node != 0, rest.first == "." { rest = rest.dropFirst() }
            if rest.first == "[" {
                guard let close = rest.firstIndex(of: "]"), let k = Int(rest[rest.index(after: rest.startIndex)..<close]),
                      case let .array(items) = value, k >= 0, k < items.count else { return nil }
                node = child(of: node, at: k)
                value = items[k]
                rest = rest[rest.index(after: close)...]
            } else {
                guard case let .object(pairs) = value, let k = longestKey(of: pairs, prefixing: rest) else { return nil }
                node = child(of: node, at: k)
                value = pairs[k].1
                rest = rest.dropFirst(pairs[k].0.count)
            }
        }
        return starts[node]
    }

    /// The index of the `k`-th child of `node`, skipping the subtrees of the children before it.
    private func child(of node: Int, at k: Int) -> Int {
        var c = node + 1
        for _ in 0..<k { c += sizes[c] }
        return c
    }

    /// The index of the longest key that `path` starts with, followed by the end, `.` or `[`.
    private func longestKey(of pairs: [(String, JSONValue)], prefixing path: Substring) -> Int? {
        var best: Int?
        for (k, pair) in pairs.enumerated() where path.hasPrefix(pair.0) {
            let after = path.dropFirst(pair.0.count).first
            guard after == nil || after == "." || after == "[" else { continue }
            if best == nil || pairs[best!].0.count < pair.0.count { best = k }
        }
        return best
    }
}
