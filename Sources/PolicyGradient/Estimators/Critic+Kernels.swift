/// The critic's passes for its usual shape, one hidden layer and one output
/// (`critic_hidden` a single width): Q_w(s, x) = w₂ · act(W₁ [x(s), x] + b₁) + b₂.
///
/// They compute what ``MLP``'s general forward and backward passes compute, operation for
/// operation in the same order for every number (so a run's numbers are the same bits), but
/// without the general passes' per-input checks and closures: the first layer is read from a
/// transposed copy (``Critic/columns``, one contiguous column of H weights per input), so the
/// hidden pre-activations are H-wide vector updates, one per non-zero input; the fit runs the
/// forward passes of all its (s, a) pairs before their backward passes, and reads a one-hot
/// action as the one column it selects.
extension Critic {
    /// Writes W₁ transposed into `c`: entry `i · H + o` is W₁[o, i] (H the hidden width); leaves
    /// `c` empty for a network of another shape.
    /// - Complexity: O(parameterCount); allocates only when `c` has the wrong size.
    static func transposeFirstLayer(_ p: [Double], network: MLP, into c: inout [Double]) {
        guard network.widths.count == 3, network.widths[2] == 1 else { return c = [] }
        let nIn = network.widths[0], h = network.widths[1]
        if c.count != nIn * h { c = [Double](repeating: 0, count: nIn * h) }
        c.withUnsafeMutableBufferPointer { c in
            p.withUnsafeBufferPointer { p in
                for o in 0..<h { for i in 0..<nIn { c[i &* h &+ o] = p[o &* nIn &+ i] } }
            }
        }
    }

    /// The hidden pre-activations b₁ + W₁ [x(s), x] into `pre` (H values): for each output o,
    /// b₁[o] plus the products of the non-zero inputs in increasing input order, as
    /// ``MLP``'s forward pass adds them.
    /// - Complexity: O(H · non-zero inputs); allocates nothing.
    @inlinable @inline(__always)
    static func preActivations(bias: UnsafePointer<Double>, columns c: UnsafePointer<Double>, hidden h: Int,
                               features: FeatureRow, action x: UnsafeBufferPointer<Double>,
                               into pre: UnsafeMutablePointer<Double>) {
        pre.update(from: bias, count: h)
        if let hot = features.hotIndex {
            addColumn(c + hot &* h, times: 1, hidden: h, to: pre)
        } else {
            for i in features.values.indices where features.values[i] != 0 {
                addColumn(c + i &* h, times: features.values[i], hidden: h, to: pre)
            }
        }
        let f = features.count
        for a in x.indices where x[a] != 0 { addColumn(c + (f &+ a) &* h, times: x[a], hidden: h, to: pre) }
    }

    /// pre[o] += column[o] · x for o in 0..<h, two lanes at a time (each lane the scalar product
    /// and sum).
    @inlinable @inline(__always)
    static func addColumn(_ column: UnsafePointer<Double>, times x: Double, hidden h: Int, to pre: UnsafeMutablePointer<Double>) {
        let cr = UnsafeRawPointer(column), pr = UnsafeMutableRawPointer(pre), xv = SIMD2(repeating: x)
        var o = 0
        while o &+ 2 <= h {
            let off = o &* 8
            let sum = pr.loadUnaligned(fromByteOffset: off, as: SIMD2<Double>.self)
                + cr.loadUnaligned(fromByteOffset: off, as: SIMD2<Double>.self) * xv
            pr.storeBytes(of: sum, toByteOffset: off, as: SIMD2<Double>.self)
            o &+= 2
        }
        if o < h { pre[o] += column[o] * x }
    }

    /// Q_w(s, x) through the one-hidden-layer passes, with ∇ₓQ_w(s, x) written into `gradient`
    /// when given. The same numbers as the general path.
    /// - Complexity: O(H · (non-zero inputs + A)); allocates nothing (stack scratch).
    @usableFromInline func evaluateOneHidden(features: FeatureRow, action x: UnsafeBufferPointer<Double>,
                                             gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        let h = network.widths[1], nIn = network.widths[0], f = features.count, act = network.activation
        precondition(nIn == f + x.count, "MLP input of the wrong length")
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: h) { scratch in
            let hid = scratch.baseAddress!
            return weights.withUnsafeBufferPointer { pb in
                columns.withUnsafeBufferPointer { cb in
                    let p = pb.baseAddress!, b1 = p + h &* nIn, w2 = b1 + h
                    Self.preActivations(bias: b1, columns: cb.baseAddress!, hidden: h, features: features, action: x, into: hid)
                    for o in 0..<h { hid[o] = act.apply(hid[o]) }
                    var z = w2[h]
                    for o in 0..<h { z += w2[o] * hid[o] }
                    guard let g = gradient?.baseAddress else { return z }
                    let n = x.count
                    g.update(repeating: 0, count: n)
                    for o in 0..<h {
                        let d = w2[o] * act.derivative(output: hid[o])
                        if d == 0 { continue }
                        let row = p + (o &* nIn &+ f)
                        for i in 0..<n { g[i] += d * row[i] }
                    }
                    return z
                }
            }
        }
    }

    /// One gradient of the fit's loss into `g` (zeroed first): for every remembered pair
    /// k = (s, a) in `pairs`, the forward pass at (x(s), e_a), then their backward passes in the
    /// same order with the cotangent −(n_k Q_k − G_k) / Σ n, as the general fit does.
    /// - Complexity: O(pairs · H · non-zero features); allocates nothing.
    func fitGradientOneHidden(pairs: UnsafeBufferPointer<Int>, visits: UnsafeBufferPointer<Double>,
                              returnSum: UnsafeBufferPointer<Double>, total: Double, actionCount a: Int, rows: FeatureRows,
                              hidden hid: UnsafeMutablePointer<Double>, into g: UnsafeMutablePointer<Double>) {
        let h = network.widths[1], nIn = network.widths[0], f = rows.count, act = network.activation
        g.update(repeating: 0, count: network.parameterCount)
        weights.withUnsafeBufferPointer { pb in
            columns.withUnsafeBufferPointer { cb in
                let p = pb.baseAddress!, b1 = p + h &* nIn, w2 = b1 + h, c = cb.baseAddress!
                let none = UnsafeBufferPointer<Double>(start: nil, count: 0)
                for (j, k) in pairs.enumerated() {                       // forward passes
                    let hk = hid + j &* (h &+ 1)
                    Self.preActivations(bias: b1, columns: c, hidden: h, features: rows[k / a], action: none, into: hk)
                    Self.addColumn(c + (f &+ k % a) &* h, times: 1, hidden: h, to: hk)
                    for o in 0..<h { hk[o] = act.apply(hk[o]) }
                    var z = w2[h]
                    for o in 0..<h { z += w2[o] * hk[o] }
                    hk[h] = z
                }
                let gb1 = g + h &* nIn, gw2 = gb1 + h
                for (j, k) in pairs.enumerated() {                       // backward passes
                    let hk = hid + j &* (h &+ 1)
                    let d = -(visits[k] * hk[h] - returnSum[k]) / total
                    if d == 0 { continue }
                    gw2[h] += d
                    for o in 0..<h { gw2[o] += d * hk[o] }
                    let row = rows[k / a], column = f &+ k % a
                    for o in 0..<h {
                        let d1 = d * w2[o] * act.derivative(output: hk[o])
                        if d1 == 0 { continue }
                        gb1[o] += d1
                        let gr = g + o &* nIn
                        row.forEachNonZero { i, xi in gr[i] += d1 * xi }
                        gr[column] += d1
                    }
                }
            }
        }
    }
}
