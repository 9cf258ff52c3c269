@testable import PolicyGradient
import Synchronization
import XCTest

/// The pool runs every task exactly once per batch, for any task count and claim size, batch
/// after batch (workers that arrive late for one batch must not run a task of the next twice).
final class WorkerPoolTests: XCTestCase {
    func testEveryTaskRunsExactlyOncePerBatch() {
        let pool = WorkerPool.shared(width: 2)
        let counts = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: 200)
        for i in 0..<200 { (counts + i).initialize(to: Atomic(0)) }
        defer { counts.deallocate() }
        var expected = [Int](repeating: 0, count: 200)
        for round in 0..<3000 {
            let n = 1 + (round * 37) % 200
            pool.run(tasks: n) { i in counts[i].add(1, ordering: .relaxed) }
            for i in 0..<n { expected[i] += 1 }
        }
        for i in 0..<200 { XCTAssertEqual(counts[i].load(ordering: .relaxed), expected[i], "task \(i)") }
    }
}
