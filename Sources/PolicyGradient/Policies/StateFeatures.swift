/// The feature vectors x(s) of every state of an environment: implicit one-hot vectors (the
/// default, stored as nothing at all), or a dense row-major S × F matrix for environments that
/// conform to ``CustomFeatures``.
///
/// One-hot features are never materialised, so a map of 10⁶ cells costs no S × S matrix:
/// linear and MLP policies, NVIL's c_ψ and the critic read a one-hot row as its hot index.
public struct StateFeatures: Sendable, Equatable {
    /// Number of states S.
    public let stateCount: Int
    /// Length F of each feature vector (S for one-hot features).
    public let count: Int
    /// Row-major S × F values; nil for one-hot features.
    @usableFromInline let dense: [Double]?

    /// One-hot features for `stateCount` states: x(s) = e_s.
    public static func oneHot(stateCount: Int) -> StateFeatures {
        StateFeatures(stateCount: stateCount, count: stateCount, dense: nil)
    }

    /// Dense features: row s of the row-major `matrix` is x(s).
    /// - Precondition: `matrix.count == stateCount * count`.
    public init(dense matrix: [Double], stateCount: Int, count: Int) {
        precondition(matrix.count == stateCount * count, "the feature matrix must have stateCount x count entries")
        self.init(stateCount: stateCount, count: count, dense: matrix)
    }

    private init(stateCount: Int, count: Int, dense: [Double]?) {
        self.stateCount = stateCount
        self.count = count
        self.dense = dense
    }

    /// Whether the features are the implicit one-hot vectors.
    public var isOneHot: Bool { dense == nil }

    /// Calls `body` with a trivially copyable view of every row (no reference count is touched
    /// while reading rows, so worker threads may share it).
    /// - Complexity: O(1); allocates nothing.
    @inlinable
    public func withRows<R>(_ body: (FeatureRows) throws -> R) rethrows -> R {
        guard let dense else { return try body(FeatureRows(base: nil, count: count)) }
        return try dense.withUnsafeBufferPointer { try body(FeatureRows(base: $0.baseAddress, count: count)) }
    }

    /// The feature vector of state `s` as a new array (for tests and set-up code).
    public func vector(_ s: Int) -> [Double] {
        withRows { rows in (0..<count).map { rows[s][$0] } }
    }
}

/// Read-only access to the rows of a ``StateFeatures`` during one call of
/// ``StateFeatures/withRows(_:)``.
public struct FeatureRows {
    @usableFromInline let base: UnsafePointer<Double>?
    /// Length F of each row.
    public let count: Int

    @usableFromInline init(base: UnsafePointer<Double>?, count: Int) {
        self.base = base
        self.count = count
    }

    /// Row `s`.
    @inlinable
    public subscript(_ s: Int) -> FeatureRow {
        guard let base else { return FeatureRow(hotIndex: s, count: count) }
        return FeatureRow(values: UnsafeBufferPointer(start: base + s * count, count: count))
    }
}

/// One feature vector x(s): a one-hot vector (stored as its hot index) or a dense buffer.
public struct FeatureRow {
    /// The index of the single 1 of a one-hot row; nil for a dense row.
    public let hotIndex: Int?
    /// The entries of a dense row (empty for a one-hot row), for the library's own loops.
    @usableFromInline let values: UnsafeBufferPointer<Double>
    /// Length F.
    public let count: Int

    /// The one-hot row e_hot of length `count`.
    @inlinable
    public init(hotIndex: Int, count: Int) {
        self.hotIndex = hotIndex
        self.count = count
        values = UnsafeBufferPointer(start: nil, count: 0)
    }

    /// A dense row over `values` (valid while they are).
    @inlinable 
    init(values: UnsafeBufferPointer<Double>) {
        hotIndex = nil
        self.values = values
        count = values.count
    }

    /// Entry j.
    /// - Precondition: `j` in `0..<count`.
    @inlinable
    public subscript(_ j: Int) -> Double {
        precondition(UInt(bitPattern: j) < UInt(count), "feature \(j) of \(count)")
        if let h = hotIndex { return j == h ? 1 : 0 }
        return values[j]
    }

    /// Calls `body` with the entries of a dense row (an empty span for a one-hot row, whose
    /// only non-zero entry is ``hotIndex``).
    @inlinable
    public func withValues<R>(_ body: (Span<Double>) throws -> R) rethrows -> R { try body(values.span) }

    /// Calls `body` with a dense row holding `values` (valid during the call): to evaluate a
    /// policy at features of your own.
    public static func withDense<R>(_ values: [Double], _ body: (FeatureRow) throws -> R) rethrows -> R {
        try values.withUnsafeBufferPointer { try body(FeatureRow(values: $0)) }
    }

    /// Calls `body(j, x_j)` for every non-zero entry, in increasing j.
    /// - Complexity: O(1) for a one-hot row, O(F) for a dense one; allocates nothing.
    @inlinable
    public func forEachNonZero(_ body: (Int, Double) -> Void) {
        if let h = hotIndex { return body(h, 1) }
        for j in values.indices where values[j] != 0 { body(j, values[j]) }
    }
}
