/// The gradient of the critic's fit for its usual shape (one hidden layer, one output), over
/// all remembered (s, a) pairs at once.
///
/// It computes what ``MLP``'s general passes compute pair after pair, with every number formed
/// by the same operations in the same order (so a fit's weights are the same bits), but it runs
/// over four hidden units at a time with the pairs inside: the forward pass keeps a block of
/// pre-activations in registers, and the backward pass keeps the block's sums for w₂ and b₁ in
/// registers across the pairs, adding to the first layer's columns in memory. Each entry of the
/// gradient still receives the pairs' terms in pair order, from +0.
extension Critic {
    /// One gradient of the fit's loss into `g`: for every remembered pair k = (s, a) in
    /// `pairs`, the forward pass at (x(s), e_a), then the backward passes with the cotangent
    /// d_k = −(n_k Q_k − G_k) / Σ n, as the general fit does. A pair with d_k = 0 adds nothing
    /// (the general pass skips it; its terms would be ±0, which leave a sum that started at +0
    /// as it was).
    /// - Parameters:
    ///   - hidden: scratch of `pairs.count · (H + 1)` values: each pair's hidden activations
    ///     and then its output (replaced by d_k).
    ///   - g: receives the gradient (``Critic/weights``' layout); every entry is written.
    /// - Complexity: O(pairs · H · non-zero features); allocates nothing (stack scratch).
    func fitGradientOneHidden(pairs: UnsafeBufferPointer<Int>, visits: UnsafeBufferPointer<Double>,
                              returnSum: UnsafeBufferPointer<Double>, total: Double, actionCount a: Int, rows: FeatureRows,
                              hidden hid: UnsafeMutablePointer<Double>, into g: UnsafeMutablePointer<Double>) {
        let h = network.widths[1], nIn = network.widths[0], f = rows.count, act = network.activation
        let n = pairs.count, stride = h &+ 1
        var i = 0  // the first layer's gradient from +0 (the rest is written whole below)
        while i &+ 4 <= h &* nIn { Self.store4(SIMD4(repeating: 0), g, i); i &+= 4 }
        while i < h &* nIn { g[i] = 0; i &+= 1 }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 &* n) { scratch in
            let state = scratch.baseAddress!, action = state + n  // per pair: s, and the offset of W₁'s column of a
            for j in 0..<n { (state[j], action[j]) = (pairs[j] / a, (f &+ pairs[j] % a) &* h) }
            weights.withUnsafeBufferPointer { pb in
                let p = pb.baseAddress!, b1 = p + h &* nIn, w2 = b1 + h
                Self.fitForward(weights: p, units: h, inputs: nIn, pairs: n, state: state, action: action, rows: rows, act,
                                hidden: hid)
                var j = 0
                while j &+ 2 <= n {                                      // the outputs, two sums side by side
                    let h0 = hid + j &* stride, h1 = h0 + stride
                    var z = SIMD2(repeating: w2[h]), o = 0
                    while o < h { z += SIMD2(repeating: w2[o]) * SIMD2(h0[o], h1[o]); o &+= 1 }
                    (h0[h], h1[h]) = (z[0], z[1])
                    j &+= 2
                }
                if j < n {
                    let hk = hid + j &* stride
                    hk[h] = Self.output(w2, bias: w2[h], hidden: hk, count: h)
                }
                var db2 = 0.0                                            // d_k in place of Q_k; ∂/∂b₂ = Σ d_k
                for j in 0..<n {
                    let k = pairs[j], hk = hid + j &* stride
                    hk[h] = -(visits[k] * hk[h] - returnSum[k]) / total
                    db2 += hk[h]
                }
                g[h &* nIn &+ 2 &* h] = db2
                Self.fitBackward(weights: p, units: h, inputs: nIn, pairs: n, state: state, action: action, rows: rows, act,
                                 hidden: hid, into: g)
            }
        }
    }

    /// The fit's forward passes: for every pair j, hidden[j (H + 1) + o] =
    /// act(b₁[o] + Σᵢ W₁[o, i] x(s_j)ᵢ + W₁[o, F + a_j]), the features' non-zero terms in
    /// increasing i (a one-hot feature's column added as it is: w · 1 = w), four units at a time.
    /// - Complexity: O(pairs · H · non-zero features); allocates nothing.
    @inline(__always)
    static func fitForward(weights p: UnsafePointer<Double>, units h: Int, inputs nIn: Int, pairs n: Int,
                           state: UnsafePointer<Int>, action: UnsafePointer<Int>, rows: FeatureRows, _ act: Activation,
                           hidden hid: UnsafeMutablePointer<Double>) {
        let b1 = p + h &* nIn, stride = h &+ 1
        var o = 0
        while o &+ 4 <= h {
            let bias = load4(b1, o)
            for j in 0..<n {
                var acc = bias
                let row = rows[state[j]]
                if let hot = row.hotIndex {
                    acc += load4(p, hot &* h &+ o)
                } else {
                    for i in row.values.indices where row.values[i] != 0 {
                        acc += load4(p, i &* h &+ o) * SIMD4(repeating: row.values[i])
                    }
                }
                acc += load4(p, action[j] &+ o)
                store4(activate(acc, act), hid, j &* stride &+ o)
            }
            o &+= 4
        }
        while o < h {
            for j in 0..<n {
                var acc = b1[o]
                rows[state[j]].forEachNonZero { i, x in acc += p[i &* h &+ o] * x }
                acc += p[action[j] &+ o]
                hid[j &* stride &+ o] = act.apply(acc)
            }
            o &+= 1
        }
    }

    /// The fit's backward passes, the pairs' output cotangents d_j in hidden[j (H + 1) + H]:
    /// g_w₂[o] = Σ_j d_j h_j[o], and with δ_j[o] = d_j w₂[o] act′(h_j[o]): g_b₁[o] = Σ_j δ_j[o],
    /// g_W₁[o, i] += δ_j[o] x(s_j)ᵢ over the non-zero features and g_W₁[o, F + a_j] += δ_j[o];
    /// every sum in pair order, four units at a time, g_w₂ and g_b₁ in registers.
    /// - Precondition: the first layer's part of `g` holds zeros.
    /// - Complexity: O(pairs · H · non-zero features); allocates nothing.
    @inline(__always)
    static func fitBackward(weights p: UnsafePointer<Double>, units h: Int, inputs nIn: Int, pairs n: Int,
                            state: UnsafePointer<Int>, action: UnsafePointer<Int>, rows: FeatureRows, _ act: Activation,
                            hidden hid: UnsafePointer<Double>, into g: UnsafeMutablePointer<Double>) {
        let b1 = h &* nIn, w2 = b1 &+ h, stride = h &+ 1
        var o = 0
        while o &+ 4 <= h {
            let weight = load4(p, w2 &+ o)
            var gw2 = SIMD4<Double>(repeating: 0), gb1 = gw2
            for j in 0..<n {
                let hk = hid + j &* stride, d = hk[h]
                if d == 0 { continue }
                let dv = SIMD4(repeating: d), hv = load4(hk, o)
                gw2 += dv * hv
                let slope = act == .relu ? SIMD4(repeating: 0).replacing(with: 1, where: hv .> 0) : 1 - hv * hv
                let delta = dv * weight * slope
                gb1 += delta
                let row = rows[state[j]]
                if let hot = row.hotIndex {
                    store4(load4(g, hot &* h &+ o) + delta, g, hot &* h &+ o)
                } else {
                    for i in row.values.indices where row.values[i] != 0 {
                        store4(load4(g, i &* h &+ o) + delta * SIMD4(repeating: row.values[i]), g, i &* h &+ o)
                    }
                }
                store4(load4(g, action[j] &+ o) + delta, g, action[j] &+ o)
            }
            store4(gw2, g, w2 &+ o)
            store4(gb1, g, b1 &+ o)
            o &+= 4
        }
        while o < h {
            var gw2 = 0.0, gb1 = 0.0
            for j in 0..<n {
                let hk = hid + j &* stride, d = hk[h]
                if d == 0 { continue }
                gw2 += d * hk[o]
                let delta = d * p[w2 &+ o] * act.derivative(output: hk[o])
                gb1 += delta
                rows[state[j]].forEachNonZero { i, x in g[i &* h &+ o] += delta * x }
                g[action[j] &+ o] += delta
            }
            (g[w2 &+ o], g[b1 &+ o]) = (gw2, gb1)
            o &+= 1
        }
    }
}
