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
            fill { s, row in policy.logits(state: s, features: rows[s], into: row) }
        }
    }

    /// The tabular case: the logits are the parameter table itself (row-major S × A).
    /// - Complexity: O(S · A); allocates nothing.
    public mutating func update(fromTable logits: [Double]) {
        let a = actionCount
        logits.withUnsafeBufferPointer { z in
            fill { s, row in
                for k in 0..<a { row[k] = z[s * a + k] }
            }
        }
    }

    /// For every state, lets `logits` write the row's logits, then normalises it.
    @inline(__always)
    private mutating func fill(_ logits: (Int, UnsafeMutableBufferPointer<Double>) -> Void) {
        let a = actionCount
        logProbabilities.withUnsafeMutableBufferPointer { lp in
            probabilities.withUnsafeMutableBufferPointer { p in
                cumulative.withUnsafeMutableBufferPointer { c in
                    for s in 0..<stateCount {
                        let row = UnsafeMutableBufferPointer(rebasing: lp[(s * a)..<((s + 1) * a)])
                        logits(s, row)
                        entropy[s] = PolicyTable.normalise(row, probabilities: p.baseAddress! + s * a,
                                                           cumulative: c.baseAddress! + s * a)
                    }
                }
            }
        }
    }

    /// Turns logits (in `row`) into log-probabilities, writes probabilities and their running
    /// sums, and returns the entropy.
    @inline(__always)
    static func normalise(_ row: UnsafeMutableBufferPointer<Double>, probabilities p: UnsafeMutablePointer<Double>,
                          cumulative c: UnsafeMutablePointer<Double>) -> Double {
        var m = -Double.infinity
        for z in row where z > m { m = z }
        var sum = 0.0
        for k in row.indices {
            let e = exp(row[k] - m)
            p[k] = e
            sum += e
        }
        let logSum = log(sum), inv = 1 / sum
        var acc = 0.0, h = 0.0
        for k in row.indices {
            // l is finite for finite logits (an underflowed p = 0 then adds 0 · l = 0).
            let l = row[k] - m - logSum, q = p[k] * inv
            row[k] = l
            p[k] = q
            acc += q
            c[k] = acc
            h -= q * l
        }
        c[row.count - 1] = 1
        return h
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
