import Dispatch

/// Chooses, batch by batch, whether a rollout uses the worker pool, by timing both: results
/// never depend on it (chunks are reduced in order), so the engine may simply take whichever
/// has been faster lately. Every ``probeInterval`` batches it tries the other mode once, so a
/// change of load (the other core becoming busy or free) is noticed.
///
/// This is what keeps more threads from ever being much slower than one: on a busy machine,
/// or for batches too small to share, the serial mode wins and is used.
struct ParallelChoice {
    /// Batches between probes of the mode not in use.
    static let probeInterval = 32
    /// Exponential averages of nanoseconds per batch, serial and parallel (nil until measured).
    private(set) var serial: Double?, parallel: Double?
    private var batches = 0

    /// Whether the next batch should run in parallel.
    mutating func nextIsParallel() -> Bool {
        batches += 1
        guard let s = serial else { return false }
        guard let p = parallel else { return true }
        let better = p < 0.95 * s
        return batches % Self.probeInterval == 0 ? !better : better
    }

    /// Records a batch's duration.
    mutating func record(nanoseconds t: Double, parallel wasParallel: Bool) {
        func blend(_ old: Double?) -> Double { old.map { 0.75 * $0 + 0.25 * t } ?? t }
        if wasParallel { parallel = blend(parallel) } else { serial = blend(serial) }
    }

    /// The monotonic clock in nanoseconds.
    @inline(__always)
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) }
}
