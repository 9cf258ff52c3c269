import Foundation

/// Writes JSON Lines so that a log is only ever whole lines: each line goes out with one
/// `write(2)` (looping only on a partial write or `EINTR`), so a killed run leaves complete
/// lines; a failed write (full disk, I/O error) cuts the file back to its last complete line
/// with `ftruncate` and throws; a file that never received a complete line is removed.
///
/// Files are created exclusively (`O_CREAT | O_EXCL`), so two runs never share or replace a
/// file, whatever their timing. ``Mode/replace`` (`--force`) replaces only a regular file or a
/// symbolic link — the link itself, never the file it points to — and never a directory,
/// FIFO, socket or device node, nor one of the command's input files: the new log is written
/// to a hidden temporary file beside the old one and moved over it once its first line is
/// written (see ``OutputFile`` for the atomic swap), so until then the old file is untouched.
public final class JSONLWriter {
    /// How the file is created.
    public enum Mode: Sendable, Equatable {
        /// A new file at exactly the path; any existing entry there is an error.
        case create
        /// A new file at the path or, when that is taken, at the first free `STEM-2.EXT`,
        /// `STEM-3.EXT`, … (default log paths: simultaneous runs get distinct files).
        case createWithSuffix
        /// A new file that replaces a regular file or symbolic link at the path, if any.
        case replace
    }

    /// Where the log goes (for ``Mode/createWithSuffix``, the name actually taken).
    public private(set) var path: String
    /// Complete lines written so far.
    public private(set) var lineCount = 0
    private var fd: Int32
    /// The temporary file of a replacement not yet moved into place.
    private var pending: String?
    private var committed: off_t = 0
    private var failure: OutputError?
    private let inputs: Set<FileIdentity>

    /// Creates the log file, and the directories above it.
    /// - Parameters:
    ///   - path: the file.
    ///   - mode: new file only, next free `-N` name, or replace (see ``Mode``).
    ///   - inputs: the command's input files, which a replacement never overwrites.
    /// - Throws: ``InputError`` naming the path and what is in the way (an existing file, a
    ///   directory, a device, an input) or why it cannot be created.
    public init(path: String, mode: Mode = .create, protecting inputs: [String] = []) throws {
        self.path = path
        self.inputs = OutputFile.identities(inputs)
        try FileTarget.createDirectory(for: path)
        switch mode {
        case .create: fd = try JSONLWriter.create(path, inputs: self.inputs)
        case .createWithSuffix: (fd, self.path) = try JSONLWriter.createWithSuffix(path)
        case .replace:
            try FileTarget.check(path, replacing: true, inputs: self.inputs, advice: JSONLWriter.advice)
            (fd, pending) = try FileTarget.createTemporary(beside: path)
        }
    }

    static let advice = "--out to choose another file"

    /// Throws if a log could not be created at `path` in `mode` (to check before long work):
    /// the same rules and messages as ``init(path:mode:protecting:)``, without creating anything.
    /// - Throws: ``InputError`` naming the path and what is in the way.
    public static func check(path: String, mode: Mode, protecting inputs: [String] = []) throws {
        guard mode != .createWithSuffix else { return try FileTarget.checkCreatable(path) } // a taken name moves on to -2
        try FileTarget.check(path, replacing: mode == .replace, inputs: OutputFile.identities(inputs), advice: advice)
    }

    private static func create(_ path: String, inputs: Set<FileIdentity>) throws -> Int32 {
        for _ in 0..<8 {
            let fd = FileTarget.createExclusively(path)
            if fd >= 0 { return fd }
            guard errno == EEXIST else { throw InputError("cannot create \(path): \(OutputError.describe(errno))") }
            try FileTarget.check(path, replacing: false, inputs: inputs, advice: advice)
        }
        throw InputError("cannot create \(path): it keeps changing")
    }

    private static func createWithSuffix(_ path: String) throws -> (Int32, String) {
        for n in 1...FileTarget.suffixLimit {
            let candidate = FileTarget.name(path, suffix: n)
            let fd = FileTarget.createExclusively(candidate)
            if fd >= 0 { return (fd, candidate) }
            guard errno == EEXIST else { throw InputError("cannot create \(candidate): \(OutputError.describe(errno))") }
        }
        throw InputError("cannot create \(path): every name up to \(FileTarget.name(path, suffix: FileTarget.suffixLimit)) is taken")
    }

    /// Appends one line: the value's compact text and a newline, in one `write(2)`.
    /// - Throws: ``OutputError`` when the write fails (the file then holds exactly the lines
    ///   before this one, or is removed if there were none; every later call throws it again);
    ///   ``InputError`` when a replacement finds something else than a regular file or link
    ///   at the path by the time it moves into place.
    /// - Precondition: not closed.
    public func write(_ value: JSONValue) throws {
        if let failure { throw failure }
        precondition(fd >= 0, "JSONLWriter.write after close")
        var line = value.text
        line += "\n"
        let bytes = Array(line.utf8)
        let code = bytes.withUnsafeBytes { FileTarget.writeAll(fd, $0) }
        guard code == 0 else { throw fail(code) }
        committed += off_t(bytes.count)
        lineCount += 1
        if let temp = pending {
            pending = nil
            do {
                try FileTarget.commit(temp, to: path, replacing: true, inputs: inputs, advice: JSONLWriter.advice)
            } catch {
                _ = FileTarget.closeFile(fd)
                fd = -1
                throw error
            }
        }
    }

    /// Cuts the file back to its last complete line (removing it if there is none).
    private func fail(_ code: Int32) -> OutputError {
        let e = OutputError(path: path, code: code)
        failure = e
        if lineCount == 0 {
            discard()
        } else {
            _ = ftruncate(fd, committed)
            _ = lseek(fd, committed, SEEK_SET)
        }
        return e
    }

    /// Closes and removes a file that has no complete line.
    private func discard() {
        _ = FileTarget.closeFile(fd)
        fd = -1
        unlink(pending ?? path)
        pending = nil
    }

    /// Closes and removes the file, whatever it holds: for an output that must be whole or
    /// absent (a file written at the end of a command, abandoned when a stop is requested
    /// half-way). Idempotent; nothing happens after ``close()``.
    public func abandon() {
        guard fd >= 0 else { return }
        discard()
    }

    /// Syncs and closes the file (removing it if it received no complete line). Idempotent.
    /// - Throws: ``OutputError`` when the system reports that written lines did not reach the
    ///   disk (`fsync` or `close` failed).
    public func close() throws {
        guard fd >= 0 else { return }
        if lineCount == 0 { discard(); return }
        var code: Int32 = 0
        if fsync(fd) != 0, errno != EINVAL { code = errno }
        if FileTarget.closeFile(fd) != 0, code == 0 { code = errno }
        fd = -1
        if code != 0 { throw OutputError(path: path, code: code) }
    }

    deinit {
        guard fd >= 0 else { return }
        if lineCount == 0 { discard() } else { _ = FileTarget.closeFile(fd) }
    }
}
