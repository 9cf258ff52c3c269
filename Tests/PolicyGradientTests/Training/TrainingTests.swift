import Synchronization
import Foundation
@testable import PolicyGradient
import XCTest

/// The trainer end to end: variance reduction by the baselines, determinism for any thread
/// count, unbiasedness on a multi-step MDP, learning with the defaults, and Sutton & Barto's
/// gradient-bandit experiment (Estimators.md, Determinism.md).
final class TrainingTests: XCTestCase {
    private func randomTabular(states: Int, actions: Int, seed: UInt64) -> TabularPolicy {
        var p = TabularPolicy(stateCount: states, actionCount: actions)
        var rng = RandomStream(seed: seed)
        p.parameters = p.parameters.map { _ in rng.nextGaussian() }
        return p
    }

    /// The baseline `name` with the test's settings for it (K = `samples` for vimco).
    private func spec(_ name: String, samples: Int = 4) throws -> EstimatorSpec {
        let b = reinforceBaselines.first { $0.name == name }!
        var settings = b.settings
        if name == "vimco" { settings["samples"] = .integer(samples) }
        return EstimatorSpec(name, settings: try estimatorSettings(name, settings))
    }

    private func configuration(episodes: Int, seed: UInt64 = 11, threads: Int = 1) -> TrainingConfiguration {
        var c = TrainingConfiguration()
        c.episodes = episodes
        c.seed = seed
        c.threads = threads
        return c
    }

    private func run(_ env: any Environment, _ policy: any Policy, _ estimator: EstimatorSpec, _ c: TrainingConfiguration,
                     iterations: Int) throws -> [IterationRecord] {
        try Self.run(env, policy, estimator, c, iterations: iterations)
    }

    private static func run(_ env: any Environment, _ policy: any Policy, _ estimator: EstimatorSpec, _ c: TrainingConfiguration,
                     iterations: Int) throws -> [IterationRecord] {
        var session = try estimator.makeSession(environment: env, policy: policy, configuration: c)
        return try (0..<iterations).map { _ in
            var r = try session.step()
            r.elapsed = 0
            return r
        }
    }

    // MARK: (a) Variance reduction at a fixed policy

    /// R estimates per baseline at the same policy (REINFORCE baselines share rollouts replicate
    /// by replicate), and per replicate r the squared distance ‖ĝ_r − mean ĝ‖², whose mean is the
    /// trace of the covariance.
    private func squaredDeviations(_ env: Bandit, _ policy: TabularPolicy, _ baseline: String,
                                   replicates: Int) throws -> [Double] {
        var session = try spec(baseline).makeSession(environment: env, policy: policy, configuration: configuration(episodes: 8))
        try session.warmUp(batches: 20)
        let g = try (0..<replicates).map { try session.estimate(replicate: $0, normalised: false) }
        let d = g[0].count
        var mean = [Double](repeating: 0, count: d)
        for e in g { for k in 0..<d { mean[k] += e[k] / Double(replicates) } }
        return g.map { e in (0..<d).reduce(0) { $0 + (e[$1] - mean[$1]) * (e[$1] - mean[$1]) } }
    }

    /// Trace of the covariance of ĝ (N = 8 episodes per estimate) for every baseline against
    /// `none`, on bandit10 with q* ~ N(0, 1) and N(4, 1) at a fixed random tabular policy.
    ///
    /// With mean 4 every return is ≈ 4 and `none` pays for (E G)² ≈ 16: each baseline must cut the
    /// trace well below half, by a paired comparison (common random numbers) at z < −4.
    /// With mean 0, E G ≈ 0 already, so a baseline has little to remove; leave-one-out even adds
    /// variance (K/(K − 1) on the noise of the others' mean), so there the numbers are printed, and
    /// what is asserted is why the baselines win at mean 4: `ema` and `vimco` are invariant to adding
    /// a constant to every reward (identical traces at means 0 and 4) while `none` is not.
    func testBaselinesReduceVarianceOnBandit10() throws {
        let replicates = 2000
        for seed: UInt64 in [1, 2] {
            var traces: [Double: [String: Double]] = [:]
            for mean in [0.0, 4.0] {
                let env = Bandit.tenArmedTestbed(seed: seed, mean: mean)
                let policy = randomTabular(states: 1, actions: 10, seed: seed &+ 100)
                let none = try squaredDeviations(env, policy, "none", replicates: replicates)
                traces[mean, default: [:]]["none"] = none.reduce(0, +) / Double(replicates)
                var line = "bandit10 mean \(mean) seed \(seed): trace none \(String(format: "%.4g", traces[mean]!["none"]!))"
                for b in ["ema", "nvil", "vimco"] {
                    let dev = try squaredDeviations(env, policy, b, replicates: replicates)
                    let trace = dev.reduce(0, +) / Double(replicates)
                    traces[mean, default: [:]][b] = trace
                    // Paired differences (the baselines share rollouts replicate by replicate).
                    let diff = zip(dev, none).map { $0 - $1 }
                    let m = diff.reduce(0, +) / Double(replicates)
                    let se = (diff.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(replicates - 1) / Double(replicates)).squareRoot()
                    let ratio = trace / traces[mean]!["none"]!
                    line += String(format: ", %@ %.4g (ratio %.3f, z %.1f)", b, trace, ratio, m / se)
                    if mean == 4 {
                        XCTAssertLessThan(ratio, 0.5, "seed \(seed) \(b): trace ratio to none")
                        XCTAssertLessThan(m / se, -4, "seed \(seed) \(b): reduction not significant")
                    }
                }
                print(line)
            }
            for b in ["ema", "vimco"] {
                XCTAssertEqual(traces[4]![b]!, traces[0]![b]!, accuracy: 1e-9 * traces[0]![b]!, "seed \(seed) \(b): not shift-invariant")
            }
            XCTAssertGreaterThan(traces[4]!["none"]!, 3 * traces[0]!["none"]!, "seed \(seed): none should pay for the mean")
        }
    }

