import Foundation
import Synchronization

/// A fixed set of worker threads for the rollout's chunks, which wait for the next batch by
/// spinning for about a millisecond before they sleep.
///
/// A batch of 1024 bandit samples takes about 25 µs; waking a parked thread (which is what
/// `DispatchQueue.concurrentPerform` does between batches) takes longer than that on a small
/// VM, so parallel batches would be slower than serial ones. Workers that are still spinning
/// pick a batch up within a microsecond. After ``spinLimit`` idle polls they park on a
/// semaphore and cost nothing. Which worker runs which chunk never affects the results:
/// chunks are reduced in chunk order.
final class WorkerPool: @unchecked Sendable {
    /// Threads including the caller.
    let width: Int
    private let generation = Atomic<Int>(0)
    private let pending = Atomic<Int>(0)
    private let slots: [Slot]
    private var job: ((Int) -> Void)?
    /// Held while a batch runs on the pool.
    private let busy = NSLock()
    /// Idle polls before a worker parks (about a millisecond); 0 when there are more
    /// threads than cores, where spinning would only take time from the threads with work.
    let spinLimit: Int

    private init(width: Int) {
        self.width = width
        spinLimit = width <= ProcessInfo.processInfo.activeProcessorCount ? 1_000_000 : 0
        slots = (0..<width).map { _ in Slot() }
        for w in 1..<width {
            let thread = Thread { [unowned self] in self.workerLoop(w) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// One worker's parking place.
    private final class Slot: @unchecked Sendable {
        let parked = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var pools: [Int: WorkerPool] = [:]

    /// The process-wide pool of `width` threads (the caller counts as one); created on first use.
    static func shared(width: Int) -> WorkerPool {
        lock.lock()
        defer { lock.unlock() }
        if let p = pools[width] { return p }
        let p = WorkerPool(width: width)
        pools[width] = p
        return p
    }

    /// Runs `body(w)` for w in 0..<width, w = 0 on the calling thread, and returns when all are done.
    /// If another thread is using the pool (two trainers stepping at once), the calling thread
    /// runs every `body(w)` itself: the same work, the same results.
    func run(_ body: (Int) -> Void) {
        guard busy.try() else {
            for w in 0..<width { body(w) }
            return
        }
        defer { busy.unlock() }
        withoutActuallyEscaping(body) { escapable in
            job = escapable
            pending.store(width - 1, ordering: .sequentiallyConsistent)
            generation.add(1, ordering: .sequentiallyConsistent)
            for w in 1..<width where slots[w].parked.load(ordering: .sequentiallyConsistent) { slots[w].wake.signal() }
            escapable(0)
            var polls = 0
            while pending.load(ordering: .acquiring) > 0 {
                polls += 1
                if polls > spinLimit { sched_yield() }
            }
            job = nil
        }
    }

    private func workerLoop(_ w: Int) {
        var seen = 0
        while true {
            var spins = 0
            var current = generation.load(ordering: .acquiring)
            while current == seen {
                spins += 1
                // Now and then let another runnable thread on this core (the caller) go first.
                if spins & 8191 == 0 { sched_yield() }
                if spins > spinLimit {
                    slots[w].parked.store(true, ordering: .sequentiallyConsistent)
                    if generation.load(ordering: .sequentiallyConsistent) == seen { slots[w].wake.wait() }
                    slots[w].parked.store(false, ordering: .sequentiallyConsistent)
                    spins = 0
                }
                current = generation.load(ordering: .acquiring)
            }
            seen = current
            job?(w)
            pending.subtract(1, ordering: .releasing)
        }
    }
}
