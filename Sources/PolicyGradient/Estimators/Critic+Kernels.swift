/// The critic's passes for its usual shape, one hidden layer and one output
/// (`critic_hidden` a single width): Q_w(s, x) = w₂ · act(W₁ [x(s), x] + b₁) + b₂.
///
/// They compute what ``MLP``'s general forward and backward passes compute, operation for
/// operation in the same order for every number (so a run's numbers are the same bits), but
/// without the general passes' per-input checks and closures. The first layer is stored by
/// columns (``Critic/weights``), so a block of hidden pre-activations is a short vector sum over
/// the non-zero inputs, kept in registers; ∇ₓQ reads W₁ by rows (``Critic/rows``). The fit's
/// gradient is in Critic+FitKernel.swift.
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

    /// Four lanes of `p + offset` (offset in values).
    @inlinable @inline(__always)
    static func load4(_ p: UnsafePointer<Double>, _ offset: Int) -> SIMD4<Double> {
        UnsafeRawPointer(p + offset).loadUnaligned(as: SIMD4<Double>.self)
    }

    /// Stores four lanes at `p + offset` (offset in values).
    @inlinable @inline(__always)
    static func store4(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>, _ offset: Int) {
        UnsafeMutableRawPointer(p + offset).storeBytes(of: v, as: SIMD4<Double>.self)
    }

    /// act(z) lane by lane (relu as z > 0 ? z : 0).
    @inlinable @inline(__always)
    static func activate(_ z: SIMD4<Double>, _ act: Activation) -> SIMD4<Double> {
        if act == .relu { return SIMD4<Double>(repeating: 0).replacing(with: z, where: z .> 0) }
        return SIMD4(act.apply(z[0]), act.apply(z[1]), act.apply(z[2]), act.apply(z[3]))
    }

    /// b + Σ_o w[o] · h[o], added in increasing o (as the general output layer adds them).
    @inlinable @inline(__always)
    static func output(_ w: UnsafePointer<Double>, bias: Double, hidden h: UnsafePointer<Double>, count n: Int) -> Double {
        var z = bias, o = 0
        while o < n { z += w[o] * h[o]; o &+= 1 }
        return z
    }

    /// Q_w(s, x) through the one-hidden-layer passes, with ∇ₓQ_w(s, x) written into `gradient`
    /// when given. The same numbers as the general path: each hidden unit's pre-activation is
    /// b₁[o] plus the products of the non-zero inputs in increasing input order (a one-hot
    /// feature's column added as it is: w · 1 = w), and each ∂Q/∂xᵢ sums the units' terms
    /// δ_o W₁[o, F + i] in increasing o from +0, skipping units with δ_o = 0. Four hidden units
    /// (forward) or four actions (backward) are kept in registers at a time.
    /// - Complexity: O(H · (non-zero inputs + A)); allocates nothing (stack scratch).
    @usableFromInline func evaluateOneHidden(features: FeatureRow, action x: UnsafeBufferPointer<Double>,
                                             gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        let h = network.widths[1], nIn = network.widths[0], f = features.count, act = network.activation
        precondition(nIn == f + x.count, "MLP input of the wrong length")
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 &* h &+ nIn) { scratch in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: h &+ nIn) { indices in
                let hid = scratch.baseAddress!, delta = hid + h, value = delta + h
                let unit = indices.baseAddress!, column = unit + h
                return weights.withUnsafeBufferPointer { pb in
                    rows.withUnsafeBufferPointer { rb in
                        let p = pb.baseAddress!, b1 = p + h &* nIn, w2 = b1 + h
                        // The non-zero inputs in increasing order: (offset of their column, value).
                        var m = 0
                        if let hot = features.hotIndex {
                            (column[0], value[0], m) = (hot &* h, 1, 1)
                        } else {
                            for i in features.values.indices where features.values[i] != 0 {
                                (column[m], value[m]) = (i &* h, features.values[i])
                                m &+= 1
                            }
                        }
                        for a in x.indices {  // kept when x[a] is not ±0, without a branch
                            (column[m], value[m]) = ((f &+ a) &* h, x[a])
                            m &+= x[a].bitPattern << 1 != 0 ? 1 : 0
                        }
                        Self.hiddenLayer(bias: b1, columns: p, units: h, inputs: m, column: column, value: value, act, into: hid)
                        let z = Self.output(w2, bias: w2[h], hidden: hid, count: h)
                        guard let g = gradient?.baseAddress else { return z }
                        // The units with δ_o = w₂[o] act′(h[o]) ≠ 0, in increasing o.
                        var n = 0
                        for o in 0..<h {
                            let d = w2[o] * act.derivative(output: hid[o])
                            (unit[n], delta[n]) = (o &* nIn &+ f, d)
                            n &+= d.bitPattern << 1 != 0 ? 1 : 0  // d ≠ ±0, without a branch
                        }
                        Self.inputGradient(rows: rb.baseAddress!, units: n, offset: unit, delta: delta, count: x.count, into: g)
                        return z
                    }
                }
            }
        }
    }

    /// hid[o] = act(b₁[o] + Σ_n c[column[n] + o] · value[n]) for o in 0..<h, the sum in n
    /// order, four units at a time in registers.
    /// - Complexity: O(h · inputs); allocates nothing.
    @inlinable @inline(__always)
    static func hiddenLayer(bias b1: UnsafePointer<Double>, columns c: UnsafePointer<Double>, units h: Int, inputs m: Int,
                            column: UnsafePointer<Int>, value: UnsafePointer<Double>, _ act: Activation,
                            into hid: UnsafeMutablePointer<Double>) {
        var o = 0
        while o &+ 4 <= h {
            var acc = load4(b1, o), n = 0
            while n < m { acc += load4(c, column[n] &+ o) * SIMD4(repeating: value[n]); n &+= 1 }
            store4(activate(acc, act), hid, o)
            o &+= 4
        }
        while o < h {
            var acc = b1[o], n = 0
            while n < m { acc += c[column[n] &+ o] * value[n]; n &+= 1 }
            hid[o] = act.apply(acc)
            o &+= 1
        }
    }

    /// g[i] = Σ_n delta[n] · rows[offset[n] + i] for i in 0..<count, each sum from +0 in n
    /// order, four (then two, then one) entries of g at a time in registers.
    /// - Complexity: O(units · count); allocates nothing.
    @inlinable @inline(__always)
    static func inputGradient(rows r: UnsafePointer<Double>, units n: Int, offset: UnsafePointer<Int>,
                              delta: UnsafePointer<Double>, count a: Int, into g: UnsafeMutablePointer<Double>) {
        var i = 0
        while i &+ 4 <= a {
            var acc = SIMD4<Double>(repeating: 0), k = 0
            while k < n { acc += SIMD4(repeating: delta[k]) * load4(r, offset[k] &+ i); k &+= 1 }
            store4(acc, g, i)
            i &+= 4
        }
        if i &+ 2 <= a {
            var acc = SIMD2<Double>(repeating: 0), k = 0
            while k < n {
                let row: SIMD2<Double> = UnsafeRawPointer(r + (offset[k] &+ i)).loadUnaligned(as: SIMD2<Double>.self)
                acc += SIMD2(repeating: delta[k]) * row
                k &+= 1
            }
            UnsafeMutableRawPointer(g + i).storeBytes(of: acc, as: SIMD2<Double>.self)
            i &+= 2
        }
        if i < a {
            var acc = 0.0, k = 0
            while k < n { acc += delta[k] * r[offset[k] &+ i]; k &+= 1 }
            g[i] = acc
        }
    }
}
