extension FastMath {
    // MARK: Whole buffers

    /// Writes outᵢ = exp(xᵢ) for every i, eight lanes at a time (``exp(_:)-swift.type.method``).
    ///
    /// Each value is bit-identical to the scalar ``exp(_:)-swift.type.method`` and within 2 ulp
    /// of Foundation's `exp` (not bit-identical to it).
    /// - Parameters:
    ///   - x: the inputs.
    ///   - out: receives the results; same length as `x`; may be `x` itself.
    /// - Precondition: `out.count == x.count`.
    /// - Complexity: O(n); allocates nothing.
    @inlinable
    static func exp(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(out.count == x.count, "FastMath.exp: buffers of different lengths")
        guard let src = x.baseAddress, let dst = out.baseAddress else { return }
        byEight(x.count, src, dst, { exp($0) }, { exp($0) }, { exp($0) }, { exp($0) })
    }

    /// Writes outᵢ = log(xᵢ) for every i, eight lanes at a time (``log(_:)-swift.type.method``).
    ///
    /// Each value is bit-identical to the scalar ``log(_:)-swift.type.method`` and within 2 ulp
    /// of Foundation's `log` (not bit-identical to it).
    /// - Parameters:
    ///   - x: the inputs.
    ///   - out: receives the results; same length as `x`; may be `x` itself.
    /// - Precondition: `out.count == x.count`.
    /// - Complexity: O(n); allocates nothing.
    @inlinable
    static func log(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(out.count == x.count, "FastMath.log: buffers of different lengths")
        guard let src = x.baseAddress, let dst = out.baseAddress else { return }
        byEight(x.count, src, dst, { log($0) }, { log($0) }, { log($0) }, { log($0) })
    }

    /// Applies the lane-wise function `body` to `n` doubles from `src` into `dst`: in vectors of
    /// eight, then one of four, one of two and one scalar for the rest (lanes are independent
    /// and the vector and scalar functions agree bit for bit, so the split does not matter).
    @inlinable @inline(__always)
    static func byEight(_ n: Int, _ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>,
                        _ body: (SIMD8<Double>) -> SIMD8<Double>, _ body4: (SIMD4<Double>) -> SIMD4<Double>,
                        _ body2: (SIMD2<Double>) -> SIMD2<Double>, _ body1: (Double) -> Double) {
        var i = 0
        while i + 8 <= n {
            let v = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD8<Double>.self)
            UnsafeMutableRawPointer(dst + i).storeBytes(of: body(v), as: SIMD8<Double>.self)
            i += 8
        }
        if i + 4 <= n {
            let v = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD4<Double>.self)
            UnsafeMutableRawPointer(dst + i).storeBytes(of: body4(v), as: SIMD4<Double>.self)
            i += 4
        }
        if i + 2 <= n {
            let v = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD2<Double>.self)
            UnsafeMutableRawPointer(dst + i).storeBytes(of: body2(v), as: SIMD2<Double>.self)
            i += 2
        }
        if i < n { dst[i] = body1(src[i]) }
    }

    // MARK: Gumbel noise

    /// Fills `out` with Gumbel(0, 1) draws gᵢ = −log(−log uᵢ), uᵢ = `rng.nextUniformOpen()`,
    /// drawn in index order, eight at a time through the vector ``log(_:)-swift.type.method``.
    ///
    /// It consumes exactly the uniforms of the scalar loop
    /// `for i in out.indices { out[i] = rng.nextGumbel() }` and leaves `rng` in the same state;
    /// each gᵢ is bit-identical to `-FastMath.log(-FastMath.log(uᵢ))`, and differs from
    /// ``RandomStream/nextGumbel()`` (Foundation's `log`) only through the two logs, each within
    /// 2 ulp of Foundation's (so gᵢ agrees to a few ulp, is not bit-identical, and is always
    /// finite, |gᵢ| < 40, since 2⁻⁵³ ≤ uᵢ ≤ 1 − 2⁻⁵³).
    /// Gumbel, "Statistical Theory of Extreme Values", 1954.
    /// - Parameters:
    ///   - out: receives the draws.
    ///   - rng: the stream the uniforms come from (`out.count` draws).
    /// - Complexity: O(n); allocates nothing.
    @inlinable
    static func fillGumbel(_ out: UnsafeMutableBufferPointer<Double>, using rng: inout RandomStream) {
        guard let dst = out.baseAddress else { return }
        for i in out.indices { dst[i] = rng.nextUniformOpen() }
        let n = out.count
        byEight(n, dst, dst, { -log(-log($0)) }, { -log(-log($0)) }, { -log(-log($0)) }, { -log(-log($0)) })
    }

    // MARK: Softmax

    /// Writes yₖ = exp((zₖ − max z)/τ) / Σⱼ exp((zⱼ − max z)/τ), the softmax of the row `logits`
    /// at temperature τ, with the vector ``exp(_:)-swift.type.method``.
    ///
    /// The same operations in the same order as `Softmax.softmax(_:temperature:into:)` (the
    /// maximum, the scaled differences, the sum in index order, one reciprocal) except that each
    /// exp is ``exp(_:)-swift.type.method``, within 2 ulp of Foundation's; so each yₖ is within
    /// a few ulp of the Foundation path, not bit-identical to it. Stable for any τ > 0 and
    /// finite logits: the largest term is exp(0) = 1.
    /// - Parameters:
    ///   - logits: the row z (not empty).
    ///   - tau: the temperature τ > 0 (1 by default).
    ///   - out: receives y; same length as `logits`; may be `logits` itself.
    /// - Precondition: equal lengths, not empty.
    /// - Complexity: O(n); allocates nothing.
    @inlinable
    static func softmax(_ logits: UnsafeBufferPointer<Double>, temperature tau: Double = 1,
                               into out: UnsafeMutableBufferPointer<Double>) {
        precondition(out.count == logits.count && !logits.isEmpty, "FastMath.softmax: buffers of the wrong size")
        guard let src = logits.baseAddress, let dst = out.baseAddress else { return }
        var m = -Double.infinity
        for z in logits where z > m { m = z }
        byEight(logits.count, src, dst, { exp(($0 - m) / tau) }, { exp(($0 - m) / tau) }, { exp(($0 - m) / tau) },
                { exp(($0 - m) / tau) })
        var sum = 0.0
        for e in out { sum += e }
        let inv = 1 / sum
        for k in out.indices { out[k] *= inv }
    }
}

