import Foundation

/// Where a command writes: standard output and standard error, replaceable in tests.
public struct Output {
    /// Writes to standard output (no newline added).
    public var out: (String) -> Void
    /// Writes to standard error (no newline added).
    public var err: (String) -> Void
    /// Whether standard error is a terminal (enables progress bars).
    public var errIsTerminal: Bool
    /// The environment variables commands read (`--shard auto`'s Slurm variables, `pg sweep`'s
    /// `PATH`); the process's own in ``standard``, a test's dictionary otherwise.
    public var environment: [String: String]

    /// Creates an output.
    public init(out: @escaping (String) -> Void, err: @escaping (String) -> Void, errIsTerminal: Bool = false,
                environment: [String: String] = [:]) {
        self.out = out
        self.err = err
        self.errIsTerminal = errIsTerminal
        self.environment = environment
    }

    /// The process's standard output and error.
    public static var standard: Output {
        Output(out: { s in FileHandle.standardOutput.write(Data(s.utf8)) },
               err: { s in FileHandle.standardError.write(Data(s.utf8)) },
               errIsTerminal: isatty(2) == 1, environment: ProcessInfo.processInfo.environment)
    }

    /// Writes a line to standard output.
    func line(_ s: String = "") { out(s + "\n") }
}
