import Foundation

/// Whether R estimates ĝ₁…ĝ_R of a gradient estimator are consistent with E ĝ = ∇J: **yes**,
/// **NO**, or **inconclusive** with its reason, calibrated at near-deterministic policies too.
///
/// Per-coordinate z-scores |ḡ_k − ∇J_k| / (s_k/√R) raise false alarms where a coordinate's
/// estimate is driven by rare events: an action of probability p has a score coordinate whose
/// mean and spread both scale with p, so an action drawn a handful of times (or never) leaves a
/// sample mean many of its own standard errors from the truth while the sample variance shows
/// nothing wrong; and a coordinate whose mean hinges on a rare outcome several steps later (a
/// rare action, then a rare fall into a hole) is off in the same way though its own action is
/// drawn often. The test therefore does three things:
///
/// 1. **Directions that weigh coordinates by their size.** It tests the scalar projections
///    y_r = u·(ĝ_r − ∇J) along u₀ = ∇J/‖∇J‖ (when ∇J ≠ 0) and ``randomDirections`` fixed
///    random unit vectors (fewer when d is smaller) on the adequately sampled coordinates
///    (those whose own bound S, below, is at most ``sampledShift``): z_u = ȳ / (s_y/√R). A
///    coordinate enters with its absolute size, so one whose values all scale with a tiny
///    probability cannot dominate. Single coordinates are not tested.
/// 2. **Sampling adequacy.** A check is trusted only if R ≥ ``minimumReplicates``, its
///    effective number of replicates n_eff = (Σ_r (y_r − ȳ)²)² / Σ_r (y_r − ȳ)⁴ (R/3 for
///    normal data, about the number of rare events when they carry the variance) is at least
///    ``minimumEffectiveReplicates``, and — where the dynamics are known — the mean that
///    undersampled state-action pairs could leave out beyond what their own spread covers
///    (``UnseenDrawBound``), in standard errors, S = bound_u / (s_y/√R), is at most ``maximumShift``.
/// 3. **A threshold that allows for it.** A check rejects when |z| > z* + S, with
///    z* = Φ⁻¹(1 − α/(2m)) Bonferroni-corrected over the m directions; where n_eff is below
///    its minimum, when |z| > S + √(D² + z*²) with D = z_β + z_β²/√n_eff (β = α/10): K ≈ n_eff
///    rare events carry the variance, and a shortfall of them against an expected
///    λ ≤ K + z_β√K + z_β² moves their share of z by at most D. So a check too thin to support
///    "yes" can still show a bias that is plain. With fewer than ``minimumReplicates`` estimates
///    no check rejects.
///
/// Verdict: **NO** if any check rejects; otherwise **inconclusive** if a check is not
/// trusted (the reason names the undersampled pair, the effective replicates or R) or no
/// coordinate is adequately sampled; otherwise **yes**. A check with zero spread is exact for
/// an estimator without spread in any coordinate (such as `exact`): it passes when ȳ is zero to
/// rounding (10⁻¹² of max(‖∇J‖, ‖ḡ‖)) and rejects otherwise, unless some pair is
/// undersampled. For an estimator that varies elsewhere, zero spread with a non-zero ȳ means
/// the events that drive that direction were never drawn: the check is not trusted.
public struct ZeroBiasTest: Sendable, Equatable {
    /// The three verdicts.
    public enum Verdict: String, Sendable {
        /// No check rejects and every direction's check is trusted.
        case consistent = "yes"
        /// A check rejects zero bias.
        case biased = "NO"
        /// No check rejects, but R cannot support a verdict along some direction.
        case inconclusive
    }

    /// One scalar check: a direction or a coordinate.
    public struct Check: Sendable, Equatable {
        /// What it tests: `grad J`, `random direction j`, `parameter k`.
        public let name: String
        /// ȳ / (s_y/√R) (0 when ȳ is zero to rounding; ±∞ for a non-zero ȳ with zero spread).
        public let z: Double
        /// S: the bound on the unrepresented mean, in standard errors (0 without known dynamics).
        public let shift: Double
        /// n_eff of the projections (R when they have zero spread).
        public let effectiveReplicates: Double
        /// The |z| above which the check rejects: z* + S, or S + √(D² + z*²) with
        /// D = z_β + z_β²/√n_eff where n_eff < ``minimumEffectiveReplicates`` (∞ with fewer than
        /// ``minimumReplicates`` estimates).
        public let threshold: Double
        /// Why the check is not trusted (nil when it is).
        public let untrusted: String?

        /// Whether the check is trusted and |z| exceeds its threshold.
        public var rejects: Bool { abs(z) > threshold }
        /// |z| / threshold: above 1 for a rejection.
        public var strength: Double { abs(z) / threshold }
    }

    /// The fewest estimates for a check with non-zero spread to be trusted (30).
    public static let minimumReplicates = 30
    /// The fewest effective replicates n_eff for a check to be trusted (20).
    public static let minimumEffectiveReplicates = 20.0
    /// The largest bound S (in standard errors) on the unrepresented mean for a trusted check (2):
    /// beyond it the raised threshold z* + S leaves the check too little power to count.
    public static let maximumShift = 2.0
    /// The largest bound S of a coordinate that the random directions may include (1).
    public static let sampledShift = 1.0
    /// The number of fixed random directions (8, or d when d < 8).
    public static let randomDirections = 8
    /// The seed of the random directions (the same for every estimator and run).
    static let directionSeed: UInt64 = 0x2E80_B1A5_0D1C_7E57

