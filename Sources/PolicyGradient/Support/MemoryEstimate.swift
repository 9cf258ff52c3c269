/// The memory a run will need, item by item, estimated from its sizes before anything large is
/// allocated, and checked against a ``MemoryLimit`` (see `MemoryEstimate+Run.swift` for the
/// items of a training session, a sweep and a variance study).
///
/// An estimate counts what a run keeps at its peak (arrays of doubles, tables, per-thread
/// workspaces), not the few megabytes of code and small values every run has. It is an upper
/// bound in spirit and accurate to a small factor, which is all a limit needs: it tells
/// "fits easily" from "cannot fit", and names what makes a run large.
public struct MemoryEstimate: Sendable {
    /// One part of a run's memory.
    public struct Item: Sendable, Equatable {
        /// What the memory holds, with its sizes: `mlp policy: 10000200000 parameters x 5 copies`.
        public var what: String
        /// Its size in bytes.
        public var bytes: Double
        /// The setting whose value makes it large (its key, such as `hidden`), if one does.
        public var field: String?
        /// The file whose contents make it large (an environment file), if one does.
        public var file: String?

        /// Creates an item.
        public init(_ what: String, bytes: Double, field: String? = nil, file: String? = nil) {
            self.what = what
            self.bytes = bytes
            self.field = field
            self.file = file
        }
    }

    /// The items, in the order they were added.
    public private(set) var items: [Item] = []

    /// An empty estimate.
    public init() {}

    /// The total in bytes (a Double: products of hostile sizes never overflow).
    public var total: Double { items.reduce(0) { $0 + $1.bytes } }

    /// Adds an item of `bytes` bytes.
    public mutating func add(_ what: String, bytes: Double, field: String? = nil, file: String? = nil) {
        guard bytes > 0 else { return }
        items.append(Item(what, bytes: bytes, field: field, file: file))
    }

    /// Adds an item of `count` doubles (8 bytes each).
    public mutating func add(_ what: String, doubles count: Double, field: String? = nil, file: String? = nil) {
        add(what, bytes: 8 * count, field: field, file: file)
    }

    /// Adds every item of `other`.
    public mutating func add(_ other: MemoryEstimate) { items += other.items }

    /// The estimate of `n` copies alive at once: every item `n` times, its description ending in
    /// `(x n why)`, e.g. `(x 2 sessions at once, one per thread)`.
    public func times(_ n: Int, _ why: String) -> MemoryEstimate {
        var e = MemoryEstimate()
        for item in items {
            e.add(item.what + " (x \(n) \(why))", bytes: item.bytes * Double(n), field: item.field, file: item.file)
        }
        return e
    }

    /// The largest item.
    public var largest: Item? { items.max { $0.bytes < $1.bytes } }

    /// Refuses a run whose estimate exceeds `limit`.
    ///
    /// The error names the largest item's setting (as its field) or file, the total and the
    /// largest item, and the limit: `hidden: the run would need about 373 GiB of memory, 373 GiB
    /// of it for the mlp policy: 10002200004 parameters x 5 copies (…); the limit is 12 GiB, 50%
    /// of the 24 GiB of physical memory (raise it with memory_limit)`.
    /// - Throws: ``InputError`` when ``total`` > `limit.bytes`.
    /// - Complexity: O(items); allocates nothing unless it throws.
    public func check(against limit: MemoryLimit) throws {
        let total = self.total
        guard total > limit.bytes, let big = largest else { return }
        let message = "the run would need about \(MemoryLimit.format(bytes: total)) of memory, "
            + "\(MemoryLimit.format(bytes: big.bytes)) of it for \(big.what); the limit is \(limit)"
            + (limit.isLowered || total > MemoryLimit.availableMemory.bytes ? ": the run does not fit this machine"
                : " (raise it with memory_limit)")
        var error = big.field.map { InputError(field: $0, message, mentions: ["memory_limit"]) }
            ?? InputError(message, file: big.file)
        error.mentions = ["memory_limit"]
        throw error
    }
}
