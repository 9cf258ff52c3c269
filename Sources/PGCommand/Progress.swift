import Foundation

/// A progress bar with ETA on standard error, drawn only when it is a terminal.
final class Progress: @unchecked Sendable {
    let total: Int
    let label: String
    let output: Output
    let enabled: Bool
    let start = Date()
    var lastDraw = Date.distantPast
    private let lock = NSLock()

    init(total: Int, label: String, output: Output, enabled: Bool) {
        self.total = max(total, 1)
        self.label = label
        self.output = output
        self.enabled = enabled && output.errIsTerminal
    }

    /// Redraws at most ten times a second (from any thread).
    func update(_ done: Int) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 || done == total else { return }
        lastDraw = now
        let frac = Double(done) / Double(total)
        let width = 30, filled = Int(frac * Double(width))
        let elapsed = now.timeIntervalSince(start)
        let eta = done > 0 ? elapsed * (1 - frac) / frac : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        output.err(String(format: "\r%@ [%@] %3.0f%% %d/%d  ETA %.1fs ", label, bar, 100 * frac, done, total, eta))
    }

    /// Clears the bar.
    func finish() {
        guard enabled else { return }
        output.err("\r" + String(repeating: " ", count: 80) + "\r")
    }
}
