extension Policy {
    /// Writes ĝ = Σ_s (∂logits(s)/∂φ)ᵀ c_s into `gradient`, for per-state logit cotangents
    /// c_s = `cotangents[s·A ..< (s+1)·A]`; states whose cotangent is all zero are skipped.
    /// - Parameters:
    ///   - cotangents: row-major S × A.
    ///   - features: the states' features.
    ///   - gradient: receives ĝ (length ``parameterCount``), overwritten.
    /// - Complexity: one backward pass per state with a non-zero cotangent; allocates nothing.
    public func backpropagate(logitCotangents cotangents: [Double], features: StateFeatures, into gradient: inout [Double]) {
        let a = actionCount
        gradient.withUnsafeMutableBufferPointer { g in
            g.update(repeating: 0)
            features.withRows { rows in
                cotangents.withUnsafeBufferPointer { cot in
                    for s in 0..<(cot.count / a) where (0..<a).contains(where: { cot[s * a + $0] != 0 }) {
                        var span = g.mutableSpan
                        backpropagate(state: s, features: rows[s],
                                      logitCotangent: UnsafeBufferPointer(rebasing: cot[(s * a)..<((s + 1) * a)]).span, into: &span)
                    }
                }
            }
        }
    }
}
