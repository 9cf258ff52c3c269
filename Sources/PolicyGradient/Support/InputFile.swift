import Foundation

/// Reads input files whole, refusing before reading anything larger than a limit.
///
/// A regular file's size is checked with `fstat` on the opened file before one byte is read;
/// a pipe or character device (`<(cat log)`, `/dev/stdin`) is read up to the limit and refused
/// beyond it (a FIFO that nobody writes to reads as empty instead of waiting); a directory is
/// refused. So no input file, however large or endless, makes pg
/// allocate more than the limit.
public enum InputFile {
    /// The size limit for one JSON document such as a bandit spec: 16 MiB (a spec of 100 000
    /// arms is about 5 MiB).
    public static let maximumJSONSize = 16 << 20

    /// The bytes of the file at `path`.
    /// - Parameters:
    ///   - path: the file.
    ///   - limit: the largest size accepted, in bytes.
    ///   - what: what the file is, for errors ("a JSONL file", "the bandit spec").
    /// - Returns: the file's contents.
    /// - Throws: ``InputError`` naming the file when it cannot be opened or read, is a
    ///   directory, or is larger than `limit` (naming the limit).
    /// - Complexity: O(size) time; allocates at most `limit` + 1 bytes.
    public static func read(path: String, limit: Int, what: String) throws -> [UInt8] {
        // O_NONBLOCK: opening a FIFO that nobody writes to must not wait forever (it then reads
        // as empty); reads block again once the file is open.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw InputError("cannot read \(what) \(path): \(OutputError.describe(errno))") }
        defer { _ = closeFile(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw InputError("cannot read \(what) \(path): \(OutputError.describe(errno))") }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw InputError("cannot read \(what) \(path): it is a directory") }
        let regular = (st.st_mode & S_IFMT) == S_IFREG
        if regular, st.st_size > limit { throw tooLarge(path, what: what, limit: limit, size: Int(st.st_size)) }
        var bytes = [UInt8](repeating: 0, count: regular ? Int(st.st_size) + 1 : min(limit + 1, 1 << 16))
        var count = 0
        while true {
            if count == bytes.count {
                guard count <= limit else { throw tooLarge(path, what: what, limit: limit, size: nil) }
                bytes += [UInt8](repeating: 0, count: min(bytes.count, limit + 1 - bytes.count))
            }
            let n = bytes.withUnsafeMutableBytes { readFile(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw InputError("cannot read \(what) \(path): \(OutputError.describe(errno))") }
            if n == 0 { break }
            count += n
        }
        guard count <= limit else { throw tooLarge(path, what: what, limit: limit, size: nil) }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    /// `PATH: WHAT is larger than the N MiB limit (M MiB)`.
    static func tooLarge(_ path: String, what: String, limit: Int, size: Int?) -> InputError {
        let found = size.map { " (\($0) bytes)" } ?? ""
        return InputError("\(what) is larger than the \(megabytes(limit)) limit\(found)", file: path)
    }

    /// `16 MiB`, `1.5 MiB`, `300 bytes`.
    static func megabytes(_ n: Int) -> String {
        if n < 1 << 20 { return n < 1024 ? "\(n) bytes" : "\(n >> 10) KiB" }
        return n % (1 << 20) == 0 ? "\(n >> 20) MiB" : String(format: "%.1f MiB", Double(n) / Double(1 << 20))
    }
}

/// `read(2)` and `close(2)` under names that `InputFile.read` does not shadow.
private func readFile(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
private func closeFile(_ fd: Int32) -> Int32 { close(fd) }
