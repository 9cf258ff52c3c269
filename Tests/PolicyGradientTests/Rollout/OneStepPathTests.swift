import Foundation
@testable import PolicyGradient
import XCTest

/// A sampler that draws as `S` does but through ``GroupSampler/draw(_:)``, so that the engine
/// takes its general group loop.
struct Forwarding<S: GroupSampler>: GroupSampler {
    var inner: S
    var identity: String { inner.identity }
    static func recordWidth(actionCount: Int) -> Int { S.recordWidth(actionCount: actionCount) }
    func draw(_ step: inout GroupStep) { inner.draw(&step) }
}

/// An estimator that forwards everything to `X` but samples through ``Forwarding``, so that the
/// same run can be made through the general path and compared with the engine's faster ones.
struct GeneralPath<X: GradientEstimator>: GradientEstimator {
    typealias Scratch = X.Scratch
    var inner: X
    var sampler: Forwarding<X.Sampler> { Forwarding(inner: inner.sampler) }
    var groupSize: Int { inner.groupSize }
    func auxiliaryCount(stateCount: Int, actionCount: Int) -> Int { inner.auxiliaryCount(stateCount: stateCount, actionCount: actionCount) }
    var statistics: BatchStatistics { inner.statistics }
    func makeScratch(actionCount: Int, featureCount: Int) -> X.Scratch { inner.makeScratch(actionCount: actionCount, featureCount: featureCount) }
    mutating func prepare(iteration: Int, table: PolicyTable) { inner.prepare(iteration: iteration, table: table) }
    func accumulate(_ group: EpisodeGroup, scratch: inout X.Scratch, into out: inout LogitCotangents) {
        inner.accumulate(group, scratch: &scratch, into: &out)
    }
    mutating func finalize(_ batch: inout BatchAccumulator, table: PolicyTable, normalised: Bool) {
        inner.finalize(&batch, table: table, normalised: normalised)
    }
    func gradientScale(normalised: Bool) -> Double { inner.gradientScale(normalised: normalised) }
    mutating func update(after batch: BatchAccumulator, table: PolicyTable) { inner.update(after: batch, table: table) }
    var logFields: [String] { inner.logFields }
    func logValues(of batch: BatchAccumulator) -> EstimatorValues { inner.logValues(of: batch) }
    var needsWarmUp: Bool { inner.needsWarmUp }
}

/// The engine's one-step pass (bandits: one step from the only state) and its one-episode loop
/// give the general group loop's numbers bit for bit, whatever the estimator's sampler.
final class OneStepPathTests: XCTestCase {
    private func records<E: Environment, X: GradientEstimator>(_ env: E, _ x: X, batch: Int, threads: Int,
                                                              optimizer: OptimizerKind, updates: Int) throws -> [IterationRecord] {
        var c = TrainingConfiguration()
        c.episodes = batch
        c.threads = threads
        c.optimizer = optimizer
        c.learningRate = Schedule(initial: 0.2)
        c.seed = 99
        var t = try Trainer(environment: env, policy: TabularPolicy(stateCount: env.stateCount, actionCount: env.actionCount),
                            configuration: c, estimator: AnyEstimator(x))
        var out: [IterationRecord] = []
        for _ in 0..<updates { out.append(try t.step()) }
        return out
    }

    private func check<E: Environment, X: GradientEstimator>(_ env: E, _ x: X, _ what: String,
                                                            file: StaticString = #filePath, line: UInt = #line) throws {
        for batch in [1, 7, 100] {
            for (threads, optimizer) in [(1, OptimizerKind.sgd), (2, .adam)] {
                let fast = try records(env, x, batch: batch, threads: threads, optimizer: optimizer, updates: 12)
                let general = try records(env, GeneralPath(inner: x), batch: batch, threads: threads, optimizer: optimizer, updates: 12)
                XCTAssertEqual(fast, general, "\(what), batch \(batch), \(threads) threads, \(optimizer)", file: file, line: line)
            }
        }
    }

    func testReinforceWithEveryScalarBaselineMatchesTheGeneralPath() throws {
        let bandit = Bandit.tenArmedTestbed(seed: 3, mean: 4)
        try check(bandit, Reinforce(baseline: NoBaseline()), "none")
        try check(bandit, Reinforce(baseline: ExponentialMovingAverage(decay: 0.9)), "ema")
        for convention in RunningMeanBaseline.Convention.allCases {
            try check(bandit, Reinforce(baseline: RunningMeanBaseline(convention: convention)), "mean \(convention)")
        }
        try check(Bandit.bernoulli([0.2, 0.7, 0.5]), Reinforce(baseline: ExponentialMovingAverage(decay: 0.5)), "bernoulli ema")
        try check(Toy(targets: [0.1, 0.5, 0.4]), Reinforce(baseline: NoBaseline()), "toy none")
    }

    func testGumbelMaxEstimatorsMatchTheGeneralPath() throws {
        let toy = Toy(targets: [0.1, 0.5, 0.4])
        let context = try EstimatorContext(environment: toy, configuration: TrainingConfiguration())
        try check(toy, GumbelSoftmaxEstimator(mode: .straightThrough, temperature: Schedule(initial: 0.5),
                                              reward: RelaxedReward(context: context, settings: SettingValues())), "toy st-gumbel")
    }

    func testMultiStepEpisodesMatchTheGeneralPath() throws {
        let lake = try EnvironmentRegistry.make("FrozenLake-v1", options: EnvironmentOptions())
        guard let grid = lake as? Gridworld else { return XCTFail("FrozenLake-v1 is a gridworld") }
        try check(grid, Reinforce(baseline: ExponentialMovingAverage(decay: 0.9)), "FrozenLake ema")
    }
}
