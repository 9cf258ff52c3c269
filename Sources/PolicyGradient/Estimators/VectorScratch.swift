/// A few vectors of scratch for an estimator's per-chunk work, allocated once (64-byte aligned)
/// and freed with the chunk. Reading them touches no reference count.
public final class VectorScratch: @unchecked Sendable {
    /// Length of each vector.
    @usableFromInline let count: Int
    /// Number of vectors.
    @usableFromInline let vectors: Int
    @usableFromInline let base: UnsafeMutablePointer<Double>

    /// `vectors` zeroed vectors of `count` doubles.
    public init(count: Int, vectors: Int) {
        self.count = count
        self.vectors = vectors
        let bytes = (max(count * vectors, 1) * MemoryLayout<Double>.stride + 63) / 64 * 64
        base = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64).bindMemory(to: Double.self, capacity: max(count * vectors, 1))
        base.initialize(repeating: 0, count: max(count * vectors, 1))
    }

    /// Calls `body` with vector `i`.
    /// - Precondition: `i` in `0..<vectors`.
    public func withVector<R>(_ i: Int, _ body: (inout MutableSpan<Double>) throws -> R) rethrows -> R {
        var span = self[i].mutableSpan
        return try body(&span)
    }

    /// Vector `i`, for the library's own loops.
    @inlinable subscript(_ i: Int) -> UnsafeMutableBufferPointer<Double> {
        precondition(i >= 0 && i < vectors, "scratch vector \(i) of \(vectors)")
        return UnsafeMutableBufferPointer(start: base + i * count, count: count)
    }

    deinit { UnsafeMutableRawPointer(base).deallocate() }
}
