import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// The progress bar: named units, cost-weighted fractions and ETA (hand-computed), and costs
/// measured only when the bar is drawn.
final class ProgressTests: XCTestCase {
    private func terminal() -> (Output, TextSink) {
        let sink = TextSink()
        return (Output(out: { _ in }, err: { sink.text += $0 }, errIsTerminal: true), sink)
    }

    /// Two variants of 1600 seed-updates, the second 10 times as costly per update: after the
    /// first, 1600 / (1600 + 16000) = 1/11 of the work is done, and 3 s spent predict 30 s more.
    /// (Counting units alone said 50% and an ETA of 3 s: ten times too optimistic.)
    func testFractionAndETAAreWeightedByCost() {
        let (out, _) = terminal()
        let p = Progress(label: "compare", unit: "seed-updates", counts: [1600, 1600], output: out, enabled: true) { [1, 10] }
        XCTAssertEqual(p.fraction(1600), 1.0 / 11, accuracy: 1e-15)
        XCTAssertEqual(p.fraction(800), 0.5 / 11, accuracy: 1e-15)
        XCTAssertEqual(p.fraction(2400), (1600 + 8000) / 17600.0, accuracy: 1e-15)
        XCTAssertEqual(p.fraction(3200), 1)
        XCTAssertEqual(p.line(1600, elapsed: 3, partStarted: 3),
                       "compare [##----------------------------]   9% of the work, 1600/3200 seed-updates, ETA 30.0s")
        // Once the second part has run for a second, its own pace sets the ETA: 800 units in
        // 10 s, so the 800 left take 10 s (the measured costs are only relative).
        XCTAssertEqual(p.remaining(done: 2400, elapsed: 13, partStarted: 3), 10, accuracy: 1e-12)
        // Before that, the first part's pace: 3 s for 1600 units of cost 1; 1550 × 10 left.
        XCTAssertEqual(p.remaining(done: 1650, elapsed: 3.5, partStarted: 3), 1550 * 10 * 3 / 1600.0, accuracy: 1e-12)
        let even = Progress(total: 200, label: "train", unit: "updates", output: out, enabled: true)
        XCTAssertEqual(even.line(50, elapsed: 1), "train [#######-----------------------]  25%, 50/200 updates, ETA 3.0s")
    }

    func testDurations() {
        XCTAssertEqual(Progress.duration(8.44), "8.4s")
        XCTAssertEqual(Progress.duration(185), "3m05s")
        XCTAssertEqual(Progress.duration(8040), "2h14m")
        XCTAssertEqual(Progress.duration(.infinity), "?")
    }

    /// Costs are measured only for a bar that is drawn; a failed or nonsensical measurement
    /// falls back to equal costs.
    func testCostsAreMeasuredOnlyWhenDrawn() {
        let (out, sink) = terminal()
        let quiet = Output(out: { _ in }, err: { _ in }, errIsTerminal: false)
        var calls = 0
        _ = Progress(label: "x", unit: "u", counts: [1, 1], output: quiet, enabled: true) { calls += 1; return [1, 2] }
        _ = Progress(label: "x", unit: "u", counts: [1, 1], output: out, enabled: false) { calls += 1; return [1, 2] }
        XCTAssertEqual(calls, 0)
        let bad = Progress(label: "x", unit: "u", counts: [1, 1], output: out, enabled: true) { [1, -1] }
        XCTAssertEqual(bad.fraction(1), 0.5)
        bad.update(1)
        XCTAssertTrue(sink.text.contains(" 50%, 1/2 u, ETA "), sink.text)
    }

    /// The measured cost of a sweep's variant is positive and finite, through the kernel and
    /// through the trainer (the value itself is a timing and is not asserted).
    func testVariantCostIsMeasured() throws {
        var c = TrainingConfiguration()
        c.iterations = 10
        c.episodes = 1
        c.optimizer = .sgd
        let env = Bandit.tenArmedTestbed(seed: 1)
        for name in ["mean", "nvil"] {
            let v = SweepVariant(estimator: EstimatorSpec(name), configuration: c)
            let s = try SeedSweep.secondsPerUpdate(v, seed: 1, environment: { _ in env }, updates: 3)
            XCTAssertTrue(s > 0 && s.isFinite, "\(name): \(s)")
        }
    }
}
