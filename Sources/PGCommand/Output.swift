import Foundation

/// Where a command writes: standard output and standard error, replaceable in tests.
public struct Output {
    /// Writes to standard output (no newline added).
    public var out: (String) -> Void
    /// Writes to standard error (no newline added).
    public var err: (String) -> Void
    /// Whether standard error is a terminal (enables progress bars).
    public var errIsTerminal: Bool

    /// Creates an output.
    public init(out: @escaping (String) -> Void, err: @escaping (String) -> Void, errIsTerminal: Bool = false) {
        self.out = out
        self.err = err
        self.errIsTerminal = errIsTerminal
    }

    /// The process's standard output and error.
    public static var standard: Output {
        Output(out: { s in FileHandle.standardOutput.write(Data(s.utf8)) },
               err: { s in FileHandle.standardError.write(Data(s.utf8)) },
               errIsTerminal: isatty(2) == 1)
    }

    /// Writes a line to standard output.
    func line(_ s: String = "") { out(s + "\n") }
}