extension FastMath {
    /// Writes the softmax at temperature τ of every row of a row-major matrix (rows of
    /// `columns` entries), each row exactly as ``softmax(_:temperature:into:)`` would (bit for
    /// bit), but with one vector exp pass over the whole matrix, which is what makes it fast
    /// for short rows (a row of 10 is too short to keep the vector units busy).
    ///
    /// Relation to the Foundation path: as ``softmax(_:temperature:into:)``; each entry within
    /// a few ulp of `Softmax.softmax(_:temperature:into:)`, not bit-identical to it.
    /// - Parameters:
    ///   - logits: the rows, `count` a multiple of `columns`.
    ///   - columns: entries per row (> 0).
    ///   - tau: the temperature τ > 0 (1 by default).
    ///   - out: receives the rows of probabilities; same length; may be `logits` itself.
    /// - Precondition: equal lengths, a whole number of non-empty rows.
    /// - Complexity: O(n); allocates nothing.
    @inlinable
    static func softmaxRows(_ logits: UnsafeBufferPointer<Double>, columns: Int, temperature tau: Double = 1,
                                   into out: UnsafeMutableBufferPointer<Double>) {
        precondition(columns > 0 && logits.count % columns == 0 && out.count == logits.count,
                     "FastMath.softmaxRows: buffers of the wrong size")
        let rows = logits.count / columns
        for i in 0..<rows {
            let row = i * columns
            var m = -Double.infinity
            for k in row..<row + columns where logits[k] > m { m = logits[k] }
            for k in row..<row + columns { out[k] = (logits[k] - m) / tau }
        }
        exp(UnsafeBufferPointer(out), into: out)
        for i in 0..<rows {
            let row = i * columns
            var sum = 0.0
            for k in row..<row + columns { sum += out[k] }
            let inv = 1 / sum
            for k in row..<row + columns { out[k] *= inv }
        }
    }
}
