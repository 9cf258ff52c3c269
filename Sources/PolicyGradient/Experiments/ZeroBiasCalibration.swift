import Dispatch
import Foundation
import Synchronization

/// The false-alarm study of the zero-bias test (``ZeroBiasTest``): unbiased estimators measured
/// at many fixed policies — initial, trained, random and near-deterministic — on the toys,
/// bandits and gridworlds, each verdict counted. An unbiased estimator should get NO at most at
/// the test's level α; the per-coordinate z-test it replaces is counted beside it
/// (``Cell/perCoordinateRejections``) for contrast.
public enum ZeroBiasCalibration {
    /// One problem at one fixed policy.
    public struct Case: Sendable {
        /// The problem (`toy t=0.45`, `FrozenLake-v1-4x4`).
        public var problem: String
        /// The policy (`initial`, `trained 100`, `near-deterministic 1e-06`, `random 2`).
        public var policyLabel: String
        /// The environment.
        public var environment: any Environment
        /// The fixed policy.
        public var policy: any Policy
        /// Episodes per estimate, N.
        public var episodes: Int
    }

    /// The verdicts of one estimator at one case over the trials.
    public struct Cell: Sendable, Equatable {
        /// The case's index in the suite.
        public var caseIndex: Int
        /// The estimator's label.
        public var estimator: String
        /// Trials run.
        public var trials = 0
        /// NO verdicts, and inconclusive ones.
        public var rejections = 0, inconclusive = 0
        /// Rejections by the raw per-coordinate test (max |z_k| above its Bonferroni threshold).
        public var perCoordinateRejections = 0
    }

    /// The suite's problems and policies.
    public enum Size: String, Sendable {
        /// 50 cases, one or two trained policies per problem: for the test.
        case quick
        /// The quick cases and a few more trained and near-deterministic policies.
        case full
    }

    /// The unbiased estimators every case measures: REINFORCE with no baseline, `ema`, `nvil`
    /// and `vimco` (K = 2).
    public static let estimators: [EstimatorSpec] = [
        EstimatorSpec("none"), EstimatorSpec("ema"), EstimatorSpec("nvil"),
        EstimatorSpec("vimco", settings: { var v = SettingValues(); v.set(LeaveOneOutBaseline.samplesSetting, .integer(2)); return v }()),
    ]

    /// Measures every estimator at every case, `trials` times (trial t of estimator j uses seed
    /// `seed + t + 1000003 j`: no common random numbers, so that the verdicts are independent).
    /// - Parameters:
    ///   - cases: the suite.
    ///   - estimators: the estimators (each must be unbiased for the counts to be false alarms).
    ///   - replicates: R per measurement.
    ///   - trials: repetitions with fresh random numbers.
    ///   - significance: α.
    ///   - seed: the first trial's seed.
    ///   - threads: cases measured at once.
    ///   - progress: called after each case with the number of cases done (from any thread).
    /// - Returns: one cell per case and estimator, case-major.
    /// - Throws: ``InputError`` if an estimator cannot run on a case's environment.
    public static func run(cases: [Case], estimators: [EstimatorSpec] = estimators, replicates: Int, trials: Int,
                           significance: Double = 0.01, seed: UInt64 = 1, threads: Int = 1,
                           progress: (@Sendable (Int) -> Void)? = nil) throws -> [Cell] {
        let results = Mutex<[Int: Result<[Cell], any Error>]>([:])
        let measure = { @Sendable (i: Int) in
            let r = Result { try measureCase(cases[i], index: i, estimators: estimators, replicates: replicates, trials: trials,
                                             significance: significance, seed: seed) }
            let done = results.withLock { $0[i] = r; return $0.count }
            progress?(done)
        }
        let workers = max(1, min(threads, cases.count))
        if workers == 1 {
            for i in cases.indices { measure(i) }
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var i = w
                while i < cases.count { measure(i); i += workers }
            }
        }
        let all = results.withLock { $0 }
        return try cases.indices.flatMap { try all[$0]!.get() }
    }

    /// The cells of one case.
    static func measureCase(_ c: Case, index i: Int, estimators: [EstimatorSpec], replicates: Int, trials: Int,
                            significance: Double, seed: UInt64) throws -> [Cell] {
        var row = estimators.map { Cell(caseIndex: i, estimator: $0.name) }
        for t in 0..<trials {
            // Each estimator its own random numbers, so that the verdicts of a trial are independent.
            let variants = estimators.enumerated().map { j, spec in
                var configuration = TrainingConfiguration()
                configuration.episodes = c.episodes
                configuration.seed = seed &+ UInt64(t) &+ 1_000_003 &* UInt64(j)
                configuration.threads = 1
                return SweepVariant(estimator: spec, configuration: configuration)
            }
            let rows = try VarianceStudy.run(environment: c.environment, policy: c.policy, variants: variants,
                                             replicates: replicates, warmUpBatches: 10, significance: significance,
                                             decompose: false)
            for (j, r) in rows.enumerated() {
                guard let e = r.statistics.exact else { continue }
                row[j].trials += 1
                if e.zeroBias.verdict == .biased { row[j].rejections += 1 }
                if e.zeroBias.verdict == .inconclusive { row[j].inconclusive += 1 }
                if e.maxAbsZ > e.zThreshold { row[j].perCoordinateRejections += 1 }
            }
        }
        return row
    }

    /// The largest number of rejections among `trials` that is consistent with a false-alarm
    /// rate of at most α: the smallest k with P(Binomial(trials, α) > k) ≤ `tolerance`.
    /// - Complexity: O(k).
    public static func rejectionLimit(trials n: Int, significance alpha: Double, tolerance: Double = 0.001) -> Int {
        var k = 0, pmf = pow(1 - alpha, Double(n)), cdf = pmf
        while 1 - cdf > tolerance, k < n {
            pmf *= Double(n - k) / Double(k + 1) * alpha / (1 - alpha)
            k += 1
            cdf += pmf
        }
        return k
    }
}
