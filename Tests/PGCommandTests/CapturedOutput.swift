import Foundation
import PGCommand

/// Captures what a command writes, for assertions.
final class CapturedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var outText = "", errText = ""

    /// The captured standard output and standard error.
    var out: String { lock.lock(); defer { lock.unlock() }; return outText }
    var err: String { lock.lock(); defer { lock.unlock() }; return errText }

    /// An ``Output`` that appends here.
    var output: Output {
        Output(out: { s in self.lock.lock(); self.outText += s; self.lock.unlock() },
               err: { s in self.lock.lock(); self.errText += s; self.lock.unlock() })
    }

    /// Runs `pg args` and returns its exit status and output.
    static func run(_ args: [String]) -> (status: Int32, out: String, err: String) {
        let c = CapturedOutput()
        let status = PGCommand.run(args, output: c.output)
        return (status, c.out, c.err)
    }
}

/// A fresh temporary directory, removed by the caller.
func makeTemporaryDirectory(_ label: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("pg-\(label)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
