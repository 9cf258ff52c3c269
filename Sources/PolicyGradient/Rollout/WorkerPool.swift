import Foundation
import Synchronization

/// A fixed set of worker threads that help the calling thread through a batch's chunks.
///
/// Tasks are claimed one at a time from an atomic counter, by the caller and by whichever
/// workers are awake: the caller never waits for a worker to start, only for a task a worker
/// has already claimed to finish. A worker that is asleep, or not scheduled because the other
/// core is busy, simply claims nothing. Between batches a worker spins for at most
/// ``spinLimit`` polls (about 50 µs) and then sleeps on a semaphore, so nothing spins without
/// bound. Which thread runs which task never affects the results: tasks write their own
/// storage, reduced by the caller in task order.
final class WorkerPool: @unchecked Sendable {
    /// Threads including the caller.
    let width: Int
    /// Idle polls before a worker sleeps (about 50 µs; 0 when there are more threads than cores).
    let spinLimit: Int
    private let generation = Atomic<Int>(0)
    /// The claims of the current batch: its generation (high 32 bits), its task count (16 bits)
    /// and the next task index (low 16 bits), in one word, so that a claim always knows which
    /// batch it belongs to and how many tasks that batch has.
    private let claims = Atomic<UInt64>(0)
    private let done = Atomic<Int>(0)
    private let sleeping = Atomic<Int>(0)
    private let wake = DispatchSemaphore(value: 0)
    private var job: ((Int) -> Void)?
    /// Held while a batch runs on the pool.
    private let busy = NSLock()

    private init(width: Int) {
        self.width = width
        spinLimit = width <= ProcessInfo.processInfo.activeProcessorCount ? 20_000 : 0
        for _ in 1..<width {
            let thread = Thread { [unowned self] in self.workerLoop() }
            thread.stackSize = 1 << 20
            thread.start()
        }
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

    /// Runs `body(i)` for every i in 0..<tasks, on the calling thread and any awake workers, and
    /// returns when all are done. If another thread is using the pool (two trainers stepping at
    /// once), the calling thread runs every task itself: the same work, the same results.
    func run(tasks n: Int, _ body: (Int) -> Void) {
        guard n > 1, n < 1 << 15, busy.try() else {
            for i in 0..<n { body(i) }
            return
        }
        defer { busy.unlock() }
        withoutActuallyEscaping(body) { escapable in
            job = escapable
            done.store(0, ordering: .relaxed)
            let g = generation.load(ordering: .relaxed) &+ 1
            claims.store(UInt64(truncatingIfNeeded: g) << 32 | UInt64(n) << 16, ordering: .sequentiallyConsistent)
            generation.store(g, ordering: .sequentiallyConsistent)
            let asleep = sleeping.load(ordering: .sequentiallyConsistent)
            for _ in 0..<min(asleep, n - 1) { wake.signal() }
            var finished = 0
            while true {
                let i = Int(claims.add(1, ordering: .acquiringAndReleasing).oldValue & 0xFFFF)
                if i >= n { break }
                escapable(i)
                finished += 1
            }
            if finished < n {
                done.add(finished, ordering: .releasing)
                var polls = 0
                while done.load(ordering: .acquiring) < n {
                    polls += 1
                    if polls & 255 == 0 { sched_yield() }
                }
            }
            job = nil
        }
    }

    private func workerLoop() {
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins > spinLimit {
                    sleeping.add(1, ordering: .sequentiallyConsistent)
                    if generation.load(ordering: .sequentiallyConsistent) == seen { wake.wait() }
                    sleeping.subtract(1, ordering: .sequentiallyConsistent)
                    spins = 0
                }
            }
            seen = generation.load(ordering: .acquiring)
            while true {
                let claim = claims.add(1, ordering: .acquiringAndReleasing).oldValue
                let i = Int(claim & 0xFFFF), n = Int((claim >> 16) & 0xFFFF)
                // A claim below its batch's task count belongs to a batch that cannot end before
                // this task reports done, so `job` is that batch's.
                if i >= n { break }
                job?(i)
                done.add(1, ordering: .releasing)
            }
        }
    }
}
