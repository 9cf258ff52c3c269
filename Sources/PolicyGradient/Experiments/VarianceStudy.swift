import Dispatch

/// Bias, variance and cost of several gradient estimators at one fixed policy (the documentation's MeasuringEstimators article).
///
/// For every estimator it draws R independent estimates ĝ₁…ĝ_R at `policy`, each from one
/// batch of the same number of episodes, and summarises them with ``GradientStatistics``
/// (against the exact ∇J where the dynamics are known), together with the time of one estimate.
///
/// Common random numbers: every estimator is built with the same seed, and replicate r draws
/// its episodes from the streams (seed, r, episode). So all estimators that draw actions the
/// same way (the same ``GroupSampler/identity``) with the same number of episodes per estimate see the very
/// same episodes: the REINFORCE baselines share rollouts (`vimco`'s K episodes per context use
/// the same episode streams as K single-episode contexts; with a random start state its
/// contexts share one start, the others do not), and the Gumbel-max estimators at any τ share
/// Gumbel noise and hence actions. ``sharedDraws(sampler:episodes:)`` names the group.
public enum VarianceStudy {
    /// One estimator's measurement.
    public struct Row: Sendable {
        /// The estimator's label (`nvil`, `gumbel tau=0.5`, …).
        public var label: String
        /// The estimator measured.
        public var estimator: EstimatorSpec
        /// Episodes per estimate.
        public var episodes: Int
        /// Bias, variance, SNR and cosine of the R estimates.
        public var statistics: GradientStatistics
        /// Mean wall-clock seconds of one estimate (rollouts and gradient, no warm-up).
        public var secondsPerEstimate: Double
        /// The common-random-numbers group (see ``VarianceStudy/sharedDraws(sampler:episodes:)``).
        public var sharedDraws: String
        /// Whether the estimator was warmed up at the policy before measuring.
        public var warmedUp: Bool
        /// Mean environment steps of one estimate's episodes.
        public var stepsPerEstimate = 0.0
        /// Mean extra continuations (and their steps) of one estimate, for an estimator that
        /// branches (``Branching``): the cost beyond its episodes, for comparisons at equal cost.
        public var branchEpisodesPerEstimate = 0.0, branchStepsPerEstimate = 0.0
        /// The exact split of the variance into its state, action and trajectory parts (for the
        /// REINFORCE baselines pg can decompose, see ``VarianceStudy/decomposition(of:environment:policy:features:configuration:)``).
        public var decomposition: VarianceDecomposition? = nil

        /// tr Cov × seconds per estimate: the variance left after spending one second of
        /// compute on averaged estimates (lower is better; Glynn & Whitt's efficiency).
        public var varianceTimesTime: Double { statistics.variance * secondsPerEstimate }
    }

    /// Batches that fit an estimator's state at the policy before it is measured, unless told (20).
    public static let defaultWarmUpBatches = 20

    /// The group of estimators that see the same random draws: the sampler's
    /// ``GroupSampler/identity`` and N, e.g.
    /// `inverse-cdf 32`.
    public static func sharedDraws(sampler: String, episodes: Int) -> String {
        "\(sampler) \(episodes)"
    }

