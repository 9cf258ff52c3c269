import Foundation
@testable import PolicyGradient
import XCTest

/// Hand-computed fixtures for the score-function arithmetic and every REINFORCE baseline
/// (Estimators.md): Williams 1992; Mnih & Gregor 2014 (NVIL); Mnih & Rezende 2016 and
/// Kool et al. 2019 (leave-one-out); Sutton & Barto 2018 §2.8 (the running mean R̄).
final class BaselineTests: XCTestCase {
    // MARK: Score function

    func testScoreCoefficientAndLogitCotangentByHand() {
        XCTAssertEqual(ScoreFunction.coefficient(returnToGo: 3, baseline: 1, weight: 0.25), 0.5)
        XCTAssertEqual(ScoreFunction.coefficient(returnToGo: -1, baseline: 1, weight: 0.5), -1)
        var out = [Double](repeating: 0, count: 3)
        let p = [0.2, 0.3, 0.5]
        var span = out.mutableSpan
        ScoreFunction.logitCotangent(action: 1, coefficient: 2, probabilities: p.span, into: &span)
        // 2 · (e₁ − π) = (−0.4, 1.4, −1.0).
        XCTAssertEqual(out[0], -0.4, accuracy: 1e-15)
        XCTAssertEqual(out[1], 1.4, accuracy: 1e-15)
        XCTAssertEqual(out[2], -1.0, accuracy: 1e-15)
    }

    // MARK: Exponential moving average

    func testExponentialAverageByHand() {
        var b = ExponentialMovingAverage(decay: 0.9)
        XCTAssertEqual(b.value, 0)
        b.update(sum: 5, count: 0)  // an empty batch changes nothing
        XCTAssertEqual(b.value, 0)
        XCTAssertEqual(b.count, 0)
        b.update(sum: 4, count: 2)  // first batch: its mean, 2
        XCTAssertEqual(b.value, 2, accuracy: 1e-15)
        b.update(sum: 12, count: 3)  // 0.9 · 2 + 0.1 · 4 = 2.2
        XCTAssertEqual(b.value, 2.2, accuracy: 1e-15)
        b.update(sum: -1, count: 1)  // 0.9 · 2.2 + 0.1 · (−1) = 1.88
        XCTAssertEqual(b.value, 1.88, accuracy: 1e-15)
        XCTAssertEqual(b.count, 6)
        var zero = ExponentialMovingAverage(decay: 0)
        zero.update(sum: 3, count: 1)
        zero.update(sum: 7, count: 1)
        XCTAssertEqual(zero.value, 7, "decay 0 keeps only the last batch")
    }

    // MARK: Running mean and its conventions

    func testRunningMeanByHand() {
        var b = RunningMeanBaseline(convention: .zeroStart)
        b.update(sum: 4, count: 2)  // 4 / 2
        XCTAssertEqual(b.mean, 2, accuracy: 1e-15)
        b.update(sum: 12, count: 3)  // 16 / 5
        XCTAssertEqual(b.mean, 3.2, accuracy: 1e-15)
        b.update(sum: 0, count: 0)
        XCTAssertEqual(b.mean, 3.2, accuracy: 1e-15)
        b.update(sum: -6, count: 3)  // 10 / 8
        XCTAssertEqual(b.mean, 1.25, accuracy: 1e-15)
        XCTAssertEqual(b.count, 8)
        XCTAssertEqual(RunningMeanBaseline.updatedMean(2, count: 2, sum: 12, n: 3), 3.2, accuracy: 1e-15)
        // Sutton & Barto's R̄ over many rewards one at a time: the plain mean.
        var r = RandomStream(seed: 1)
        var m = RunningMeanBaseline(convention: .zeroStart)
        var sum = 0.0
        for _ in 0..<1000 {
            let x = r.nextGaussian(mean: 4, standardDeviation: 1)
            sum += x
            m.update(sum: x, count: 1)
        }
        XCTAssertEqual(m.mean, sum / 1000, accuracy: 1e-12)
    }

