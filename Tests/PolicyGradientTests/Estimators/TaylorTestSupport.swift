import Foundation
@testable import PolicyGradient
import XCTest

/// Shared set-up of the `muprop`, `darn`, `st` and `exact` tests: the problems, the policies
/// (initial and trained), and R estimates summarised by ``GradientStatistics`` against ∇J.
enum TaylorTestSupport {
    /// The binary toys t = 0.45 and t = 0.499, a 3-action toy, bandit10 (seed 3) and the slippery
    /// FrozenLake 4x4, by name.
    static func problems() throws -> [(name: String, environment: any Environment)] {
        [("toy t=0.45", Toy(binaryTarget: 0.45)), ("toy t=0.499", Toy(binaryTarget: 0.499)),
         ("toy t=(0.2,0.3,0.5)", Toy(targets: [0.2, 0.3, 0.5])), ("bandit10", Bandit.tenArmedTestbed(seed: 3)),
         ("FrozenLake 4x4", try frozenLake())]
    }

    static func frozenLake() throws -> Gridworld {
        try Gridworld.load(path: repositoryRoot.appendingPathComponent("envs/FrozenLake-v1-4x4.txt").path)
    }

    /// The uniform tabular policy.
    static func initial(_ env: any Environment) -> TabularPolicy {
        TabularPolicy(stateCount: env.stateCount, actionCount: env.actionCount)
    }

    /// The policy after `iterations` updates of REINFORCE with the `ema` baseline (Adam, step
    /// `lr`, 16 episodes per update) from the uniform one.
    static func trained(_ env: any Environment, iterations: Int = 40, lr: Double = 0.1) throws -> any Policy {
        var session = try makeSession("ema", environment: env, policy: initial(env), episodes: 16, seed: 99) { c in
            c.learningRate = Schedule(initial: lr)
            c.optimizer = .adam
        }
        for _ in 0..<iterations { _ = try session.step() }
        return session.policy
    }

    /// `replicates` estimates of `session` (replicates 0..<R) against its exact gradient.
    static func statistics(_ session: inout any TrainingSession, replicates: Int,
                           significance: Double = 0.001) throws -> GradientStatistics {
        let exact = try XCTUnwrap(session.exactGradient())
        var all = [Double]()
        all.reserveCapacity(replicates * exact.count)
        for r in 0..<replicates { all += try session.estimate(replicate: r, normalised: false) }
        return GradientStatistics(estimates: all, count: replicates, dimension: exact.count, exactGradient: exact,
                                  significance: significance)
    }

    /// The statistics of the registered estimator `name` at `policy`, warmed up where it learns.
    static func measure(_ name: String, on env: any Environment, at policy: any Policy, episodes: Int = 8,
                        replicates: Int, warmUp: Int = 10) throws -> GradientStatistics {
        var session = try makeSession(name, environment: env, policy: policy, episodes: episodes, seed: 21)
        if session.needsWarmUp { try session.warmUp(batches: warmUp) }
        return try statistics(&session, replicates: replicates)
    }

    /// MuProp without its correction term: the Taylor baseline at x̄ = π, nothing added back.
    static func uncorrectedMuProp(on env: any Environment, at policy: any Policy, episodes: Int = 8) throws -> any TrainingSession {
        var c = TrainingConfiguration()
        c.episodes = episodes
        c.seed = 21
        c.threads = 1
        let context = try EstimatorContext(environment: env, configuration: c)
        let estimator = DARN(point: .policy, reward: RelaxedReward(context: context, settings: SettingValues()))
        return try makeTrainingSession(environment: env, policy: policy, configuration: c, features: context.features,
                                       estimator: AnyEstimator(estimator))
    }

    /// "rel. bias 0.012 ± 0.034, max |z| 1.3 (z* 3.29)".
    static func describe(_ s: GradientStatistics) -> String {
        guard let e = s.exact else { return "no exact gradient" }
        return String(format: "rel. bias %.4g ± %.2g, max |z| %.3g (z* %.3g), variance %.3g", e.relativeBias,
                      e.relativeBiasNoiseFloor, e.maxAbsZ, e.zThreshold, s.variance)
    }
}
