import Foundation

extension ZeroBiasTest {
    /// A difference from ∇J within 10⁻¹² of max(‖∇J‖, ‖ḡ‖) is rounding: it scores z = 0 (as
    /// ``GradientStatistics/Comparison/maxAbsZ`` does).
    static let roundingTolerance = 1e-12

    /// The check of each direction: the projections y_r = u·(ĝ_r − ∇J) and their moments.
    static func directionChecks(_ x: [Double], count: Int, exact g: [Double], directions: [(name: String, u: [Double])],
                                threshold: Double, deficitCritical: Double, unseen: UnseenDrawBound?,
                                deterministic: Bool) -> [Check] {
        let d = g.count, m = directions.count
        var y = [Double](repeating: 0, count: m * count)
        var meanEstimate = [Double](repeating: 0, count: d)
        for r in 0..<count {
            for k in 0..<d {
                let v = x[r * d + k]
                meanEstimate[k] += v / Double(count)
                let diff = v - g[k]
                if diff == 0 { continue }
                for j in 0..<m { y[j * count + r] += directions[j].u[k] * diff }
            }
        }
        let rounding = roundingTolerance * max(GradientStatistics.norm(g), GradientStatistics.norm(meanEstimate))
        return directions.enumerated().map { j, direction in
            let (mean, m2, m4) = centralMoments(y[(j * count)..<((j + 1) * count)])
            let bound = unseen?.bound(along: direction.u) ?? 0
            return check(name: direction.name, difference: mean, m2: m2, m4: m4, count: count, bound: bound,
                         unseen: unseen, tolerance: rounding, critical: threshold,
                         deficitCritical: deficitCritical, deterministic: deterministic)
        }
    }

    /// The check of every coordinate k (ḡ_k − ∇J_k against the spread of the k-th values), for
    /// choosing the coordinates the random directions span (its threshold is not used).
    static func coordinateChecks(_ x: [Double], count: Int, exact g: [Double],
                                 unseen: UnseenDrawBound?, deterministic: Bool) -> [Check] {
        let threshold = GradientStatistics.bonferroniThreshold(significance: 0.01, tests: g.count)
        var meanEstimate = [Double](repeating: 0, count: g.count)
        for r in 0..<count { for k in 0..<g.count { meanEstimate[k] += x[r * g.count + k] / Double(count) } }
        let rounding = roundingTolerance * max(GradientStatistics.norm(g), GradientStatistics.norm(meanEstimate))
        let d = g.count
        let bounds: [Double]?
        if let unseen, !unseen.pairs.isEmpty { bounds = unseen.coordinateBounds() } else { bounds = nil }
        let uncovered = unseen.map { !$0.pairs.isEmpty && bounds == nil } ?? false
        return (0..<d).map { k in
            let name = "parameter \(k)"
            if uncovered {
                return Check(name: name, z: .nan, shift: .nan, effectiveReplicates: .nan, threshold: .nan,
                             untrusted: "not tested (too many parameters to bound the undersampled pairs)")
            }
            let (mean, m2, m4) = centralMoments(stride(from: k, to: count * d, by: d).lazy.map { x[$0] })
            return check(name: name, difference: mean - g[k], m2: m2, m4: m4, count: count, bound: bounds?[k] ?? 0,
                         unseen: unseen,
                         tolerance: rounding, critical: threshold, deterministic: deterministic)
        }
    }

