@testable import PolicyGradient
import XCTest

/// ``BanditLockstep`` runs the gradient bandit's seeds in SIMD lanes (two at a time, or one); a
/// sweep with it gives exactly (bit for bit) the curves, finals and threshold hits of the same
/// sweep through ``Trainer/step()``, for every baseline and convention it takes, and it is not
/// taken for a trainer of another shape.
final class BanditLockstepTests: XCTestCase {
    func variant(_ name: String, settings: [String: SettingValue] = [:], lr: Schedule = Schedule(initial: 0.1),
                 episodes: Int = 1, optimizer: OptimizerKind = .sgd, iterations: Int = 300) throws -> SweepVariant {
        var c = TrainingConfiguration()
        c.iterations = iterations
        c.episodes = episodes
        c.optimizer = optimizer
        c.learningRate = lr
        c.threads = 1
        return SweepVariant(estimator: EstimatorSpec(name, settings: try estimatorSettings(name, settings)), configuration: c)
    }

    func assertSame(_ v: SweepVariant, environment: @escaping @Sendable (UInt64) throws -> any Environment, threshold: Double? = nil,
                    file: StaticString = #filePath, line: UInt = #line) throws {
        let seeds: [UInt64] = [1, 2, 3, 17, 1000]
        let fast = try SeedSweep.run(v, seeds: seeds, threads: 2, threshold: threshold, environment: environment)
        let slow = try SeedSweep.run(v, seeds: seeds, threads: 2, threshold: threshold, usesKernels: false, environment: environment)
        XCTAssertEqual(fast.curves, slow.curves, "curves", file: file, line: line)
        XCTAssertEqual(fast.finals.map(\.bitPattern), slow.finals.map(\.bitPattern), "finals", file: file, line: line)
        XCTAssertEqual(fast.iterationsToThreshold, slow.iterationsToThreshold, "hits", file: file, line: line)
        XCTAssertEqual(fast.seeds, slow.seeds, file: file, line: line)
        for metric in CurveAccumulator.metrics {
            XCTAssertEqual(fast.curves.summaries(metric).map(\.mean.bitPattern), slow.curves.summaries(metric).map(\.mean.bitPattern),
                           metric, file: file, line: line)
        }
        // All five seeds in one chunk, as a large sweep's chunks hold them: two lockstep pairs
        // (BanditLockstep<SIMD2<Double>>) and a lone seed (BanditLockstep<Double>).
        let counter = ProgressCounter(report: nil)
        let pairs = try SeedSweep.runChunk(v, seeds: seeds, threshold: threshold, measure: false, kernels: true,
                                           environment: environment, counter: counter)
        let plain = try SeedSweep.runChunk(v, seeds: seeds, threshold: threshold, measure: false, kernels: false,
                                           environment: environment, counter: counter)
        XCTAssertEqual(pairs.curves, plain.curves, "curves in lockstep", file: file, line: line)
        for metric in CurveAccumulator.metrics {
            XCTAssertEqual(pairs.curves.summaries(metric).map(\.mean.bitPattern), plain.curves.summaries(metric).map(\.mean.bitPattern),
                           "\(metric) in lockstep", file: file, line: line)
        }
        XCTAssertEqual(pairs.finals.map(\.bitPattern), plain.finals.map(\.bitPattern), "finals in lockstep", file: file, line: line)
        XCTAssertEqual(pairs.hits, plain.hits, "hits in lockstep", file: file, line: line)
        XCTAssertEqual(pairs.seeds, seeds, file: file, line: line)
    }

    func testFigureTwoFiveShapesGiveTheGeneralPathsNumbers() throws {
        let testbed: @Sendable (UInt64) throws -> any Environment = { Bandit.tenArmedTestbed(seed: $0, mean: 4) }
        for lr in [0.1, 0.4] {
            try assertSame(try variant("none", lr: Schedule(initial: lr)), environment: testbed)
            for convention in RunningMeanBaseline.Convention.allCases {
                try assertSame(try variant("mean", settings: ["convention": .text(convention.rawValue)], lr: Schedule(initial: lr)),
                               environment: testbed, threshold: 5)
            }
        }
        // A decaying learning rate, a Bernoulli bandit, and a threshold that is reached.
        try assertSame(try variant("mean", lr: Schedule(initial: 0.5, minimum: 0.05, rate: 0.01)),
                       environment: { _ in Bandit.bernoulli([0.2, 0.4, 0.5, 0.6, 0.8]) }, threshold: 0.6)
    }