    /// The verdict.
    public let verdict: Verdict
    /// Why: the rejecting check, the untrusted direction, or the largest |z| for "yes".
    public let reason: String
    /// The checks along ∇J (first, when ∇J ≠ 0) and the random directions.
    public let directions: [Check]
    /// d.
    public let coordinateCount: Int
    /// The coordinates the random directions span: those whose bound on what rarely drawn
    /// actions leave out of the mean is at most ``sampledShift`` of their standard error.
    public let sampledCoordinates: Int
    /// z* of the direction family.
    public let threshold: Double
    /// The family-wise level α.
    public let significance: Double

    /// The trusted check with the largest |z| / threshold (nil when none is trusted).
    public var strongest: Check? {
        directions.filter { $0.untrusted == nil }.max { $0.strength < $1.strength }
    }

    /// Tests R estimates against ∇J.
    /// - Parameters:
    ///   - estimates: R·d values, estimate r at `estimates[r*d ..< (r+1)*d]`.
    ///   - count: R ≥ 2.
    ///   - exact: ∇J (d values).
    ///   - significance: the family-wise level α.
    ///   - unseen: the bound on what undersampled pairs could be missing (nil: none known).
    /// - Complexity: O(R·d·(m + 1)) for m ≤ 9 directions, plus the bound's cost.
    public init(estimates: [Double], count: Int, exact: [Double], significance: Double, unseen: UnseenDrawBound? = nil) {
        let d = exact.count
        precondition(count >= 2 && estimates.count == count * d && d >= 1, "estimates must hold count × d values, count ≥ 2")
        let deterministic = Self.isDeterministic(estimates, count: count, dimension: d)
        // Coordinates whose own mean rarely drawn actions could move stay out of the random directions.
        let coords = Self.coordinateChecks(estimates, count: count, exact: exact, unseen: unseen, deterministic: deterministic)
        let sampled = coords.map { $0.shift <= Self.sampledShift }
        let directions = Self.directions(exact: exact, sampled: sampled)
        let z = GradientStatistics.bonferroniThreshold(significance: significance, tests: max(1, directions.count))
        let checks = Self.directionChecks(estimates, count: count, exact: exact, directions: directions, threshold: z,
                                          deficitCritical: -GradientStatistics.normalQuantile(significance / 10),
                                          unseen: unseen, deterministic: deterministic)
        self.directions = checks
        coordinateCount = d
        sampledCoordinates = sampled.filter { $0 }.count
        threshold = z
        self.significance = significance
        (verdict, reason) = Self.decide(checks, sampledCoordinates: sampledCoordinates, coordinates: d)
    }

    /// The verdict and its reason from the checks.
    static func decide(_ checks: [Check], sampledCoordinates: Int, coordinates d: Int) -> (Verdict, String) {
        let trusted = checks.filter { $0.untrusted == nil }
        if let worst = checks.filter(\.rejects).max(by: { $0.strength < $1.strength }) {
            return (.biased, "z = \(format(worst.z)) along \(worst.name) (threshold \(format(worst.threshold)))")
        }
        if let doubtful = checks.first(where: { $0.untrusted != nil }) {
            return (.inconclusive, doubtful.untrusted!)
        }
        if sampledCoordinates == 0 {
            return (.inconclusive, "rarely drawn actions dominate every coordinate: no direction but grad J can be tested")
        }
        let span = sampledCoordinates < d ? "; random directions within the \(sampledCoordinates) of \(d) adequately sampled coordinates" : ""
        guard let top = trusted.max(by: { $0.strength < $1.strength }) else { return (.consistent, "no direction to test") }
        return (.consistent, "largest |z| = \(format(abs(top.z))) along \(top.name) (threshold \(format(top.threshold)))" + span)
    }

    /// Three significant digits ("3.45", "17.4", "1.78e-09"; "inf").
    static func format(_ x: Double) -> String { x.isFinite ? String(format: "%.3g", x) : (x > 0 ? "inf" : x < 0 ? "-inf" : "nan") }

    /// u₀ = ∇J/‖∇J‖ (when ∇J ≠ 0) and min(8, m) fixed random unit vectors supported on the m
    /// coordinates marked `sampled` (the same draws for every estimator), with their names.
    static func directions(exact g: [Double], sampled: [Bool]) -> [(name: String, u: [Double])] {
        let d = g.count, m = sampled.filter { $0 }.count
        var out: [(name: String, u: [Double])] = []
        let norm = GradientStatistics.norm(g)
        if norm > 0 { out.append(("grad J", g.map { $0 / norm })) }
        var rng = RandomStream(seed: directionSeed)
        for j in 0..<min(randomDirections, m) {
            var u = (0..<d).map { k in sampled[k] ? rng.nextGaussian() : 0 }
            let n = GradientStatistics.norm(u)
            if n > 0 { u = u.map { $0 / n } }
            out.append(("random direction \(j + 1)", u))
        }
        return out
    }
}
