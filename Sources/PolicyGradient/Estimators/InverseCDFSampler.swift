/// Inversion, one episode at a time: a = min{k : Σ_{j≤k} π(j|s) > u}, one uniform u per step
/// drawn from the episode's own stream (the stream its environment then steps with). Every
/// score-function estimator and plain straight-through sample this way.
/// - Complexity: O(A) per episode and step; allocates nothing.
public struct InverseCDFSampler: GroupSampler, Equatable {
    /// The sampler.
    public init() {}

    /// `inverse-cdf`.
    public var identity: String { "inverse-cdf" }
    /// Inlined into the rollout loop.
    public var kind: SamplerKind { .inverseCDF }

    /// Draws every live episode's action by inversion.
    public func draw(_ step: inout GroupStep) {
        for j in 0..<step.episodes where step.live[j] {
            let u = step.streams[j].nextUniform()
            step.actions[j] = Self.action(step.policy.cumulativeBase + step.states[j] &* step.policy.actionCount,
                                          count: step.policy.actionCount, uniform: u)
        }
    }

    /// The action of the uniform draw `u` by inversion: the number of cumulative probabilities
    /// c_0 … c_{A−2} that are ≤ u (the first k with u < c_k; branch-free, so no mispredictions),
    /// counted two at a time in vector compares (a NaN compares false either way).
    /// - Complexity: O(A); allocates nothing.
    @inline(__always) @usableFromInline
    static func action(_ c: UnsafePointer<Double>, count a: Int, uniform u: Double) -> Int {
        let n = a &- 1, uu = SIMD2<Double>(repeating: u)
        var counts = SIMD2<Int64>(), other = SIMD2<Int64>()
        // Four at a time in two independent compares (half the loop overhead), then two; the
        // loop runs on a pointer against its end (one add and one compare per iteration).
        var q = UnsafeRawPointer(c)
        let end4 = q + (n & ~3) &* 8
        while q < end4 {
            let v = q.loadUnaligned(as: SIMD2<Double>.self), w = q.loadUnaligned(fromByteOffset: 16, as: SIMD2<Double>.self)
            counts &-= unsafeBitCast(v .<= uu, to: SIMD2<Int64>.self)  // a true lane is −1
            other &-= unsafeBitCast(w .<= uu, to: SIMD2<Int64>.self)
            q += 32
        }
        if n & 2 != 0 {
            counts &-= unsafeBitCast(q.loadUnaligned(as: SIMD2<Double>.self) .<= uu, to: SIMD2<Int64>.self)
            q += 16
        }
        counts &+= other
        var k = Int(counts[0] &+ counts[1])
        if n & 1 != 0 { k &+= u >= q.load(as: Double.self) ? 1 : 0 }
        return k
    }
}