    func testTheKernelIsTakenOnlyForItsShape() throws {
        let env = Bandit.tenArmedTestbed(seed: 1, mean: 4)
        func kernel(_ v: SweepVariant, _ e: any Environment = env) throws -> BanditSeed? {
            let s = try v.makeSession(environment: e, seed: 1)
            return try XCTUnwrap(s as? ErasedSession).makeKernel()
        }
        XCTAssertNotNil(try kernel(try variant("none")))
        XCTAssertNotNil(try kernel(try variant("mean")))
        XCTAssertNil(try kernel(try variant("ema")))
        XCTAssertNil(try kernel(try variant("mean", optimizer: .adam)))
        XCTAssertNil(try kernel(try variant("mean", episodes: 2)))
        XCTAssertNil(try kernel(try variant("none"), Toy(binaryTarget: 0.45)))
        var measured = try variant("mean").makeSession(environment: env, seed: 1)
        measured.measuresGradientError = true
        XCTAssertNil(try XCTUnwrap(measured as? ErasedSession).makeKernel())
    }

    /// A sweep stopped part-way by ``Cancellation`` keeps the seeds that completed, as without the kernel.
    func testACancelledKernelSweepKeepsTheCompletedSeeds() throws {
        defer { Cancellation.reset() }
        let v = try variant("mean", iterations: 200)
        let env: @Sendable (UInt64) throws -> any Environment = { Bandit.tenArmedTestbed(seed: $0, mean: 4) }
        let stopped = try SeedSweep.run(v, seeds: Array(1...10), threads: 1, environment: env, progress: { done in
            if done >= 400 { Cancellation.request() }
        })
        Cancellation.reset()
        XCTAssertTrue(stopped.interrupted)
        XCTAssertEqual(stopped.seeds, [1, 2])
        let alone = try SeedSweep.run(v, seeds: [1, 2], threads: 1, usesKernels: false, environment: env)
        XCTAssertEqual(stopped.curves, alone.curves)
        XCTAssertEqual(stopped.finals, alone.finals)
    }

    /// The one-step trace (the bandit kernel's, in one pass over a seed's values) equals, bit for
    /// bit, the recorder's fed the same levels update by update: with unmeasured (NaN) and
    /// infinite levels scattered, in runs of every length, and with none at all.
    func testOneStepTraceEqualsRecorder() {
        let n = CurveAccumulator.metrics.count
        var state: UInt64 = 12345
        for iterations in [1, 2, 3, 7, 64, 65, 130, 1000] {
            for missing in [0.0, 0.05, 0.5, 1.0] {
                var values = CurveAccumulator.SeedValues(iterations: iterations)
                values.withUnsafeMutableValues { v in
                    for i in v.indices {
                        state = state &* 6364136223846793005 &+ 1442695040888963407
                        let u = Double(state >> 11) / 9007199254740992
                        v[i] = u < missing ? (u < missing / 4 ? .infinity : .nan) : 10 * u - 3
                    }
                }
                for exact in [false, true] {
                    var r = SeedTrace.Recorder(iterations: iterations)
                    for k in 0..<iterations {
                        r.record(iteration: k, level: values.values[k * n + (exact ? 1 : 0)], episodes: 3, steps: 3)
                    }
                    let want = r.finish()
                    let got = SeedTrace.oneStep(values, iterations: iterations, episodes: 3, exact: exact)
                    let label = "\(iterations) updates, \(missing) missing, exact \(exact)"
                    XCTAssertEqual(got.level.map(\.bitPattern), want.level.map(\.bitPattern), label)
                    XCTAssertEqual(got.episodes, want.episodes, label)
                    XCTAssertEqual(got.steps, want.steps, label)
                    XCTAssertEqual(got.area.bitPattern, want.area.bitPattern, label)
                }
            }
        }
    }
}
