@testable import PolicyGradient
import XCTest

/// The serial/parallel choice of the rollout, against simulated batch times.
final class ParallelChoiceTests: XCTestCase {
    /// Runs `n` batches: serial ones take `serial` ns, parallel ones `parallel`, except the first
    /// parallel batch after a serial one, which pays `wake` to wake the workers.
    /// - Returns: the fraction of batches run in parallel.
    func fractionParallel(serial: Double, parallel: Double, wake: Double, n: Int = 3200) -> Double {
        var choice = ParallelChoice()
        var previous = false, count = 0
        for _ in 0..<n {
            let p = choice.nextIsParallel()
            let t = p ? parallel + (previous ? 0 : wake) : serial
            choice.record(nanoseconds: t, parallel: p)
            if p { count += 1 }
            previous = p
        }
        return Double(count) / Double(n)
    }

    /// Two threads that are faster are used, even though waking them makes the first parallel
    /// batch slow (a choice that measured that batch would stay serial forever).
    func testTheFasterParallelModeWinsDespiteTheWakeUp() {
        XCTAssertGreaterThan(fractionParallel(serial: 100, parallel: 55, wake: 400), 0.85)
    }

    /// When the other core is busy, parallel batches are slower: the serial mode is used, and
    /// the probes cost at most an eighth of the batches.
    func testTheSlowerParallelModeIsOnlyProbed() {
        XCTAssertLessThanOrEqual(fractionParallel(serial: 100, parallel: 180, wake: 400), 0.13)
    }

    /// A mode that keeps losing is probed ever more rarely: over 3200 batches its probes take
    /// under 3% of them (every 32 batches, they took an eighth).
    func testProbesOfALosingModeBecomeRare() {
        XCTAssertLessThanOrEqual(fractionParallel(serial: 100, parallel: 180, wake: 400), 0.03)
        XCTAssertGreaterThan(fractionParallel(serial: 100, parallel: 55, wake: 400), 0.97)
    }

    /// A change of load is noticed: parallel good, then bad, then good again.
    func testAChangeOfLoadIsFollowed() {
        var choice = ParallelChoice()
        var previous = false
        func run(_ parallelTime: Double, _ n: Int) -> Double {
            var count = 0
            for _ in 0..<n {
                let p = choice.nextIsParallel()
                choice.record(nanoseconds: p ? parallelTime + (previous ? 0 : 400) : 100, parallel: p)
                previous = p
                if p { count += 1 }
            }
            return Double(count) / Double(n)
        }
        XCTAssertGreaterThan(run(55, 640), 0.8)
        XCTAssertLessThan(run(200, 640), 0.2)
        XCTAssertGreaterThan(run(55, 640), 0.8)
    }
}
