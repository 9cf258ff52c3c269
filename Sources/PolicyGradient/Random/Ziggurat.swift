import Foundation

/// Tables of the 128-layer ziggurat for the standard normal, in Doornik's formulation
/// ("An Improved Ziggurat Method to Generate Normal Random Samples", 2005), which corrects
/// the correlation between layer index and value of Marsaglia & Tsang (2000) by taking the
/// layer index and the uniform from disjoint bits.
/// A plain struct of pointers (allocated once, never freed), so reading it from many threads
/// touches no reference count.
@usableFromInline
struct ZigguratTable: @unchecked Sendable {
    /// Right edges x_i of the layers (x_128 = 0), 129 entries.
    @usableFromInline let x: UnsafeMutablePointer<Double>
    /// Ratios x_{i+1}/x_i: a uniform below this lies inside the layer for sure.
    @usableFromInline let ratio: UnsafeMutablePointer<Double>
    /// Start of the tail, R.
    @usableFromInline static let tailStart = 3.442619855899
    /// Area of each layer, V.
    static let layerArea = 9.91256303526217e-3

    init() {
        x = .allocate(capacity: 129)
        ratio = .allocate(capacity: 128)
        let r = ZigguratTable.tailStart, v = ZigguratTable.layerArea
        var f = exp(-0.5 * r * r)
        x[0] = v / f
        x[1] = r
        x[128] = 0
        for i in 2..<128 {
            x[i] = (-2 * log(v / x[i - 1] + f)).squareRoot()
            f = exp(-0.5 * x[i] * x[i])
        }
        for i in 0..<128 { ratio[i] = x[i + 1] / x[i] }
    }

    /// The shared tables.
    @usableFromInline static let shared = ZigguratTable()
}

extension RandomStream {
    /// A standard normal draw N(0, 1) by the ziggurat method (Marsaglia & Tsang, "The Ziggurat
    /// Method for Generating Random Variables", 2000, with Doornik's 2005 correction).
    ///
    /// About 98% of draws cost one 64-bit random number, a table look-up and a multiply.
    /// - Complexity: O(1) expected; allocates nothing.
    @inlinable
    public mutating func nextGaussian() -> Double { nextGaussian(table: ZigguratTable.shared) }

    /// ``nextGaussian()`` with the tables passed in: a caller that holds them (``Bandit``) spares
    /// the hot loop the lazy global's once-check, a call that also spills every register.
    @inlinable @inline(__always)
    mutating func nextGaussian(table: ZigguratTable) -> Double {
        let bits = next()
        let i = Int(bits & 0x7F)
        let u = 2 * ((Double(bits >> 11) + 0.5) * 0x1p-53) - 1
        if abs(u) < table.ratio[i] { return u * table.x[i] }
        return gaussianOutsideTheCore(bits: bits, table: table)
    }

    /// The ziggurat's rare cases (about 2% of draws), from the 64 bits whose uniform fell outside
    /// its layer's core: the tail, the wedge test, and a fresh draw when that rejects. Out of
    /// line, so that the calls to `exp` here do not make the inlined fast path spill registers.
    @usableFromInline @inline(never)
    mutating func gaussianOutsideTheCore(bits first: UInt64, table: ZigguratTable) -> Double {
        var bits = first
        while true {
            let i = Int(bits & 0x7F)
            let u = 2 * ((Double(bits >> 11) + 0.5) * 0x1p-53) - 1
            if abs(u) < table.ratio[i] { return u * table.x[i] }
            if i == 0 { return gaussianTail(negative: u < 0) }
            let x = u * table.x[i]
            let f0 = Foundation.exp(-0.5 * (table.x[i] * table.x[i] - x * x))
            let f1 = Foundation.exp(-0.5 * (table.x[i + 1] * table.x[i + 1] - x * x))
            if f1 + nextUniformOpen() * (f0 - f1) < 1 { return x }
            bits = next()
        }
    }

    /// A draw from the normal tail beyond R (Marsaglia 1964).
    @usableFromInline
    mutating func gaussianTail(negative: Bool) -> Double {
        let r = ZigguratTable.tailStart
        var x = 0.0, y = 0.0
        repeat {
            x = Foundation.log(nextUniformOpen()) / r
            y = Foundation.log(nextUniformOpen())
        } while -2 * y < x * x
        return negative ? x - r : r - x
    }
}
