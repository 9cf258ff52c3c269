import Foundation
import PolicyGradient

extension BenchCommand {
    /// Resident memory of the default `pg --env bandit10 --baseline nvil` run, in this process:
    /// at iteration 10 and 200, and the process's peak over the run (``MemoryUsage``: `VmHWM`,
    /// reset just before the run where the kernel allows, else the peak since pg started — never
    /// the memory of a `swift run` that started pg).
    static func memoryRows() throws -> [Row] {
        let env = Bandit.tenArmedTestbed(seed: 1)
        let reset = MemoryUsage.resetPeak()
        var s = try session(env, estimator: "nvil") { _ in }
        var early = 0.0
        for k in 0..<200 {
            _ = try s.step()
            if k == 10 { early = MemoryUsage.residentMegabytes() }
        }
        let late = MemoryUsage.residentMegabytes()
        let peak = reset ? "peak resident memory of this process during the run (VmHWM)"
            : "peak resident memory of this process since it started (VmHWM)"
        return [Row(id: "memory-10", name: "default bandit10 nvil run: resident memory at iteration 10", value: early, unit: "MB",
                    target: .atMost(32)),
                Row(id: "memory-200", name: "default bandit10 nvil run: resident memory at iteration 200", value: late, unit: "MB",
                    target: .flat(early)),
                Row(id: "memory-peak", name: "default bandit10 nvil run: " + peak, value: MemoryUsage.peakMegabytes(), unit: "MB",
                    target: .atMost(32))]
    }

    /// bandit10 REINFORCE + EMA at batch 1024, on one thread and on all.
    static func banditRows(threads: Int, scale: Double) throws -> [Row] {
        let env = Bandit.tenArmedTestbed(seed: 1)
        func samplesPerSecond(_ n: Int) throws -> Double {
            var s = try session(env, estimator: "ema") { c in
                c.episodes = 1024; c.optimizer = .sgd; c.learningRate = Schedule(initial: 0.01); c.threads = n
            }
            _ = try s.step()
            let iterations = Int(2000 * scale)
            let t = try time { for _ in 0..<iterations { _ = try s.step() } }
            return Double(iterations * 1024) / t
        }
        let one = try samplesPerSecond(1)
        let single = Row(id: "bandit-1t", name: "bandit10 REINFORCE+EMA batch 1024, 1 thread", value: one, unit: "samples/s",
                         target: .jax(factor: 1.5, lowerIsBetter: false))
        if threads == 1 { return [single] }
        let all = try samplesPerSecond(threads)
        return [single,
                Row(id: "bandit-\(threads)t", name: "bandit10 REINFORCE+EMA batch 1024, \(threads) threads", value: all,
                    unit: "samples/s", target: .note(">= 1.8x 1 thread")),
                Row(id: "bandit-speedup", name: "  speed-up", value: all / one, unit: "x", target: .atLeast(1.8))]
    }

    /// Sutton & Barto's gradient bandit: one sample per update (SGD, running-mean baseline).
    static func singleSampleRows(scale: Double) throws -> [Row] {
        var single = try session(Bandit.tenArmedTestbed(seed: 1, mean: 4), estimator: "mean") { c in
            c.episodes = 1; c.optimizer = .sgd; c.learningRate = Schedule(initial: 0.1); c.threads = 1
        }
        let updates = Int(2_000_000 * scale)
        let t = try time { for _ in 0..<updates { _ = try single.step() } }
        return [Row(id: "single-1t", name: "single-sample gradient-bandit updates, 1 thread", value: Double(updates) / t,
                    unit: "updates/s", target: .jax(factor: 1.5, lowerIsBetter: false))]
    }

    /// FrozenLake 8x8 (slippery) rollouts with a tabular policy, sampling and gradient included.
    static func frozenLakeRows(threads: Int, scale: Double) throws -> [Row] {
        let env = try EnvironmentRegistry.make("FrozenLake8x8-v1", options: {
            var o = EnvironmentOptions(); o.directories = [EnvsDirectory.shipped]; return o
        }())
        func stepsPerSecond(_ n: Int) throws -> Double {
            var s = try session(env, estimator: "ema") { c in
                c.episodes = 1024; c.optimizer = .sgd; c.learningRate = Schedule(initial: 1e-9); c.threads = n
            }
            var steps = 0.0
            let iterations = max(2, Int(100 * scale))
            let t = try time { for _ in 0..<iterations { let r = try s.step(); steps += r.meanLength * 1024 } }
            return steps / t
        }
        let single = Row(id: "frozenlake-1t", name: "FrozenLake 8x8 tabular rollout+gradient, 1 thread",
                         value: try stepsPerSecond(1), unit: "steps/s", target: .jax(factor: 5, lowerIsBetter: false))
        if threads == 1 { return [single] }
        return [single, Row(id: "frozenlake-\(threads)t", name: "FrozenLake 8x8 tabular rollout+gradient, \(threads) threads",
                            value: try stepsPerSecond(threads), unit: "steps/s")]
    }

    /// Straight-through Gumbel-softmax draws with their gradients at batch 1024 (10-class toy,
    /// differentiable reward), as the peers' `gumbel` workload.
    static func gumbelRows(threads: Int, scale: Double) throws -> [Row] {
        let env = Toy(targets: (0..<10).map { Double($0) / 10 })
        func drawsPerSecond(_ n: Int) throws -> Double {
            var s = try session(env, estimator: "st-gumbel") { c in
                c.episodes = 1024; c.optimizer = .sgd; c.learningRate = Schedule(initial: 0.01); c.threads = n
            }
            let iterations = Int(500 * scale)
            let t = try time { for _ in 0..<iterations { _ = try s.step() } }
            return Double(iterations * 1024) / t
        }
        let single = Row(id: "gumbel-1t", name: "ST Gumbel-softmax draws+gradients, 10 classes, batch 1024, 1 thread",
                         value: try drawsPerSecond(1), unit: "draws/s", target: .jax(factor: 1.5, lowerIsBetter: false))
        if threads == 1 { return [single] }
        return [single, Row(id: "gumbel-\(threads)t", name: "ST Gumbel-softmax draws+gradients, 10 classes, batch 1024, \(threads) threads",
                            value: try drawsPerSecond(threads), unit: "draws/s")]
    }

    /// Sutton & Barto's Figure 2.5 as `pg compare` runs it: 4 settings × 2000 runs × 1000 steps.
    static func figureRows(threads: Int, scale: Double) throws -> [Row] {
        let runs = Int(2000 * scale)
        let sweep = try FigureTwoFive.sweep(seeds: runs)
        var seconds = 0.0
        var rows: [Row] = []
        for v in sweep.variants {
            let r = try SeedSweep.run(v, seeds: sweep.seeds, threads: threads, environment: sweep.environmentForSeed)
            seconds += r.seconds
            let last = r.curves.curve("optimal_action").last??.mean ?? .nan
            rows.append(Row(id: "figure-optimal-\(rows.count + 1)", name: "  Figure 2.5 \(v.label): % optimal action at step 1000", value: 100 * last, unit: "%"))
        }
        return [Row(id: "figure-\(threads)t", name: "Figure 2.5 (4 settings x \(runs) runs x 1000 steps), \(threads) threads", value: seconds,
                    unit: "s", target: .jax(factor: 0.5, lowerIsBetter: true))] + rows
    }
}