    /// One check from the mean difference ȳ and the central sums M₂ = Σ (y − ȳ)², M₄ = Σ (y − ȳ)⁴.
    static func check(name: String, difference: Double, m2: Double, m4: Double, count: Int, bound: Double,
                      unseen: UnseenDrawBound?, tolerance: Double, critical: Double, deficitCritical: Double = 3.09,
                      deterministic: Bool) -> Check {
        let r = Double(count)
        let exactlyZero = abs(difference) <= tolerance
        if m2 == 0 || !m2.isFinite {
            // No spread along this direction: exact for an estimator without spread anywhere (unless
            // undersampled pairs could explain the difference); for a sampling estimator a difference
            // means that what drives this direction was never drawn.
            let z = exactlyZero ? 0 : (difference.isNaN || !m2.isFinite ? Double.nan : (difference > 0 ? Double.infinity : -.infinity))
            if !exactlyZero, !deterministic, !z.isNaN {
                return Check(name: name, z: z, shift: .infinity, effectiveReplicates: r, threshold: .infinity,
                             untrusted: "the estimates do not vary along \(name) (they do elsewhere) yet differ from grad J: "
                                + "the rare events behind it were never drawn")
            }
            if !exactlyZero, let unseen, !unseen.pairs.isEmpty, !z.isNaN {
                // No spread anywhere, while some pairs are undersampled: a sampling estimator that drew
                // none of the rare events.
                return Check(name: name, z: z, shift: .infinity, effectiveReplicates: r, threshold: .infinity,
                             untrusted: unseenReason(unseen.worst, episodes: unseen.episodes, along: name, shift: .infinity))
            }
            return Check(name: name, z: z, shift: 0, effectiveReplicates: r, threshold: critical,
                         untrusted: z.isNaN ? "the estimates are not finite" : nil)
        }
        let se = (m2 / (r - 1) / r).squareRoot()
        let z = exactlyZero ? 0 : difference / se
        let shift = bound / se
        let effective = m4 > 0 ? m2 * m2 / m4 : r
        var why: String?, threshold = critical + shift
        if count < minimumReplicates {
            why = "only \(count) estimates (at least \(minimumReplicates) are needed for a verdict)"
            threshold = .infinity
        } else if shift > maximumShift {
            why = unseenReason(unseen?.worst, episodes: unseen?.episodes ?? 0, along: name, shift: shift)
        } else if effective < minimumEffectiveReplicates {
            why = "only \(format(effective)) effective replicates along \(name) (at least "
                + "\(Int(minimumEffectiveReplicates))): a few estimates dominate its variance"
        }
        if effective < minimumEffectiveReplicates, threshold.isFinite {
            // K ≈ n_eff rare events carry the variance: a shortfall K < λ against the λ expected moves
            // their share of z by (λ − K)/√K ≤ D = z_β + z_β²/√K (λ ≤ K + z_β√K + z_β² with
            // probability 1 − β), the rest of the spread by at most z*; together at most √(D² + z*²).
            let k = max(effective, 1)
            let deficit = deficitCritical + deficitCritical * deficitCritical / k.squareRoot()
            threshold = shift + (deficit * deficit + critical * critical).squareRoot()
        }
        return Check(name: name, z: z, shift: shift, effectiveReplicates: effective, threshold: threshold, untrusted: why)
    }

    /// "rarely drawn actions could move the mean along … (the largest share: action a in state s, …)".
    static func unseenReason(_ pair: UnseenDrawBound.Pair?, episodes: Int, along name: String, shift: Double) -> String {
        let moves = shift.isFinite ? "by \(format(shift)) standard errors beyond its spread" : "while the estimates have no spread"
        let head = "rarely drawn actions could move the mean along \(name) \(moves)"
        guard let pair else { return head }
        return head + " (the most influential: action \(pair.action) in state \(pair.state), expected "
            + "\(format(pair.expectedDraws)) draws in \(episodes) episodes; \(Int(UnseenDrawBound.minimumDraws)) are needed)"
    }

    /// Whether every estimate equals the first (an estimator without spread, such as `exact`).
    static func isDeterministic(_ x: [Double], count: Int, dimension d: Int) -> Bool {
        for r in 1..<count { for k in 0..<d where x[r * d + k] != x[k] { return false } }
        return true
    }

    /// Mean, Σ (y − ȳ)² and Σ (y − ȳ)⁴ by two passes; exactly (y₁, 0, 0) when all values are equal.
    static func centralMoments<C: Collection>(_ values: C) -> (mean: Double, m2: Double, m4: Double) where C.Element == Double {
        let n = Double(values.count)
        guard let first = values.first else { return (.nan, 0, 0) }
        var mean = 0.0, constant = true
        for v in values {
            mean += v
            constant = constant && v == first
        }
        if constant { return (first, 0, 0) }
        mean /= n
        var m2 = 0.0, m4 = 0.0
        for v in values {
            let e = (v - mean) * (v - mean)
            m2 += e
            m4 += e * e
        }
        return (mean, m2, m4)
    }
}
