import Synchronization

/// A process-wide request to stop long work early: set by whoever decides the process should
/// stop (pg's command line sets it from its SIGINT/SIGTERM handler; the library has no signal
/// code), polled by long loops, which then finish or abandon the unit they are on, write what
/// is complete, and return.
///
/// **How often to poll.** Often enough that a request is honoured within a fraction of a
/// second: at least every ~10 ms of work — once per update, per chunk of episodes, per critic
/// step, per seed of a sweep — and never only between units that can take seconds. A poll is
/// one load of a word, so polling per inner iteration costs nothing measurable.
///
/// The flag is one atomic 32-bit word (`Synchronization.Atomic`, lock-free), written by a signal handler (``request()`` is
/// async-signal-safe: one store, no allocation, no lock) or any thread, and read by every
/// thread; a reader may see a request one poll late, and the flag orders no other memory.
/// It stays set until ``reset()``.
public enum Cancellation {
    /// 0, or 1 once a stop was requested: a lock-free atomic word (relaxed ordering suffices:
    /// the flag orders no other memory).
    private static let flag = Atomic<Int32>(0)

    /// Whether a stop was requested.
    /// - Complexity: O(1); allocates nothing.
    public static var isRequested: Bool { load() != 0 }

    /// Requests a stop. Async-signal-safe.
    /// - Complexity: O(1); allocates nothing.
    public static func request() { store(1) }

    /// Withdraws a request (for a process that runs several jobs, and for tests).
    /// - Complexity: O(1); allocates nothing.
    public static func reset() { store(0) }

    private static func load() -> Int32 { flag.load(ordering: .relaxed) }
    private static func store(_ v: Int32) { flag.store(v, ordering: .relaxed) }
}

/// Thrown by long work that stopped because a stop was requested (``Cancellation``) before it
/// had a result: reading a large log, comparing two logs, writing a file that is then removed
/// rather than left half-written. `what` says what was abandoned, for the one line a command
/// prints.
public struct Cancelled: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was stopped (`comparing the logs`, `writing runs/x.jsonl (removed: incomplete)`).
    public var what: String

    /// The error for stopping `what`.
    public init(_ what: String) { self.what = what }

    /// `interrupted while WHAT`.
    public var description: String { "interrupted while " + what }

    /// Throws ``Cancelled`` (with `what`) when a stop was requested.
    /// - Complexity: O(1); allocates nothing unless it throws.
    public static func check(_ what: @autoclosure () -> String) throws {
        if Cancellation.isRequested { throw Cancelled(what()) }
    }
}