    // MARK: (b) Determinism

    func testSameConfigurationGivesIdenticalRecords() throws {
        for b in reinforceBaselines.map(\.name) {
            var c = configuration(episodes: 12, threads: 2)
            let env = Bandit.tenArmedTestbed(seed: 2), x = try spec(b, samples: 3)
            let first = try run(env, TabularPolicy(stateCount: 1, actionCount: 10), x, c, iterations: 6)
            let second = try run(env, TabularPolicy(stateCount: 1, actionCount: 10), x, c, iterations: 6)
            XCTAssertEqual(first, second, "baseline \(b)")
            c.seed += 1
            let other = try run(env, TabularPolicy(stateCount: 1, actionCount: 10), x, c, iterations: 6)
            XCTAssertNotEqual(first, other, "baseline \(b): another seed gave the same run")
        }
    }

    /// 1, 2 and 8 threads give identical records, for a batch of 37 contexts (not a multiple
    /// of the 32 chunks) and a multi-step MDP as well as a bandit.
    func testThreadCountDoesNotChangeRecords() throws {
        let envs: [(any Environment, any Policy)] = [
            (Bandit.tenArmedTestbed(seed: 3), TabularPolicy(stateCount: 1, actionCount: 10)),
            (HandMDP(timeLimit: 5), LinearPolicy(featureCount: 3, actionCount: 2)),
            (try frozenLake(), TabularPolicy(stateCount: 16, actionCount: 4)),
        ]
        for (env, policy) in envs {
            for b in reinforceBaselines.map(\.name) {
                for batch in [37, 5] {
                    let k = b == "vimco" ? 3 : 1
                    var c = configuration(episodes: batch * k)
                    c.gamma = 0.95
                    var reference: [IterationRecord]?
                    for threads in [1, 2, 8] {
                        c.threads = threads
                        let records = try run(env, policy, try spec(b, samples: 3), c, iterations: 4)
                        if let reference {
                            XCTAssertEqual(records, reference, "\(env.id) \(b) batch \(batch): \(threads) threads differ from 1")
                        } else {
                            reference = records
                            XCTAssertEqual(records.last?.episodes, 4 * batch * k)
                        }
                    }
                }
            }
        }
    }

