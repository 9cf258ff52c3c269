import Dispatch

/// Bias, variance and cost of several gradient estimators at one fixed policy (DESIGN.md §5).
///
/// For every estimator it draws R independent estimates ĝ₁…ĝ_R at `policy`, each from one
/// batch of the same number of episodes, and summarises them with ``GradientStatistics``
/// (against the exact ∇J where the dynamics are known), together with the wall-clock time of
/// one estimate.
///
/// Common random numbers: every estimator is built with the same seed, and replicate r draws
/// its episodes from the streams (seed, r, episode). So all REINFORCE baselines with the same
/// number of episodes per estimate see the very same episodes (`vimco`'s K episodes per
/// context use the same episode streams as K single-episode contexts; with a random start
/// state its contexts share one start, the others do not), and `gumbel` and `st-gumbel` at any
/// τ see the same Gumbel noise and hence the same actions. The two families do not share
/// actions: REINFORCE samples by inversion, the Gumbel estimators by the Gumbel-max trick.
/// ``sharedDraws(_:)`` names the group of each configuration.
public enum VarianceStudy {
    /// One estimator's measurement.
    public struct Row: Sendable {
        /// The estimator's label (`nvil`, `gumbel tau=0.5`, …).
        public var label: String
        /// The configuration measured.
        public var configuration: TrainingConfiguration
        /// Bias, variance, SNR and cosine of the R estimates.
        public var statistics: GradientStatistics
        /// Mean wall-clock seconds of one estimate (rollouts and gradient, no warm-up).
        public var secondsPerEstimate: Double
        /// The common-random-numbers group (see ``VarianceStudy/sharedDraws(_:)``).
        public var sharedDraws: String

        /// tr Cov × seconds per estimate: the variance left after spending one second of
        /// compute on averaged estimates (lower is better; Glynn & Whitt's efficiency).
        public var varianceTimesTime: Double { statistics.variance * secondsPerEstimate }
    }

    /// The group of estimators that see the same random draws: `"reinforce N"` for REINFORCE
    /// with any baseline and N episodes per estimate, `"gumbel N"` for both Gumbel estimators.
    /// - Parameter c: a configuration.
    /// - Returns: the group's name.
    public static func sharedDraws(_ c: TrainingConfiguration) -> String {
        (c.estimator == .reinforce ? "reinforce " : "gumbel ") + String(c.episodesPerUpdate)
    }

    /// Measures every variant at `policy`.
    /// - Parameters:
    ///   - environment: the environment.
    ///   - policy: the fixed policy (every variant is measured at it; the variants' own policy
    ///     fields are ignored).
    ///   - variants: the estimators; give them all the same `seed` for common random numbers.
    ///   - replicates: R ≥ 2 estimates per variant.
    ///   - warmUpBatches: batches used to fit the `ema` and `nvil` baselines and the Gumbel
    ///     critic at `policy` before measuring (``TrainingSession/warmUp(batches:)``).
    ///   - normalised: apply NVIL's 1/max(1, σ̂) (false measures the estimator of ∇J itself).
    ///   - significance: the family-wise level of the zero-bias test.
    ///   - progress: called with the number of estimates drawn so far, over all variants.
    /// - Returns: one row per variant, in order.
    /// - Throws: ``InputError`` if a configuration is invalid for the environment.
    /// - Complexity: R batches per variant plus one exact gradient.
    public static func run(environment: any Environment, policy: any Policy, variants: [SweepVariant],
                           replicates: Int, warmUpBatches: Int = 20, normalised: Bool = false,
                           significance: Double = 0.01,
                           progress: ((Int) -> Void)? = nil) throws -> [Row] {
        precondition(replicates >= 2, "a variance study needs at least 2 replicates")
        var rows: [Row] = []
        var done = 0
        for v in variants {
            var session = try makeTrainingSession(environment: environment, policy: policy, configuration: v.configuration)
            if needsWarmUp(v.configuration) { session.warmUp(batches: warmUpBatches) }
            let d = policy.parameterCount
            var estimates = [Double](repeating: 0, count: replicates * d)
            var seconds = 0.0
            for r in 0..<replicates {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let g = session.estimate(replicate: r, normalised: normalised)
                seconds += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                for k in 0..<d { estimates[r * d + k] = g[k] }
                done += 1
                progress?(done)
            }
            let stats = GradientStatistics(estimates: estimates, count: replicates, dimension: d,
                                           exactGradient: session.exactGradient(), significance: significance)
            rows.append(Row(label: v.label, configuration: v.configuration, statistics: stats,
                            secondsPerEstimate: seconds / Double(replicates), sharedDraws: sharedDraws(v.configuration)))
        }
        return rows
    }

    /// Whether a configuration has state fitted from data (a moving-average baseline, NVIL's
    /// c_ψ, or the critic of a Gumbel estimator without a differentiable reward).
    public static func needsWarmUp(_ c: TrainingConfiguration) -> Bool {
        c.estimator != .reinforce || c.baseline == .ema || c.baseline == .nvil
    }

    /// The policy after `iterations` updates of `configuration` from `policy` (for measuring
    /// estimators part-way through training).
    /// - Throws: ``InputError`` if the configuration is invalid.
    public static func trainedPolicy(environment: any Environment, policy: any Policy,
                                     configuration: TrainingConfiguration, iterations: Int) throws -> any Policy {
        var session = try makeTrainingSession(environment: environment, policy: policy, configuration: configuration)
        for _ in 0..<iterations { _ = session.step() }
        return session.policy
    }
}
