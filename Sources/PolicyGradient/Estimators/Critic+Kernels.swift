/// The critic's passes for its usual shape, one hidden layer and one output
/// (`critic_hidden` a single width): Q_w(s, x) = w₂ · act(W₁ [x(s), x] + b₁) + b₂.
///
/// They compute what ``MLP``'s general forward and backward passes compute, operation for
/// operation in the same order for every number (so a run's numbers are the same bits), but
/// without the general passes' per-input checks and closures. The first layer is stored by
/// columns (``Critic/weights``), so the hidden pre-activations are H-wide vector updates, one
/// per non-zero input, and the fit's backward pass adds whole columns; the fit runs the forward
/// passes of all its (s, a) pairs before their backward passes, and reads a one-hot action as
/// the one column it selects.
extension Critic {
    /// `p` with its first layer (H × nIn) reordered from rows to columns (`toKernel`) or back;
    /// the biases and the output layer stay where they are.
    /// - Complexity: O(parameterCount); allocates the result.
    static func reordered(_ p: [Double], network: MLP, toKernel: Bool) -> [Double] {
        let nIn = network.widths[0], h = network.widths[1]
        var q = p
        for o in 0..<h {
            for i in 0..<nIn {
                if toKernel { q[i * h + o] = p[o * nIn + i] } else { q[o * nIn + i] = p[i * h + o] }
            }
        }
        return q
    }

    /// Writes W₁ by rows (``MLP``'s layout) from kernel-layout weights into `rows`; leaves it
    /// empty for a network the kernels do not serve.
    /// - Complexity: O(H · nIn); allocates only when `rows` has the wrong size.
    static func copyRows(of w: [Double], network: MLP, into rows: inout [Double]) {
        guard network.widths.count == 3, network.widths[2] == 1 else { return rows = [] }
        let nIn = network.widths[0], h = network.widths[1]
        if rows.count != nIn * h { rows = [Double](repeating: 0, count: nIn * h) }
        rows.withUnsafeMutableBufferPointer { r in
            w.withUnsafeBufferPointer { w in
                for i in 0..<nIn { for o in 0..<h { r[o &* nIn &+ i] = w[i &* h &+ o] } }
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
        var o = 0  // a copy of b₁ (a loop: a call to memcpy costs more than 32 values)
        while o &+ 4 <= h {
            UnsafeMutableRawPointer(pre + o).storeBytes(of: UnsafeRawPointer(bias + o).loadUnaligned(as: SIMD4<Double>.self),
                                                        as: SIMD4<Double>.self)
            o &+= 4
        }
        while o < h { pre[o] = bias[o]; o &+= 1 }
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

    /// pre[o] += column[o] · x for o in 0..<h, four lanes at a time (each lane the scalar product
    /// and sum).
    @inlinable @inline(__always)
    static func addColumn(_ column: UnsafePointer<Double>, times x: Double, hidden h: Int, to pre: UnsafeMutablePointer<Double>) {
        let cr = UnsafeRawPointer(column), pr = UnsafeMutableRawPointer(pre), xv = SIMD4(repeating: x)
        var o = 0
        while o &+ 4 <= h {
            let off = o &* 8
            let sum = pr.loadUnaligned(fromByteOffset: off, as: SIMD4<Double>.self)
                + cr.loadUnaligned(fromByteOffset: off, as: SIMD4<Double>.self) * xv
            pr.storeBytes(of: sum, toByteOffset: off, as: SIMD4<Double>.self)
            o &+= 4
        }
        while o < h { pre[o] += column[o] * x; o &+= 1 }
    }

    /// pre[o] += column[o] for o in 0..<h: ``addColumn(_:times:hidden:to:)`` for x = 1 (the
    /// same numbers: w · 1 = w).
    @inlinable @inline(__always)
    static func addColumn(_ column: UnsafePointer<Double>, hidden h: Int, to pre: UnsafeMutablePointer<Double>) {
        let cr = UnsafeRawPointer(column), pr = UnsafeMutableRawPointer(pre)
        var o = 0
        while o &+ 4 <= h {
            let off = o &* 8
            let sum = pr.loadUnaligned(fromByteOffset: off, as: SIMD4<Double>.self)
                + cr.loadUnaligned(fromByteOffset: off, as: SIMD4<Double>.self)
            pr.storeBytes(of: sum, toByteOffset: off, as: SIMD4<Double>.self)
            o &+= 4
        }
        while o < h { pre[o] += column[o]; o &+= 1 }
    }

    /// h[o] = act(h[o]) for o in 0..<n; relu four lanes at a time (z > 0 ? z : 0, lane by lane).
    @inlinable @inline(__always)
    static func activate(_ h: UnsafeMutablePointer<Double>, count n: Int, _ act: Activation) {
        var o = 0
        if act == .relu {
            let r = UnsafeMutableRawPointer(h), zero = SIMD4<Double>(repeating: 0)
            while o &+ 4 <= n {
                let z = r.loadUnaligned(fromByteOffset: o &* 8, as: SIMD4<Double>.self)
                r.storeBytes(of: zero.replacing(with: z, where: z .> zero), toByteOffset: o &* 8, as: SIMD4<Double>.self)
                o &+= 4
            }
        }
        while o < n { h[o] = act.apply(h[o]); o &+= 1 }
    }

    /// b + Σ_o w[o] · h[o], added in increasing o (as the general output layer adds them).
    @inlinable @inline(__always)
    static func output(_ w: UnsafePointer<Double>, bias: Double, hidden h: UnsafePointer<Double>, count n: Int) -> Double {
        var z = bias, o = 0
        while o < n { z += w[o] * h[o]; o &+= 1 }
        return z
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
                rows.withUnsafeBufferPointer { rb in
                    let p = pb.baseAddress!, b1 = p + h &* nIn, w2 = b1 + h
                    Self.preActivations(bias: b1, columns: p, hidden: h, features: features, action: x, into: hid)
                    Self.activate(hid, count: h, act)
                    let z = Self.output(w2, bias: w2[h], hidden: hid, count: h)
                    guard let g = gradient?.baseAddress else { return z }
                    let n = x.count
                    for i in 0..<n { g[i] = 0 }
                    for o in 0..<h {
                        let d = w2[o] * act.derivative(output: hid[o])
                        if d == 0 { continue }
                        let row = rb.baseAddress! + (o &* nIn &+ f)
                        var i = 0
                        while i &+ 2 <= n {
                            let sum = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD2<Double>.self)
                                + SIMD2(repeating: d) * UnsafeRawPointer(row + i).loadUnaligned(as: SIMD2<Double>.self)
                            UnsafeMutableRawPointer(g + i).storeBytes(of: sum, as: SIMD2<Double>.self)
                            i &+= 2
                        }
                        if i < n { g[i] += d * row[i] }
                    }
                    return z
                }
            }
        }
    }

