import Foundation
@testable import PolicyGradient
import XCTest

/// An estimator that forwards everything to `X` but declines the engine's lean one-step loop,
/// so that the same run can be made through the general path and compared with the lean one.
struct GeneralPath<X: GradientEstimator>: GradientEstimator {
    typealias Scratch = X.Scratch
    var inner: X
    static var sampling: ActionSampling { X.sampling }
    var samplesPerContext: Int { inner.samplesPerContext }
    func recordWidth(actionCount: Int) -> Int { inner.recordWidth(actionCount: actionCount) }
    func auxiliaryCount(stateCount: Int, actionCount: Int) -> Int { inner.auxiliaryCount(stateCount: stateCount, actionCount: actionCount) }
    var statistics: BatchStatistics { inner.statistics }
    func makeScratch(actionCount: Int, featureCount: Int) -> X.Scratch { inner.makeScratch(actionCount: actionCount, featureCount: featureCount) }
    mutating func prepare(iteration: Int, table: PolicyTable) { inner.prepare(iteration: iteration, table: table) }
    func drawAction(state: Int, policy: PolicyView, record: UnsafeMutableBufferPointer<Double>, scratch: inout X.Scratch,
                    using rng: inout RandomStream) -> Int {
        inner.drawAction(state: state, policy: policy, record: record, scratch: &scratch, using: &rng)
    }
    func accumulate(_ group: EpisodeGroup, scratch: inout X.Scratch, into out: LogitCotangents) {
        inner.accumulate(group, scratch: &scratch, into: out)
    }
    mutating func finalize(_ batch: inout BatchAccumulator, table: PolicyTable, normalised: Bool) {
        inner.finalize(&batch, table: table, normalised: normalised)
    }
    func gradientScale(normalised: Bool) -> Double { inner.gradientScale(normalised: normalised) }
    mutating func update(after batch: BatchAccumulator, table: PolicyTable) { inner.update(after: batch, table: table) }
    var logFields: [String] { inner.logFields }
    func logValues(of batch: BatchAccumulator) -> EstimatorValues { inner.logValues(of: batch) }
    var needsWarmUp: Bool { inner.needsWarmUp }
    func oneStepBaseline() -> Double? { nil }
}

/// The engine's lean loop for one-step batches gives the general path's numbers bit for bit.
final class LeanPathTests: XCTestCase {
    private func records<E: Environment, X: GradientEstimator>(_ env: E, _ x: X, batch: Int, threads: Int,
                                                              optimizer: OptimizerKind, updates: Int) throws -> [IterationRecord] {
        var c = TrainingConfiguration()
        c.episodes = batch
        c.threads = threads
        c.optimizer = optimizer
        c.learningRate = Schedule(initial: 0.2)
        c.seed = 99
        var t = try Trainer(environment: env, policy: TabularPolicy(stateCount: 1, actionCount: env.actionCount),
                            configuration: c, estimator: x)
        var out: [IterationRecord] = []
        for _ in 0..<updates { out.append(try t.step()) }
        return out
    }

    private func check<E: Environment, X: GradientEstimator>(_ env: E, _ x: X, _ what: String,
                                                            file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertNotNil(x.oneStepBaseline(), "\(what) should take the lean path", file: file, line: line)
        for batch in [1, 7, 100] {
            for (threads, optimizer) in [(1, OptimizerKind.sgd), (2, .adam)] {
                let lean = try records(env, x, batch: batch, threads: threads, optimizer: optimizer, updates: 12)
                let general = try records(env, GeneralPath(inner: x), batch: batch, threads: threads, optimizer: optimizer, updates: 12)
                XCTAssertEqual(lean, general, "\(what), batch \(batch), \(threads) threads, \(optimizer)", file: file, line: line)
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

    func testEstimatorsWithoutAScalarBaselineKeepTheGeneralPath() {
        XCTAssertNil(Reinforce(baseline: LeaveOneOutBaseline(samples: 4)).oneStepBaseline())
        XCTAssertNil(Reinforce(baseline: NVILBaseline(features: StateFeatures.oneHot(stateCount: 1), decay: 0.9,
                                                      learningRate: 0.1)).oneStepBaseline())
    }
}
