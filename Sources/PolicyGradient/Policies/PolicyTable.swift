/// The policy's distribution in every state, computed once per iteration.
///
/// Within one batch the policy does not change, so pg evaluates it once per state and the
/// rollout samples from this table: sampling an action costs one uniform draw and a scan of
/// `actionCount` cumulative probabilities, whatever the policy (tabular, linear or MLP).
public struct PolicyTable: Sendable {
    /// Number of states.
    public let stateCount: Int
    /// Number of actions.
    public let actionCount: Int
    /// log π(a|s), row-major S × A.
    public private(set) var logProbabilities: [Double]
    /// π(a|s), row-major S × A.
    public private(set) var probabilities: [Double]
    /// Cumulative Σ_{k≤a} π(k|s), row-major S × A (last entry of each row forced to 1).
    public private(set) var cumulative: [Double]
    /// Entropy of π(·|s) per state.
    public private(set) var entropy: [Double]

    /// Creates an empty table.
    public init(stateCount: Int, actionCount: Int) {
        self.stateCount = stateCount
        self.actionCount = actionCount
        let n = stateCount * actionCount
        logProbabilities = [Double](repeating: 0, count: n)
        probabilities = [Double](repeating: 0, count: n)
        cumulative = [Double](repeating: 0, count: n)
        entropy = [Double](repeating: 0, count: stateCount)
    }

    /// Evaluates `policy` in every state: one forward pass, A exponentials and one logarithm
    /// per state.
    /// - Parameter features: the environment's state features.
    /// - Complexity: S forward passes; allocates nothing.
    public mutating func update<P: Policy>(from policy: P, features: StateFeatures) {
        if let tabular = policy as? TabularPolicy { return update(fromTable: tabular.parameters) }
        updateThroughLogits(of: policy, features: features)
    }

    /// The general case: one forward pass per state.
    mutating func updateThroughLogits<P: Policy>(of policy: P, features: StateFeatures) {
        features.withRows { rows in
            fill { s, row in
                var span = row.mutableSpan
                policy.logits(state: s, features: rows[s], into: &span)
            }
        }
    }

    /// The tabular case: the logits are the parameter table itself (row-major S × A).
    /// - Complexity: O(S · A); allocates nothing.
    public mutating func update(fromTable logits: [Double]) {
        let a = actionCount
        precondition(logits.count == stateCount * a, "a logit table of another size")
        logits.withUnsafeBufferPointer { z in
            fill { s, row in
                (row.baseAddress!).update(from: z.baseAddress! + s &* a, count: a)
            }
        }
    }

    /// For every state, lets `logits` write the row's logits, then normalises every row: the
    /// exponentials of the whole table are taken in one vector pass (``FastMath``), which keeps
    /// the vector units busy even for rows of 2 or 4 actions.
    @inline(__always)
    private mutating func fill(_ logits: (Int, UnsafeMutableBufferPointer<Double>) -> Void) {
        let a = actionCount
        logProbabilities.withUnsafeMutableBufferPointer { lp in
            probabilities.withUnsafeMutableBufferPointer { p in
                cumulative.withUnsafeMutableBufferPointer { c in
                    entropy.withUnsafeMutableBufferPointer { h in
                        for s in 0..<stateCount {
                            logits(s, UnsafeMutableBufferPointer(start: lp.baseAddress! + s &* a, count: a))
                        }
                        PolicyTable.normalise(rows: stateCount, columns: a, logits: lp.baseAddress!, probabilities: p.baseAddress!,
                                              cumulative: c.baseAddress!, entropy: h.baseAddress!)
                    }
                }
            }
        }
    }

    /// Turns `rows` rows of `columns` logits (in `logits`, row-major) into log-probabilities in
    /// place, writes the probabilities, their running sums and each row's entropy.
    ///
    /// Per row z: m = max z, eₖ = exp(zₖ − m) (``FastMath/exp(_:)-swift.type.method``, all rows
    /// in one vector pass), Σ = Σₖ eₖ in index order, log πₖ = (zₖ − m) − log Σ, πₖ = eₖ · (1/Σ),
    /// H = −Σₖ πₖ log πₖ. Stable for any finite logits (the largest term is exp(0) = 1).
    /// Written once over ``Lanes``: with `Double` a table of one run, with `SIMD2<Double>` the
    /// tables of two seeds in lockstep (each entry holding both); a lane's numbers are those it
    /// would have alone, and a row's do not depend on the other rows.
    /// - Complexity: O(rows · columns); allocates nothing.
    @inlinable @inline(__always) 
    static func normalise<L: Lanes>(rows: Int, columns a: Int, logits z: UnsafeMutablePointer<L>,
                                    probabilities p: UnsafeMutablePointer<L>, cumulative c: UnsafeMutablePointer<L>,
                                    entropy h: UnsafeMutablePointer<L>) {
        var row = z, e = p
        // exp is elementwise, and FastMath's gives the same bits at any width: with lanes it is
        // taken per entry (each entry already a vector); with one run, in one vector pass over
        // the whole table afterwards, two doubles per step (what baseline x86-64 holds).
        let fused = L.laneCount > 1
        for s in 0..<rows {
            var m = row[0]
            for k in 1..<a { m = m.maxed(with: row[k]) }
            if fused {
                for k in 0..<a { e[k] = L.fastExp(row[k] - m) }
            } else {
                for k in 0..<a { e[k] = row[k] - m }
            }
            h[s] = m  // kept until the row is finished
            row += a
            e += a
        }
        if !fused {
            let n = rows &* a
            let d = UnsafeMutableRawPointer(p).assumingMemoryBound(to: Double.self)
            var i = 0
            while i &+ 2 <= n {
                let v = UnsafeRawPointer(d + i).loadUnaligned(as: SIMD2<Double>.self)
                UnsafeMutableRawPointer(d + i).storeBytes(of: FastMath.exp(v), as: SIMD2<Double>.self)
                i &+= 2
            }
            if i < n { d[i] = FastMath.exp(d[i]) }
        }
        row = z
        var q = p, cum = c
        let one = L(repeating: 1)
        for s in 0..<rows {
            var sum = L(repeating: 0)
            for k in 0..<a { sum = sum + q[k] }
            let m = h[s], logSum = L.fastLog(sum), inv = one / sum
            var acc = L(repeating: 0), entropy = L(repeating: 0)
            for k in 0..<a {
                // l is finite for finite logits (an underflowed π = 0 then adds 0 · l = 0).
                let l = (row[k] - m) - logSum, pk = q[k] * inv
                row[k] = l
                q[k] = pk
                acc = acc + pk
                cum[k] = acc
                entropy = entropy - pk * l
            }
            cum[a &- 1] = one
            h[s] = entropy
            row += a
            q += a
            cum += a
        }
    }

    /// Samples an action in `state` from the uniform draw `u` in [0, 1) (inverse CDF).
    /// - Complexity: O(actionCount); allocates nothing.
    @inlinable
    public func sample(state: Int, uniform u: Double) -> Int {
        let base = state * actionCount
        return cumulative.withUnsafeBufferPointer { c in
            var k = 0
            while k < actionCount - 1 && u >= c[base + k] { k += 1 }
            return k
        }
    }
}

import Foundation