    /// Two trainers stepping at the same time from two threads, each asking for 2 worker
    /// threads, give the same records as when run one after the other.
    func testConcurrentTrainersShareTheWorkerPoolSafely() throws {
        let c = configuration(episodes: 80, threads: 2), x = try spec("vimco", samples: 2)
        let envs = [Bandit.tenArmedTestbed(seed: 4), Bandit.tenArmedTestbed(seed: 5)]
        let serial = try envs.map { try run($0, TabularPolicy(stateCount: 1, actionCount: 10), x, c, iterations: 300) }
        let concurrent = Mutex([[IterationRecord]](repeating: [], count: 2))
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let records = try? Self.run(envs[i], TabularPolicy(stateCount: 1, actionCount: 10), x, c, iterations: 300)
            concurrent.withLock { $0[i] = records ?? [] }
        }
        XCTAssertTrue(concurrent.withLock { $0 } == serial, "trainers stepping concurrently gave other records than serial ones")
    }

    // MARK: Unbiasedness on a multi-step MDP (γ < 1, termination, truncation)

    func testReinforceIsUnbiasedOnHandMDP() throws {
        let env = HandMDP(timeLimit: 4)
        var lin = LinearPolicy(featureCount: 3, actionCount: 2)
        lin.parameters = [0.4, -0.3, 0.2, -0.1, 0.5, 0.3, 0.1, -0.2]
        let policies: [any Policy] = [randomTabular(states: 3, actions: 2, seed: 8), lin]
        for policy in policies {
            for b in reinforceBaselines.map(\.name) {
                var c = configuration(episodes: 6, seed: 5)
                c.gamma = 0.9
                var session = try spec(b, samples: 3).makeSession(environment: env, policy: policy, configuration: c)
                try session.warmUp(batches: 10)
                let exact = try XCTUnwrap(session.exactGradient())
                let replicates = 3000, d = exact.count
                var sum = [Double](repeating: 0, count: d), sq = sum
                for r in 0..<replicates {
                    let g = try session.estimate(replicate: r, normalised: false)
                    for k in 0..<d { sum[k] += g[k]; sq[k] += g[k] * g[k] }
                }
                let n = Double(replicates)
                var worst = 0.0
                for k in 0..<d {
                    let m = sum[k] / n, se = (max(0, sq[k] / n - m * m) / n).squareRoot()
                    worst = max(worst, abs(m - exact[k]) / se)
                }
                XCTAssertLessThan(worst, 4.5, "\(policy.kind) baseline \(b): largest |z| = \(worst)")
            }
        }
    }

    // MARK: (c) Learning with the defaults

    func testDefaultsLearnBandit10() throws {
        let env = Bandit.tenArmedTestbed(seed: 1)
        for seed: UInt64 in [1, 2, 3] {
            for b in reinforceBaselines.map(\.name) + ["mean"] {
                var c = TrainingConfiguration()
                c.seed = seed
                // The defaults: `mean` with its own default convention the second time.
                let x = b == "mean" ? EstimatorSpec("mean") : try spec(b)
                var session = try x.makeSession(environment: env, policy: TabularPolicy(stateCount: 1, actionCount: 10),
                                                configuration: c)
                for _ in 0..<c.iterations { _ = try session.step() }
                let j = try XCTUnwrap(session.exactJ()), best = try XCTUnwrap(session.optimalJ)
                print(String(format: "bandit10 seed 1, run seed %d, %@: J/J* = %.4f after %d iterations",
                             Int(seed), b, j / best, c.iterations))
                XCTAssertGreaterThanOrEqual(j, 0.95 * best, "seed \(seed) baseline \(b): J \(j) of J* \(best)")
            }
        }
    }

    // MARK: (d) Sutton & Barto's gradient bandit (Figure 2.5)

    /// Gradient bandit, α = 0.1, q* ~ N(4, 1): with the running-mean baseline R̄ the share of
    /// optimal actions ends far higher than without (Sutton & Barto 2018, §2.8, Figure 2.5).
    func testGradientBanditWithBaselineBeatsWithout() throws {
        let runs = 200, steps = 500, last = 450..<500
        var curves: [Bool: [Double]] = [:]
        var finals: [Bool: [Double]] = [:]  // per run: share of optimal actions over the last 50 steps
        for withBaseline in [true, false] {
            var optimal = [Double](repeating: 0, count: steps)
            for run in 0..<runs {
                let env = Bandit.tenArmedTestbed(seed: UInt64(1000 + run), mean: 4)
                var c = configuration(episodes: 1, seed: UInt64(run))
                c.optimizer = .sgd
                c.learningRate = Schedule(initial: 0.1)
                var session = try EstimatorSpec(withBaseline ? "mean" : "none")
                    .makeSession(environment: env, policy: TabularPolicy(stateCount: 1, actionCount: 10), configuration: c)
                var final = 0.0
                for t in 0..<steps {
                    let hit = try XCTUnwrap(try session.step().optimalActionFraction)
                    optimal[t] += hit
                    if last.contains(t) { final += hit / Double(last.count) }
                }
                finals[withBaseline, default: []].append(final)
            }
            curves[withBaseline] = optimal.map { 100 * $0 / Double(runs) }
        }
        func window(_ c: [Double], _ r: Range<Int>) -> Double { c[r].reduce(0, +) / Double(r.count) }
        for b in [true, false] {
            let c = curves[b]!
            print(String(format: "gradient bandit α = 0.1, q* ~ N(4, 1), %@ baseline, %d runs: %% optimal action at steps "
                         + "1-10 %.1f, 91-100 %.1f, 241-250 %.1f, 451-500 %.1f",
                         b ? "with" : "without", runs, window(c, 0..<10), window(c, 90..<100), window(c, 240..<250),
                         window(c, last)))
        }
        // Paired by run (same bandit): the difference of the final shares and its standard error.
        let d = zip(finals[true]!, finals[false]!).map { $0 - $1 }
        let m = d.reduce(0, +) / Double(runs)
        let se = (d.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(runs - 1) / Double(runs)).squareRoot()
        print(String(format: "gradient bandit: with − without = %.1f ± %.1f points (SE)", 100 * m, 100 * se))
        XCTAssertGreaterThan(m, 4 * se, "the baseline's advantage is not significant: \(m) ± \(se)")
        XCTAssertGreaterThan(m, 0.15, "the baseline's advantage is small: \(m) ± \(se)")
        XCTAssertGreaterThan(window(curves[true]!, last), 70, "with the baseline, Figure 2.5 reaches about 80%")
        XCTAssertLessThan(window(curves[true]!, 0..<10), 20, "every run starts near 10% (uniform policy)")
    }

    /// The shipped slippery 4x4 FrozenLake.
    func frozenLake() throws -> Gridworld {
        let root = repositoryRoot
        return try Gridworld.load(path: root.appendingPathComponent("envs/FrozenLake-v1-4x4.txt").path)
    }
}