    /// Measures every variant at `policy`.
    /// - Parameters:
    ///   - environment: the environment.
    ///   - policy: the fixed policy (every variant is measured at it; the variants' own policy
    ///     fields are ignored).
    ///   - variants: the estimators; give them all the same seed for common random numbers.
    ///   - replicates: R ≥ 2 estimates per variant.
    ///   - warmUpBatches: batches that fit the estimators' state (baselines, critics) at
    ///     `policy` before measuring (``TrainingSession/warmUp(batches:)``).
    ///   - normalised: apply NVIL's 1/max(1, σ̂) (false measures the estimator of ∇J itself).
    ///   - significance: the family-wise level of the zero-bias test.
    ///   - decompose: also split each REINFORCE row's variance into its state, action and
    ///     trajectory parts (``Row/decomposition``).
    ///   - progress: called with the number of estimates drawn so far, over all variants.
    /// - Returns: one row per variant, in order. When ``Cancellation`` is requested (polled
    ///   before every warm-up and every estimate), the study stops after the estimate it is on:
    ///   the current variant's row covers the estimates drawn so far (if at least 2) and later
    ///   variants are not measured; the caller sees the request in ``Cancellation/isRequested``.
    /// - Throws: ``InputError`` if a configuration is invalid for the environment.
    /// - Complexity: R batches per variant plus one exact gradient.
    public static func run(environment: any Environment, policy: any Policy, variants: [SweepVariant],
                           replicates: Int, warmUpBatches: Int = defaultWarmUpBatches, normalised: Bool = false,
                           significance: Double = GradientStatistics.defaultSignificance, decompose: Bool = true,
                           progress: ((Int) -> Void)? = nil) throws -> [Row] {
        precondition(replicates >= 2, "a variance study needs at least 2 replicates")
        var rows: [Row] = []
        var done = 0
        for v in variants {
            if Cancellation.isRequested { break }
            let descriptor = try v.estimator.descriptor()
            var session = try descriptor.makeSession(environment: environment, policy: policy,
                                                     configuration: v.configuration, settings: v.estimator.settings)
            let warm = session.needsWarmUp && warmUpBatches > 0
            if warm { try session.warmUp(batches: warmUpBatches) }
            let d = policy.parameterCount
            var estimates = [Double](repeating: 0, count: replicates * d)
            var seconds = 0.0, drawn = 0
            var cost = BatchCost(episodes: 0, steps: 0, branchEpisodes: 0, branchSteps: 0)
            while drawn < replicates, !Cancellation.isRequested {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let g = try session.estimate(replicate: drawn, normalised: normalised)
                seconds += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                let c = session.lastBatchCost
                cost.steps += c.steps; cost.branchEpisodes += c.branchEpisodes; cost.branchSteps += c.branchSteps
                for k in 0..<d { estimates[drawn * d + k] = g[k] }
                drawn += 1
                done += 1
                progress?(done)
            }
            guard drawn >= 2 else { break }
            if drawn < replicates { estimates.removeLast((replicates - drawn) * d) }
            let unseen = unseenDrawBound(environment: environment, policy: policy, features: session.features,
                                         configuration: v.configuration, replicates: drawn,
                                         baseline: v.estimator.name == "none" ? .zero : .values, significance: significance)
            let stats = GradientStatistics(estimates: estimates, count: drawn, dimension: d,
                                           exactGradient: session.exactGradient(), significance: significance, unseen: unseen)
            var row = Row(label: v.label, estimator: v.estimator, episodes: v.configuration.episodes, statistics: stats,
                            secondsPerEstimate: seconds / Double(drawn),
                            sharedDraws: sharedDraws(sampler: session.samplerIdentity, episodes: v.configuration.episodes),
                            warmedUp: warm,
                            decomposition: decompose ? decomposition(of: v.estimator, environment: environment, policy: policy,
                                                                     features: session.features, configuration: v.configuration)
                                : nil)
            row.stepsPerEstimate = Double(cost.steps) / Double(drawn)
            row.branchEpisodesPerEstimate = Double(cost.branchEpisodes) / Double(drawn)
            row.branchStepsPerEstimate = Double(cost.branchSteps) / Double(drawn)
            rows.append(row)
        }
        return rows
    }

    /// What the state-action pairs that R estimates of N episodes at `policy` draw too rarely
    /// could leave out of their mean (``UnseenDrawBound``), for the zero-bias test; nil without
    /// known dynamics.
    /// - Parameters:
    ///   - baseline: what the estimator subtracts from the returns: `.zero` for REINFORCE
    ///     without a baseline (`none`), `.values` for every other estimator (a baseline or
    ///     control variate of the size of the values).
    ///   - significance: the test's level α.
    /// - Complexity: O(H · Σ_{s,a} outcomes(s,a)).
    public static func unseenDrawBound(environment: any Environment, policy: any Policy, features: StateFeatures,
                                       configuration: TrainingConfiguration, replicates: Int,
                                       baseline: DrawCoverage.BaselineRange, significance: Double) -> UnseenDrawBound? {
        guard let model = (environment as? any KnownDynamics)?.model else { return nil }
        return UnseenDrawBound(model: model, horizon: environment.timeLimit, gamma: configuration.gamma,
                               episodes: replicates * configuration.episodes, baseline: baseline, significance: significance,
                               policy: policy, features: features)
    }

    /// The policy after `iterations` updates of `variant` from `policy` (for measuring
    /// estimators part-way through training); fewer if ``Cancellation`` is requested.
    /// - Throws: ``InputError`` if the configuration is invalid.
    public static func trainedPolicy(environment: any Environment, policy: any Policy, variant: SweepVariant,
                                     iterations: Int) throws -> any Policy {
        var session = try variant.estimator.makeSession(environment: environment, policy: policy,
                                                        configuration: variant.configuration)
        for _ in 0..<iterations {
            if Cancellation.isRequested { break }
            _ = try session.step()
        }
        return session.policy
    }
}
