import Foundation

/// Set by the SIGINT/SIGTERM handler; polled between updates so a run finishes the line it
/// is writing, writes its summary with status `interrupted`, and exits.
nonisolated(unsafe) var interruptSignal: Int32 = 0

enum Interruption {
    /// Installs the handlers (idempotent).
    static func install() {
        signal(SIGINT) { interruptSignal = $0 }
        signal(SIGTERM) { interruptSignal = $0 }
    }

    /// Whether a signal arrived.
    static var requested: Bool { interruptSignal != 0 }
}