    /// The baseline each convention uses on the two-step sequence R₁ = 1, R₂ = 3 (one step per batch):
    /// book-code (R̄ includes the current reward): b₁ = 1, b₂ = (1 + 3)/2 = 2;
    /// book-text (eq. 2.12, R̄₁ = R₁, then the current reward excluded): b₁ = 1, b₂ = 1;
    /// zero-start: b₁ = 0, b₂ = 1.
    func testRunningMeanConventionsOnTwoSteps() {
        let expected: [(RunningMeanBaseline.Convention, Double, Double)] = [(.bookCode, 1, 2), (.bookText, 1, 1), (.zeroStart, 0, 1)]
        for (convention, b1, b2) in expected {
            var b = RunningMeanBaseline(convention: convention)
            var first = BatchAccumulator(stateCount: 1, actionCount: 2)
            first.steps = 1
            first.returnSum = [1, 0]
            XCTAssertEqual(used(b, first), b1, "\(convention) b1")
            b.update(after: first, table: PolicyTable(stateCount: 1, actionCount: 2))
            var second = BatchAccumulator(stateCount: 1, actionCount: 2)
            second.steps = 1
            second.returnSum = [0, 3]
            XCTAssertEqual(used(b, second), b2, "\(convention) b2")
        }
    }

    /// The baseline a batch is given: the per-step value plus the batch constant.
    func used(_ b: RunningMeanBaseline, _ batch: BatchAccumulator) -> Double {
        b.batchConstant(of: batch) ?? (b.convention == .bookCode ? 0 : b.mean)
    }

    /// The same two steps through a training session: a 2-armed bandit with constant rewards 1
    /// (arm 0) and 3 (arm 1), batch 1, SGD with α = 1 from the uniform policy. Each update moves
    /// the preferences by α (R − b)(e_a − π), with the arm read off the reward.
    func testRunningMeanConventionsMoveThePreferencesAsTheBookSays() throws {
        let env = Bandit(id: "two", arms: [.constant(1), .constant(3)])
        for convention in RunningMeanBaseline.Convention.allCases {
            for seed: UInt64 in 1...4 {
                var session = try makeSession("mean", environment: env, policy: TabularPolicy(stateCount: 1, actionCount: 2),
                                              settings: ["convention": .text(convention.rawValue)], seed: seed) { c in
                    c.optimizer = .sgd
                    c.learningRate = Schedule(initial: 1)
                }
                var theta = [0.0, 0.0], rewards: [Double] = []
                for _ in 0..<2 {
                    let pi = softmax(theta)
                    let r = try session.step()
                    rewards.append(r.meanReturn)
                    let a = r.meanReturn == 1 ? 0 : 1
                    let b: Double
                    switch convention {
                    case .bookCode: b = rewards.reduce(0, +) / Double(rewards.count)
                    case .bookText: b = rewards.count == 1 ? rewards[0] : rewards[0]
                    case .zeroStart: b = rewards.count == 1 ? 0 : rewards[0]
                    }
                    for k in 0..<2 { theta[k] += (r.meanReturn - b) * ((k == a ? 1 : 0) - pi[k]) }
                    XCTAssertEqual(session.policy.parameters[0], theta[0], accuracy: 1e-12, "\(convention), seed \(seed)")
                    XCTAssertEqual(session.policy.parameters[1], theta[1], accuracy: 1e-12, "\(convention), seed \(seed)")
                }
            }
        }
    }