    /// One gradient of the fit's loss into `g` (zeroed first): for every remembered pair
    /// k = (s, a) in `pairs`, the forward pass at (x(s), e_a), then their backward passes in the
    /// same order with the cotangent −(n_k Q_k − G_k) / Σ n, as the general fit does. The
    /// backward pass adds the hidden units' terms without the general pass's test for a zero
    /// δ: a zero adds ±0 to a sum that started at +0, which leaves it as it was.
    /// - Complexity: O(pairs · H · non-zero features); allocates nothing.
    func fitGradientOneHidden(pairs: UnsafeBufferPointer<Int>, visits: UnsafeBufferPointer<Double>,
                              returnSum: UnsafeBufferPointer<Double>, total: Double, actionCount a: Int, rows: FeatureRows,
                              hidden hid: UnsafeMutablePointer<Double>, into g: UnsafeMutablePointer<Double>) {
        let h = network.widths[1], nIn = network.widths[0], f = rows.count, act = network.activation
        g.update(repeating: 0, count: network.parameterCount)
        weights.withUnsafeBufferPointer { pb in
            do {
                let p = pb.baseAddress!, b1 = p + h &* nIn, w2 = b1 + h, c = p
                let none = UnsafeBufferPointer<Double>(start: nil, count: 0)
                for (j, k) in pairs.enumerated() {                       // forward passes
                    let hk = hid + j &* (h &+ 1)
                    Self.preActivations(bias: b1, columns: c, hidden: h, features: rows[k / a], action: none, into: hk)
                    Self.addColumn(c + (f &+ k % a) &* h, hidden: h, to: hk)
                    Self.activate(hk, count: h, act)
                }
                var j = 0
                while j &+ 2 <= pairs.count {                            // their outputs, two sums side by side
                    let h0 = hid + j &* (h &+ 1), h1 = h0 + (h &+ 1)
                    var z = SIMD2(repeating: w2[h]), o = 0
                    while o < h { z += SIMD2(repeating: w2[o]) * SIMD2(h0[o], h1[o]); o &+= 1 }
                    (h0[h], h1[h]) = (z[0], z[1])
                    j &+= 2
                }
                if j < pairs.count {
                    let hk = hid + j &* (h &+ 1)
                    hk[h] = Self.output(w2, bias: w2[h], hidden: hk, count: h)
                }
                for (j, k) in pairs.enumerated() {                       // backward passes
                    let hk = hid + j &* (h &+ 1)
                    let d = -(visits[k] * hk[h] - returnSum[k]) / total
                    if d == 0 { continue }
                    Self.backward(d, hidden: hk, w2: w2, row: rows[k / a], column: f &+ k % a, inputs: nIn, units: h, act, into: g)
                }
            }
        }
    }

