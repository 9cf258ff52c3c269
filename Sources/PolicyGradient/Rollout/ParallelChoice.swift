import Dispatch

/// Chooses, batch by batch, whether a rollout uses the worker pool, by timing both: results
/// never depend on it (chunks are reduced in order), so the engine may simply take whichever
/// has been faster lately. After ``probeInterval`` batches it runs ``probeLength`` batches in
/// the other mode, so a change of load (the other core becoming busy or free) is noticed; each
/// probe that confirms the choice doubles the wait before the next (up to
/// ``maximumProbeInterval``), so that a mode that keeps losing costs little, and a probe's own
/// batches replace the probed mode's old average, so that one probe suffices to notice a change.
/// The first batch after a change of mode is not a measurement: it pays for the change (the
/// workers, asleep while the serial mode ran, must be woken), and counting it would make the
/// parallel mode look slow forever.
///
/// This is what keeps more threads from ever being much slower than one: on a busy machine,
/// or for batches too small to share, the serial mode wins and is used.
struct ParallelChoice {
    /// Batches before the first probe of the mode not in use, and after a change of choice.
    static let probeInterval = 32
    /// The longest wait between probes (reached after a few probes that confirm the choice).
    static let maximumProbeInterval = 256
    /// Batches of one probe (the first of them not measured).
    static let probeLength = 4
    /// Exponential averages of nanoseconds per batch, serial and parallel (nil until measured).
    private(set) var serial: Double?, parallel: Double?
    /// Batches since the last probe, and the wait before the next.
    private var sinceProbe = 0, interval = Self.probeInterval
    /// The mode of the probe under way and its batches still to run.
    private var probe: (parallel: Bool, left: Int)?
    /// The mode of the previous batch.
    private var last: Bool?
    /// The choice made after the last probe (nil before the first).
    private var choice: Bool?
    /// The probed mode whose next measurement replaces its average rather than joining it.
    private var fresh: Bool?

    /// Whether the next batch should run in parallel.
    mutating func nextIsParallel() -> Bool {
        if let p = probe {
            probe = p.left > 1 ? (p.parallel, p.left - 1) : nil
            return p.parallel
        }
        guard let s = serial else { return false }
        guard let p = parallel else { return startProbe(parallel: true) }
        let better = p < 0.95 * s
        if let c = choice, c != better { interval = Self.probeInterval }  // the load changed
        choice = better
        sinceProbe += 1
        guard sinceProbe >= interval else { return better }
        sinceProbe = 0
        interval = min(2 * interval, Self.maximumProbeInterval)
        return startProbe(parallel: !better)
    }

    /// Starts a probe of ``probeLength`` batches in the given mode; returns the mode.
    private mutating func startProbe(parallel: Bool) -> Bool {
        probe = (parallel, Self.probeLength - 1)
        fresh = parallel
        return parallel
    }

    /// Records a batch's duration (ignored for the first batch after a change of mode).
    mutating func record(nanoseconds t: Double, parallel wasParallel: Bool) {
        defer { last = wasParallel }
        guard last == wasParallel else { return }
        let restart = fresh == wasParallel
        if restart { fresh = nil }
        func blend(_ old: Double?) -> Double { restart ? t : old.map { 0.75 * $0 + 0.25 * t } ?? t }
        if wasParallel { parallel = blend(parallel) } else { serial = blend(serial) }
    }

    /// The monotonic clock in nanoseconds.
    @inline(__always)
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) }
}