    func softmax(_ z: [Double]) -> [Double] {
        let m = z.max()!, e = z.map { exp($0 - m) }, s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    // MARK: Leave-one-out

    func testLeaveOneOutMeanByHand() {
        let x = [1.0, 2, 6, -3]
        XCTAssertEqual(LeaveOneOutBaseline.leaveOneOutMean(count: 4, excluding: 0) { x[$0] }, 5.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(LeaveOneOutBaseline.leaveOneOutMean(count: 4, excluding: 2) { x[$0] }, 0, accuracy: 1e-15)
        XCTAssertEqual(LeaveOneOutBaseline.leaveOneOutMean(count: 2, excluding: 1) { x[$0] }, 1)
    }

    // MARK: NVIL

    /// Two states, one-hot features, decay ½, ψ step ½.
    ///
    /// Batch 1: G = 1, 3 in s0 and 3 in s1; b̄ = 0, ψ = 0. Residuals r = G: Σr = 7, Σr² = 19, n = 3,
    /// σ̂² = 19/3 − (7/3)² = 8/9; ψ += ½ (4, 3)/3 = (2/3, 1/2); b̄ = 7/3.
    /// Batch 2: G = 2 in s0 and 5 in s1; shifts b̄ + c = (3, 17/6), r = (−1, 13/6), mean 7/12, batch
    /// variance 361/144; σ̂² = ½ · 8/9 + ½ · 361/144 = 489/288; ψ = (2/3 − 1/4, 1/2 + 13/24) = (5/12, 25/24);
    /// b̄ = ½ · 7/3 + ½ · 7/2 = 35/12.
    func testNVILUpdateByHand() {
        var b = NVILBaseline(features: .oneHot(stateCount: 2), decay: 0.5, learningRate: 0.5)
        XCTAssertEqual(b.weights, [0, 0])
        XCTAssertEqual(b.variance, 0)
        XCTAssertEqual(b.scale, 1)
        b.update(visits: [2, 1], returnSum: [4, 3], returnSquareSum: [10, 9])
        XCTAssertEqual(b.variance, 8.0 / 9, accuracy: 1e-14)
        XCTAssertEqual(b.weights[0], 2.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(b.weights[1], 0.5, accuracy: 1e-15)
        XCTAssertEqual(b.center.value, 7.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(b.scale, 1, "σ̂ < 1: no normalisation")
        b.update(visits: [1, 1], returnSum: [2, 5], returnSquareSum: [4, 25])
        XCTAssertEqual(b.variance, 489.0 / 288, accuracy: 1e-14)
        XCTAssertEqual(b.weights[0], 5.0 / 12, accuracy: 1e-15)
        XCTAssertEqual(b.weights[1], 25.0 / 24, accuracy: 1e-15)
        XCTAssertEqual(b.center.value, 35.0 / 12, accuracy: 1e-14)
        XCTAssertEqual(b.scale, (288.0 / 489).squareRoot(), accuracy: 1e-15)
        let c = b.stateValues()
        XCTAssertEqual(c[0], 5.0 / 12, accuracy: 1e-15)
        XCTAssertEqual(c[1], 25.0 / 24, accuracy: 1e-15)
        // An empty batch changes nothing.
        let before = b
        b.update(visits: [0, 0], returnSum: [0, 0], returnSquareSum: [0, 0])
        XCTAssertEqual(b, before)
    }

    /// With dense features c_ψ(s) = ψ · x(s), and ψ descends the mean squared residual.
    func testNVILDenseFeaturesDescendTheSquaredResidual() {
        let x: [Double] = [1, 2, -1, 0.5]  // x(s0) = (1, 2), x(s1) = (−1, 0.5)
        var b = NVILBaseline(features: StateFeatures(dense: x, stateCount: 2, count: 2), decay: 0.9, learningRate: 0.1)
        // Batch 1 sets b̄ = 1 (ψ stays at its gradient step from zero residual centre).
        b.update(visits: [1, 1], returnSum: [1, 1], returnSquareSum: [1, 1])
        // ψ₁ = 0.1 · (1·(1, 2) + 1·(−1, 0.5)) / 2 = (0, 0.125).
        XCTAssertEqual(b.weights[0], 0, accuracy: 1e-15)
        XCTAssertEqual(b.weights[1], 0.125, accuracy: 1e-15)
        XCTAssertEqual(b.center.value, 1, accuracy: 1e-15)
        XCTAssertEqual(b.variance, 0, accuracy: 1e-15)
        let c = b.stateValues()
        XCTAssertEqual(c[0], 0.25, accuracy: 1e-15)
        XCTAssertEqual(c[1], 0.0625, accuracy: 1e-15)
        // Repeating the same data drives the residual G − b̄ − c(s) towards 0 in every state.
        for _ in 0..<3000 {
            b.update(visits: [2, 2], returnSum: [6, -2], returnSquareSum: [18, 2])
        }
        let fit = b.stateValues()
        XCTAssertEqual(b.center.value + fit[0], 3, accuracy: 1e-6)
        XCTAssertEqual(b.center.value + fit[1], -1, accuracy: 1e-6)
        XCTAssertEqual(b.variance, 0, accuracy: 1e-6)
    }
}