    /// One pair's backward pass with output cotangent d: g_b₂ += d, g_w₂ += d h, and for each
    /// unit o with δ = d w₂[o] act′(h[o]): g_b₁[o] += δ, g_W₁[o, i] += δ xᵢ over the state's
    /// non-zero features and g_W₁[o, column] += δ (the one-hot action), two units at a time
    /// (g_W₁ by columns, as ``Critic/weights``).
    @inline(__always)
    static func backward(_ d: Double, hidden hk: UnsafeMutablePointer<Double>, w2: UnsafePointer<Double>, row: FeatureRow,
                         column: Int, inputs nIn: Int, units h: Int, _ act: Activation, into g: UnsafeMutablePointer<Double>) {
        typealias V = SIMD2<Double>
        let gb1 = g + h &* nIn, gw2 = gb1 + h
        gw2[h] += d
        let dv = V(repeating: d), hr = UnsafeRawPointer(hk), wr = UnsafeRawPointer(w2), gr = UnsafeMutableRawPointer(g)
        let b1Offset = h &* nIn &* 8, w2Offset = b1Offset &+ h &* 8, actionOffset = column &* h &* 8
        var o = 0
        while o &+ 2 <= h {
            let off = o &* 8
            let hv = hr.loadUnaligned(fromByteOffset: off, as: V.self)
            add(dv * hv, to: gr, at: w2Offset &+ off)
            let slope = act == .relu ? V(repeating: 0).replacing(with: 1, where: hv .> 0) : 1 - hv * hv
            let delta = dv * wr.loadUnaligned(fromByteOffset: off, as: V.self) * slope
            add(delta, to: gr, at: b1Offset &+ off)
            if let hot = row.hotIndex {
                add(delta * V(repeating: 1), to: gr, at: hot &* h &* 8 &+ off)
            } else {
                for i in row.values.indices where row.values[i] != 0 {
                    add(delta * V(repeating: row.values[i]), to: gr, at: i &* h &* 8 &+ off)
                }
            }
            add(delta, to: gr, at: actionOffset &+ off)
            o &+= 2
        }
        while o < h {
            gw2[o] += d * hk[o]
            let delta = d * w2[o] * act.derivative(output: hk[o])
            gb1[o] += delta
            row.forEachNonZero { i, x in g[i &* h &+ o] += delta * x }
            g[column &* h &+ o] += delta
            o &+= 1
        }
    }

    /// Two lanes of `base` at byte offset `offset` += `x`.
    @inline(__always)
    static func add(_ x: SIMD2<Double>, to base: UnsafeMutableRawPointer, at offset: Int) {
        base.storeBytes(of: base.loadUnaligned(fromByteOffset: offset, as: SIMD2<Double>.self) + x, toByteOffset: offset,
                        as: SIMD2<Double>.self)
    }
}
