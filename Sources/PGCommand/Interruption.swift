import Foundation
import PolicyGradient

/// 1 once the running command polls ``Cancellation`` (see ``Interruption/beginPolling()``).
nonisolated(unsafe) private var commandPolls: Int32 = 0
/// The file being written that a signal ending the process removes (see
/// ``Interruption/removeOnExit(_:)``), as a C string; nil for none.
nonisolated(unsafe) private var fileToRemove: UnsafeMutablePointer<CChar>?

/// The SIGINT/SIGTERM handler: async-signal-safe (two loads, a store, `_exit`).
///
/// Before the command polls, and on a second signal, it ends the process at once with status
/// 130: safe, because every log line is one `write(2)` (a log is whole lines whenever the
/// process stops) and nothing else is half-done on disk. Otherwise it only sets the flag.
private func handleInterrupt(_ signal: Int32) {
    if commandPolls == 0 || Cancellation.isRequested {
        if let path = fileToRemove { unlink(path) }  // async-signal-safe: a file being written is whole or absent
        _exit(130)
    }
    Cancellation.request()
}

/// How pg reacts to SIGINT (Ctrl-C), SIGTERM, SIGPIPE and SIGXFSZ, installed by
/// ``PGCommand/main(_:)`` before anything else happens, so before any file is created.
///
/// * SIGINT / SIGTERM before the command polls: exit 130 at once (nothing has been written).
/// * The first SIGINT / SIGTERM while a command polls (`pg train` once its log exists): sets
///   ``Cancellation``; the command finishes the update it is on, writes its summary with
///   status `interrupted` and exits 130.
/// * A second SIGINT / SIGTERM: exit 130 at once; the log keeps its complete lines.
/// * A SIGINT or SIGTERM that is ignored when pg starts (a background job of a
///   non-interactive shell ignores SIGINT) stays ignored, as in other Unix tools.
/// * SIGPIPE and SIGXFSZ are ignored: a closed pipe or a file-size limit becomes an error
///   of the write (`EPIPE`, `EFBIG`) that pg reports, instead of killing it.
enum Interruption {
    /// Installs the handlers and unblocks SIGINT/SIGTERM (a signal that arrived while they
    /// were blocked is handled now). Idempotent.
    static func install() {
        _ = (Cancellation.isRequested, commandPolls) // both exist before a handler can touch them
        var action = sigaction()
        #if os(Linux)
        action.__sigaction_handler.sa_handler = handleInterrupt
        #else
        action.__sigaction_u.__sa_handler = handleInterrupt
        #endif
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        sigaddset(&action.sa_mask, SIGINT)
        sigaddset(&action.sa_mask, SIGTERM)
        for sig in [SIGINT, SIGTERM] where !isIgnored(sig) { sigaction(sig, &action, nil) }
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
    }

    /// Whether `sig` is ignored (as a non-interactive shell's background job ignores SIGINT).
    private static func isIgnored(_ sig: Int32) -> Bool {
        var current = sigaction()
        sigaction(sig, nil, &current)
        #if os(Linux)
        let handler = current.__sigaction_handler.sa_handler
        #else
        let handler = current.__sigaction_u.__sa_handler
        #endif
        return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    /// Declares that the running command polls ``requested`` from now on: the first signal
    /// only sets the flag. Call it just before creating the output the command will finish.
    static func beginPolling() { commandPolls = 1 }

    /// Names the file being written (a compare or variance file, written at the end of its
    /// command) that a signal ending the process at once removes, so that the file is whole or
    /// absent; nil when it is closed. Only one file at a time.
    static func removeOnExit(_ path: String?) {
        let old = fileToRemove
        fileToRemove = nil
        free(old)
        if let path { fileToRemove = strdup(path) }
    }

    /// Whether a stop was requested (by a signal, or by a library user through ``Cancellation``).
    static var requested: Bool { Cancellation.isRequested }
}
