import Foundation

/// Holds a registered estimator to its claim (``EstimatorDescriptor/claim``) against exact
/// gradients: R independent estimates at a fixed, non-uniform policy on a few problems whose
/// ∇J is known — the binary toy, a categorical toy and a small slippery gridworld — each from a
/// batch of N = 2K episodes, with no warm-up (a learned part of the estimator, a critic or a
/// running mean, is measured from its start, where a biased estimator's bias is largest).
///
/// * An **unbiased** estimator must pass the zero-bias test (``GradientStatistics/Comparison``)
///   on every problem it runs on (an estimator exact there, such as the optimal baseline on a
///   two-action one-step toy, passes it: the test reads differences at rounding level as 0).
/// * A **biased** estimator must fail it on at least one of them: its bias is measured and
///   reported, and a claim of bias that no problem shows is a claim the tests cannot support.
/// * The **exact** gradient must equal ∇J on every estimate.
///
/// pg's own tests run it for every built-in and for the example package's estimators; a user's
/// package can run it for its own (`EstimatorConformance.check(descriptor)`).
public enum EstimatorConformance {
    /// One problem of the check.
    public struct Problem: Sendable {
        /// A short name (`binary toy`).
        public var name: String
        /// The environment.
        public var environment: any Environment
        /// R, estimates drawn.
        public var replicates: Int
    }

    /// What the check measured on one problem.
    public struct Measurement: Sendable {
        /// The problem's name.
        public var problem: String
        /// The statistics of the R estimates against ∇J.
        public var statistics: GradientStatistics
        /// Whether every estimate equalled ∇J to rounding.
        public var isExact: Bool
    }

    /// The outcome for one estimator.
    public struct Report: Sendable {
        /// The estimator's name.
        public var name: String
        /// Its claim (with default settings).
        public var claim: EstimatorClaim
        /// One measurement per problem it can run on.
        public var measurements: [Measurement]
        /// The problems it cannot run on, with the reason.
        public var skipped: [(problem: String, reason: String)]

        /// Whether the measurements support the claim.
        public var holds: Bool { failure == nil }

        /// Why the claim does not hold (nil when it does).
        public var failure: String? {
            guard !measurements.isEmpty else { return "it runs on none of the problems" }
            switch claim {
            case .unbiased:
                let rejected = measurements.filter { $0.statistics.exact?.isConsistentWithZeroBias == false }
                return rejected.isEmpty ? nil
                    : "claims to be unbiased but the zero-bias test rejects it on " + rejected.map(Self.describe).joined(separator: "; ")
            case .biased:
                return measurements.contains { $0.statistics.exact?.isConsistentWithZeroBias == false } ? nil
                    : "claims to be biased but no problem shows a bias: " + measurements.map(Self.describe).joined(separator: "; ")
            case .exact:
                let off = measurements.filter { !$0.isExact }
                return off.isEmpty ? nil : "claims to be exact but differs from the exact gradient on " + off.map(\.problem).joined(separator: ", ")
            }
        }

        /// "binary toy: rel. bias 0.012 ± 0.034, max |z| 1.3".
        static func describe(_ m: Measurement) -> String {
            guard let e = m.statistics.exact else { return m.problem }
            return m.problem + String(format: ": rel. bias %.3g ± %.2g, max |z| %.3g (z* %.3g)", e.relativeBias,
                                      e.relativeBiasNoiseFloor, e.maxAbsZ, e.zThreshold)
        }
    }

    /// The problems: the binary toy (t = 0.45), a four-action toy, a factorised problem of three
    /// five-category variables (``FactorisedCategorical``, its reward on the joint choice at the
    /// end: five categories, so that estimators drawing K = 4 distinct actions still sample) and a 2 × 3 slippery gridworld with a six-step limit; R chosen for a debug build.
    public static func problems() throws -> [Problem] {
        let map = "name: conformance\ndescription: a small slippery map\nactions: left down right up\nsuccess-rate: 0.8\n"
            + "step-reward: -0.1\nhole-reward: 0\ngoal-reward: 1\nterminal-rows: absorbing\ntime-limit: 6\nmap:\nSFH\nFFG\n"
        return [Problem(name: "binary toy", environment: Toy(binaryTarget: 0.45), replicates: 2000),
                Problem(name: "categorical toy", environment: Toy(targets: [0.1, 0.6, 0.3, 0.8]), replicates: 2000),
                Problem(name: "factorised", environment: try FactorisedCategorical(variables: 3, categories: 5, interaction: 1),
                        replicates: 1000),
                Problem(name: "gridworld", environment: try Gridworld(parsing: map, file: "conformance.txt"), replicates: 600)]
    }

    /// Runs `descriptor` (default settings unless `settings` are given) on every problem.
    /// - Parameters:
    ///   - seed: the seed of the policies and the estimates.
    ///   - significance: the family-wise level of each zero-bias test.
    /// - Throws: ``InputError`` if the estimator cannot be built for a reason other than an
    ///   environment it declares it cannot run on or a group its sampler cannot draw there.
    public static func check(_ descriptor: EstimatorDescriptor, settings: SettingValues = SettingValues(), seed: UInt64 = 1,
                             significance: Double = 0.001, problems: [Problem]? = nil) throws -> Report {
        var report = Report(name: descriptor.name, claim: descriptor.claim(settings), measurements: [], skipped: [])
        for problem in try problems ?? Self.problems() {
            let env = problem.environment
            var c = TrainingConfiguration()
            c.episodes = 2 * descriptor.groupSize(settings)
            c.seed = seed
            c.threads = 1
            let context = try EstimatorContext(environment: env, configuration: c)
            if let why = descriptor.incompatibility(context) {
                report.skipped.append((problem.name, why))
                continue
            }
            // A group its sampler cannot draw here (K distinct actions of fewer than K) is a problem it does not apply to.
            if let why = try descriptor.make(context, settings).samplerProblem(actionCount: env.actionCount) {
                report.skipped.append((problem.name, "its sampler \(why)"))
                continue
            }
            let policy = fixedPolicy(stateCount: env.stateCount, actionCount: env.actionCount, seed: seed)
            var session = try descriptor.makeSession(environment: env, policy: policy, configuration: c, settings: settings)
            guard let exact = session.exactGradient() else { continue }
            let d = exact.count, r = problem.replicates
            var estimates = [Double](repeating: 0, count: r * d)
            var isExact = true
            let scale = 1e-10 * (1 + exact.reduce(0) { $0 + $1 * $1 }.squareRoot())
            for i in 0..<r {
                let g = try session.estimate(replicate: i, normalised: false)
                for k in 0..<d {
                    estimates[i * d + k] = g[k]
                    if abs(g[k] - exact[k]) > scale { isExact = false }
                }
            }
            let statistics = GradientStatistics(estimates: estimates, count: r, dimension: d, exactGradient: exact,
                                                significance: significance)
            report.measurements.append(Measurement(problem: problem.name, statistics: statistics, isExact: isExact))
        }
        return report
    }

    /// A tabular policy with logits drawn uniformly from [−1, 1] (seeded): far enough from
    /// uniform that no symmetry hides a bias.
    static func fixedPolicy(stateCount: Int, actionCount: Int, seed: UInt64) -> TabularPolicy {
        var p = TabularPolicy(stateCount: stateCount, actionCount: actionCount)
        var rng = RandomStream(seed: seed).split(0xC0F0)
        p.parameters = (0..<p.parameterCount).map { _ in 2 * rng.nextUniform() - 1 }
        return p
    }
}
