import Foundation

/// A progress bar with ETA on standard error, drawn only when it is a terminal.
///
/// It counts in named units whose cost is known — `updates` of one run, `seed-updates` of a
/// sweep (one update of one seed), `estimates` of `pg variance` — and the work is a sequence of
/// parts (the variants of a sweep, in the order they run), each with its count of units and
/// its cost per unit. The bar and the percentage are of the cost-weighted work, so a sweep
/// whose last variants cost many times more per update than its first (the Gumbel estimators,
/// with their critic) does not claim to be half done when half its updates are. The ETA
/// (``remaining(done:elapsed:partStarted:)``) scales the measured costs by what the running
/// part actually takes, since a cost measured on a few updates at the start drifts (episodes
/// lengthen as a policy learns; a critic's memory fills):
///
///     compare [#######-----------------------]  24% of the work, 5200/108000 seed-updates, ETA 36.5s
final class Progress: @unchecked Sendable {
    let label: String
    /// What one counted unit is (`updates`, `seed-updates`, `estimates`).
    let unit: String
    /// The parts, in order: units and the cost of one unit (any positive scale).
    let parts: [(count: Int, cost: Double)]
    let output: Output
    let enabled: Bool
    let start = Date()
    var lastDraw = Date.distantPast
    /// The running part, and the elapsed seconds when it was first seen running.
    private var current: (part: Int, since: Double)?
    private let lock = NSLock()

    /// Units in all parts.
    var total: Int { parts.reduce(0) { $0 + $1.count } }

    /// A bar over `parts`, drawn when `enabled` and standard error is a terminal.
    /// - Parameter costs: measures each part's cost per unit; called only when the bar is drawn
    ///   (nil, or a throw: equal costs).
    init(label: String, unit: String, counts: [Int], output: Output, enabled: Bool, costs: (() throws -> [Double])? = nil) {
        self.label = label
        self.unit = unit
        self.output = output
        self.enabled = enabled && output.errIsTerminal
        var measured = self.enabled ? ((try? costs?()) ?? nil) : nil
        if measured?.count != counts.count || measured?.contains(where: { !($0 > 0 && $0.isFinite) }) == true { measured = nil }
        parts = counts.indices.map { (max(counts[$0], 0), measured?[$0] ?? 1) }
    }

    /// A bar over `total` units of one cost.
    convenience init(total: Int, label: String, unit: String, output: Output, enabled: Bool) {
        self.init(label: label, unit: unit, counts: [total], output: output, enabled: enabled)
    }

    /// The cost-weighted fraction of the work that `done` units (counted over the parts in
    /// order) are.
    func fraction(_ done: Int) -> Double {
        var left = done, work = 0.0, all = 0.0
        for p in parts {
            let here = min(max(left, 0), p.count)
            work += Double(here) * p.cost
            all += Double(p.count) * p.cost
            left -= here
        }
        return all > 0 ? min(work / all, 1) : 1
    }

    /// The part the next unit after `done` belongs to, and the units of it already done.
    func position(_ done: Int) -> (part: Int, doneInPart: Int) {
        var left = max(done, 0)
        for (i, p) in parts.enumerated() {
            if left < p.count { return (i, left) }
            left -= p.count
        }
        return (max(parts.count - 1, 0), parts.last?.count ?? 0)
    }

    /// Seconds left after `done` units in `elapsed` seconds, the running part having started at
    /// `partStarted` seconds. Every unit left costs its part's cost times a calibration k,
    /// seconds per unit of cost: what the running part has taken so far (once it has run for a
    /// second), else what the parts before it took, else the elapsed time over the work done.
    func remaining(done: Int, elapsed: Double, partStarted: Double) -> Double {
        let (i, d) = position(done)
        let before = parts[..<i].reduce(0.0) { $0 + Double($1.count) * $1.cost }
        let k: Double
        if d > 0, elapsed - partStarted >= 1 || i == 0 {
            k = (elapsed - partStarted) / (Double(d) * parts[i].cost)
        } else if before > 0 {
            k = partStarted / before
        } else {
            return .nan
        }
        let left = Double(parts[i].count - d) * parts[i].cost
            + parts[(i + 1)...].reduce(0.0) { $0 + Double($1.count) * $1.cost }
        return k * left
    }

    /// The line the bar draws after `done` units in `elapsed` seconds (the running part having
    /// started at `partStarted` seconds).
    func line(_ done: Int, elapsed: Double, partStarted: Double = 0) -> String {
        let frac = fraction(done)
        let width = 30, filled = Int(frac * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let eta = parts.isEmpty ? 0 : remaining(done: done, elapsed: elapsed, partStarted: partStarted)
        let weighted = parts.count > 1 && Set(parts.map(\.cost)).count > 1 ? " of the work" : ""
        return String(format: "%@ [%@] %3.0f%%%@, %d/%d %@, ETA %@", label, bar, 100 * frac, weighted, done, total, unit,
                      Self.duration(eta))
    }

    /// "8.4s", "3m05s", "2h14m".
    static func duration(_ s: Double) -> String {
        guard s.isFinite, s >= 0 else { return "?" }
        if s < 60 { return String(format: "%.1fs", s) }
        let m = Int(s.rounded()) / 60
        if m < 60 { return String(format: "%dm%02ds", m, Int(s.rounded()) % 60) }
        return String(format: "%dh%02dm", m / 60, m % 60)
    }

    /// Redraws at most ten times a second (from any thread).
    func update(_ done: Int) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 || done == total else { return }
        lastDraw = now
        let elapsed = now.timeIntervalSince(start), part = position(done).part
        if current?.part != part { current = (part, part == 0 ? 0 : elapsed) }
        output.err("\r" + line(done, elapsed: elapsed, partStarted: current!.since) + " ")
    }

    /// Clears the bar.
    func finish() {
        guard enabled else { return }
        output.err("\r" + String(repeating: " ", count: 100) + "\r")
    }
}
