/// Up to ``capacity`` numbers an estimator reports per update (NaN where it has none), stored
/// inline so that an update's record allocates nothing.
public struct EstimatorValues: Sendable, Equatable {
    /// The most values an estimator reports.
    public static let capacity = 6
    /// The values, then NaN.
    @usableFromInline var storage: (Double, Double, Double, Double, Double, Double) = (.nan, .nan, .nan, .nan, .nan, .nan)
    /// How many values are set (``count``).
    @usableFromInline var stored = 0
    /// How many values are set.
    @inlinable public var count: Int { stored }

    /// No values.
    @inlinable public init() {}

    /// One value.
    @inlinable public init(_ a: Double) { storage = (a, .nan, .nan, .nan, .nan, .nan); stored = 1 }
    /// Two values, in ``GradientEstimator/logFields`` order.
    @inlinable public init(_ a: Double, _ b: Double) { storage = (a, b, .nan, .nan, .nan, .nan); stored = 2 }
    /// Three values, in ``GradientEstimator/logFields`` order.
    @inlinable public init(_ a: Double, _ b: Double, _ c: Double) { storage = (a, b, c, .nan, .nan, .nan); stored = 3 }

    /// The given values, in ``GradientEstimator/logFields`` order.
    /// - Precondition: at most ``capacity`` values.
    public init(_ values: Double...) {
        precondition(values.count <= Self.capacity, "at most \(Self.capacity) estimator values")
        for v in values { append(v) }
    }

    /// Appends a value.
    public mutating func append(_ v: Double) {
        precondition(count < Self.capacity, "at most \(Self.capacity) estimator values")
        let i = stored
        withUnsafeMutableBytes(of: &storage) { $0.bindMemory(to: Double.self)[i] = v }
        stored += 1
    }

    /// Value `i` (NaN beyond ``count``).
    public subscript(_ i: Int) -> Double {
        guard i < count else { return .nan }
        return withUnsafeBytes(of: storage) { $0.bindMemory(to: Double.self)[i] }
    }

    public static func == (a: EstimatorValues, b: EstimatorValues) -> Bool {
        a.count == b.count && (0..<a.count).allSatisfy { a[$0].bitPattern == b[$0].bitPattern }
    }
}
