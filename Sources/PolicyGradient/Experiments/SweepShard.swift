/// One share of a sweep's seeds, for running a sweep as independent jobs (the documentation's Slurm article).
///
/// Shard i of n (0 ≤ i < n) owns the seeds whose index j (0-based position in the sweep's seed
/// list) satisfies j ≡ i (mod n), for every variant. Interleaving keeps shards balanced when
/// the cost of a seed drifts with its index. Shard 0 of 1 is the whole sweep.
public struct SweepShard: Sendable, Equatable, CustomStringConvertible {
    /// i, in 0..<count.
    public let index: Int
    /// n ≥ 1.
    public let count: Int

    /// The whole sweep (shard 0 of 1).
    public static let whole = SweepShard(uncheckedIndex: 0, count: 1)

    /// Shard `index` of `count`.
    /// - Throws: ``InputError`` unless 0 ≤ index < count.
    public init(index: Int, count: Int) throws {
        guard count >= 1, index >= 0, index < count else {
            throw InputError("--shard: expected i/n with 0 <= i < n (for example 0/4 ... 3/4), got \(index)/\(count)")
        }
        self.init(uncheckedIndex: index, count: count)
    }

    /// Parses `i/n`.
    /// - Throws: ``InputError`` for anything else.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = NumberSyntax.int(parts[0]), let n = NumberSyntax.int(parts[1]) else {
            throw InputError("--shard: expected i/n with 0 <= i < n (for example 0/4 ... 3/4), got '\(text)'")
        }
        try self.init(index: i, count: n)
    }

    private init(uncheckedIndex: Int, count: Int) {
        index = uncheckedIndex
        self.count = count
    }

    /// The seed indices this shard owns among `seeds` seeds, ascending.
    /// - Complexity: O(seeds / count).
    public func indices(seeds: Int) -> [Int] {
        Array(stride(from: index, to: max(seeds, 0), by: count))
    }

    /// `i/n`.
    public var description: String { "\(index)/\(count)" }
}
