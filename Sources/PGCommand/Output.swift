import Foundation
import PolicyGradient

/// Where a command writes: standard output and standard error, replaceable in tests.
public struct Output {
    /// Writes to standard output (no newline added).
    public var out: (String) -> Void
    /// Writes to standard error (no newline added).
    public var err: (String) -> Void
    /// Whether standard error is a terminal (enables progress bars).
    public var errIsTerminal: Bool
    /// The process's streams behind ``standard``, which record their failures; nil otherwise.
    let streams: (out: StandardStream, err: StandardStream)?
    /// The environment variables commands read (`--shard auto`'s Slurm variables, `pg sweep`'s
    /// `PATH`); the process's own in ``standard``, a test's dictionary otherwise.
    public var environment: [String: String]

    /// Creates an output.
    public init(out: @escaping (String) -> Void, err: @escaping (String) -> Void, errIsTerminal: Bool = false,
                environment: [String: String] = [:]) {
        self.out = out
        self.err = err
        self.errIsTerminal = errIsTerminal
        streams = nil
        self.environment = environment
    }

    /// The process's standard output and error, written with checked `write(2)` calls: after
    /// a stream fails (closed, full, broken pipe) nothing more is written to it, and
    /// ``finish(_:)`` turns the failure into the exit status.
    public static var standard: Output {
        let o = StandardStream(fd: 1, name: "standard output"), e = StandardStream(fd: 2, name: "standard error")
        return Output(streams: (o, e))
    }

    private init(streams: (out: StandardStream, err: StandardStream)) {
        out = streams.out.write
        err = streams.err.write
        errIsTerminal = isatty(2) == 1
        self.streams = streams
        environment = ProcessInfo.processInfo.environment
    }

    /// The exit status of a command that returned `status`, given how the streams fared.
    ///
    /// * Both streams fine: `status`.
    /// * A broken pipe (`pg envs | head -1`: the reader stopped reading) and nothing else: the
    ///   command's own non-zero status, else 141 (128 + SIGPIPE, what a shell reports for a
    ///   process that a broken pipe ended), and no message: the reader chose to stop.
    /// * Any other failure (closed stream, full disk, I/O error): one line on standard error
    ///   naming the stream and the reason, if standard error still works; the command's own
    ///   non-zero status, else 1.
    /// - Parameter status: what the command returned.
    /// - Returns: the status to exit with.
    public func finish(_ status: Int32) -> Int32 {
        guard let (o, e) = streams, o.failure != 0 || e.failure != 0 else { return status }
        let failures = [o, e].filter { $0.failure != 0 }
        if failures.allSatisfy({ $0.failure == EPIPE }) { return status != 0 ? status : 141 }
        if o.failure != 0, o.failure != EPIPE, e.failure == 0 {
            e.write("\(PGCommand.name): error: \(OutputError(path: o.name, code: o.failure))\n")
        }
        return status != 0 ? status : 1
    }

    /// Writes a line to standard output.
    func line(_ s: String = "") { out(s + "\n") }
}

/// One of the process's standard streams: every write is a checked `write(2)` (looping on a
/// partial write and `EINTR`); the first failure is kept and later writes are dropped.
final class StandardStream: @unchecked Sendable {
    let fd: Int32
    let name: String
    /// The `errno` of the first failed write, or 0.
    private(set) var failure: Int32 = 0
    private let lock = NSLock()

    init(fd: Int32, name: String) {
        self.fd = fd
        self.name = name
    }

    func write(_ s: String) {
        lock.lock()
        defer { lock.unlock() }
        guard failure == 0 else { return }
        failure = Array(s.utf8).withUnsafeBytes { writeAll(fd, $0) }
    }

    /// Makes sure descriptors 0, 1 and 2 are open: one that is closed (`pg >&-`) gets
    /// `/dev/null` opened the wrong way round (read-only for 1 and 2), so writes to it still fail
    /// with `EBADF` as a closed stream would, but no file pg opens later can take its number
    /// and receive text meant for the terminal.
    static func reserveClosedDescriptors() {
        for fd: Int32 in 0...2 {
            var st = stat()
            guard fstat(fd, &st) != 0, errno == EBADF else { continue }
            let null = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY)
            if null >= 0, null != fd {
                dup2(null, fd)
                close(null)
            }
        }
    }
}

/// Writes all of `bytes` to `fd`, looping on partial writes and `EINTR`; 0 or the `errno`.
private func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
    var done = 0
    while done < bytes.count {
        let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
        if n > 0 { done += n; continue }
        if n < 0, errno == EINTR { continue }
        return n == 0 ? EIO : errno
    }
    return 0
}
