import Foundation
import PolicyGradient

extension BenchCommand {
    /// The `pg compare` sweeps whose estimators train a network every update, as the peers'
    /// workloads of the same names (scripts/peers/jax_critic_workloads.py) run them: by group
    /// name, the arguments of the sweep (its seeds come from the scale).
    static let learnedSweeps: [(group: String, name: String, arguments: [String])] = [
        ("critic-gumbel", "bandit10 gumbel with its critic, batch 32, 200 updates",
         ["--env", "bandit10", "--estimators", "gumbel"]),
        ("critic-st-gumbel", "bandit10 st-gumbel with its critic, batch 32, 200 updates",
         ["--env", "bandit10", "--estimators", "st-gumbel"]),
        ("relax-toy", "binary toy relax (surrogate MLP), batch 1, 1000 updates",
         ["--env", "toy", "--estimators", "relax", "--batch", "1", "--iterations", "1000"]),
    ]

    /// One `pg compare` sweep of `learnedSweeps` over 1000 seeds (100 with `--quick`), as
    /// `pg compare` runs it (its per-update records included), on one thread and on all: seeds ×
    /// updates per second of the sweep, as the peer reports it.
    static func learnedRows(_ group: String, threads: Int, scale: Double) throws -> [Row] {
        let spec = learnedSweeps.first { $0.group == group }!
        let seeds = Int(1000 * scale)
        let sweep = try CompareCommand.Sweep(Arguments(spec.arguments + ["--seeds", String(seeds)], flags: CompareCommand.flags,
                                                       command: "compare"))
        let variant = sweep.variants[0]
        func rate(_ n: Int) throws -> Double {
            let r = try SeedSweep.run(variant, seeds: sweep.seeds, threads: n, threshold: sweep.threshold,
                                      measureGradientError: sweep.exactKnown, environment: sweep.environmentForSeed)
            return Double(seeds * variant.configuration.iterations) / r.seconds
        }
        let label = "\(spec.name), \(seeds) seeds"
        let single = Row(id: "\(group)-1t", name: "\(label), 1 thread", value: try rate(1), unit: "seed-updates/s",
                         target: .jax(factor: 1, lowerIsBetter: false))
        if threads == 1 { return [single] }
        return [single, Row(id: "\(group)-\(threads)t", name: "\(label), \(threads) threads", value: try rate(threads),
                            unit: "seed-updates/s")]
    }

    /// FrozenLake 8x8 (slippery) rollouts with an MLP policy (one-hot state → 64 tanh → 4
    /// logits), REINFORCE + EMA at 1024 episodes per update, SGD with a step so small that the
    /// policy stays uniform: the MLP's forward and backward passes inside the rollout.
    static func mlpRows(threads: Int, scale: Double) throws -> [Row] {
        let env = try EnvironmentRegistry.make("FrozenLake8x8-v1", options: {
            var o = EnvironmentOptions(); o.directories = [EnvsDirectory.shipped]; return o
        }())
        var policy = PolicySpec(kind: .mlp)
        policy.hidden = [64]
        func stepsPerSecond(_ n: Int) throws -> Double {
            var c = TrainingConfiguration()
            c.episodes = 1024; c.optimizer = .sgd; c.learningRate = Schedule(initial: 1e-9); c.threads = n
            var s = try EstimatorSpec("ema").makeSession(environment: env, policy: policy.make(for: env, seed: c.seed), configuration: c)
            var steps = 0.0
            let iterations = max(2, Int(50 * scale))
            let t = try time { for _ in 0..<iterations { let r = try s.step(); steps += r.meanLength * 1024 } }
            return steps / t
        }
        let name = "FrozenLake 8x8 MLP policy (hidden 64) rollout+gradient"
        let single = Row(id: "mlp-frozenlake-1t", name: "\(name), 1 thread", value: try stepsPerSecond(1), unit: "steps/s",
                         target: .jax(factor: 1, lowerIsBetter: false))
        if threads == 1 { return [single] }
        return [single, Row(id: "mlp-frozenlake-\(threads)t", name: "\(name), \(threads) threads", value: try stepsPerSecond(threads),
                            unit: "steps/s")]
    }
}
