import Foundation

/// A file's identity, device and inode: two paths name the same file exactly when their
/// identities are equal (hard links and symbolic links included).
public struct FileIdentity: Hashable, Sendable {
    /// The device the file lives on (`st_dev`).
    public var device: UInt64
    /// Its inode number on that device (`st_ino`).
    public var inode: UInt64

    /// The identity of the file at `path`, following symbolic links; nil if there is none.
    public init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        self.init(st)
    }

    init(_ st: stat) {
        device = UInt64(truncatingIfNeeded: st.st_dev)
        inode = UInt64(truncatingIfNeeded: st.st_ino)
    }
}

/// The rules for where an output may go, shared by ``JSONLWriter`` and ``OutputFile``: a new
/// file, or with replacement a regular file or a symbolic link (the link itself) — never a
/// directory, FIFO, socket or device, never one of the command's input files.
enum FileTarget {
    /// What a directory entry is, without following a final symbolic link.
    enum Entry: Equatable {
        case absent
        case regular(FileIdentity)
        case symlink
        /// Anything else, named: "a directory", "a FIFO", …
        case other(String)
    }

    static func entry(at path: String) -> Entry {
        var st = stat()
        guard lstat(path, &st) == 0 else { return .absent }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .regular(FileIdentity(st))
        case S_IFLNK: return .symlink
        case S_IFDIR: return .other("a directory")
        case S_IFIFO: return .other("a FIFO")
        case S_IFSOCK: return .other("a socket")
        case S_IFCHR: return .other("a character device")
        case S_IFBLK: return .other("a block device")
        default: return .other("not a regular file")
        }
    }

    /// Throws unless `path` may receive the output: absent, or (when `replacing`) a regular
    /// file that is not among `inputs`, or a symbolic link.
    /// - Throws: ``InputError`` saying what is in the way.
    static func check(_ path: String, replacing: Bool, inputs: Set<FileIdentity>, advice: String) throws {
        switch entry(at: path) {
        case .absent: try checkCreatable(path)
        case let .other(kind):
            throw InputError("\(path) is \(kind), not a regular file; pg never replaces one, so choose another file")
        case let .regular(id) where inputs.contains(id):
            throw InputError("\(path) is one of this command's input files; pg never writes over an input, so choose another file")
        case .regular, .symlink:
            if !replacing { throw InputError("\(path) exists; pass --force to overwrite it or \(advice)") }
        }
    }

    /// Throws unless a new file `path` could be created: the nearest existing directory above
    /// it (the directories missing in between are created with it) is a directory that this
    /// process may write into. Checked before long work, so that a command never runs, and
    /// prints, only to fail at its last step.
    /// - Throws: ``InputError`` naming the path and what is in the way.
    static func checkCreatable(_ path: String) throws {
        guard !path.isEmpty else { throw InputError("the path is empty") }
        var dir = (path as NSString).deletingLastPathComponent
        while true {
            let probe = dir.isEmpty ? "." : dir
            var st = stat()
            if stat(probe, &st) == 0 {
                guard (st.st_mode & S_IFMT) == S_IFDIR else {
                    throw InputError("cannot create \(path): \(probe) is not a directory")
                }
                guard access(probe, W_OK | X_OK) == 0 else {
                    throw InputError("cannot create \(path): \(OutputError.describe(errno)) (in \(probe))")
                }
                return
            }
            guard errno == ENOENT || errno == ENOTDIR, !dir.isEmpty, dir != "/" else {
                throw InputError("cannot create \(path): \(OutputError.describe(errno)) (in \(probe))")
            }
            dir = (dir as NSString).deletingLastPathComponent
        }
    }

    /// Creates the directories above `path`.
    /// - Throws: ``InputError`` naming the directory.
    static func createDirectory(for path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        guard !dir.isEmpty else { return }
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw InputError("cannot create the directory \(dir) for \(path)")
        }
    }

    /// Opens a new file at `path`, failing if any entry exists there (`O_CREAT | O_EXCL`).
    /// - Returns: the descriptor, or -1 with `errno` set.
    static func createExclusively(_ path: String) -> Int32 {
        open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
    }

    /// A new, hidden file in the directory of `path` (`.NAME.pg-PID-N.tmp`), opened for writing.
    /// - Throws: ``InputError`` naming `path` when the directory does not accept a new file.
    static func createTemporary(beside path: String) throws -> (fd: Int32, path: String) {
        let dir = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        for n in 0..<1000 {
            let temp = (dir.isEmpty ? "" : dir + "/") + ".\(name).pg-\(getpid())-\(n).tmp"
            let fd = createExclusively(temp)
            if fd >= 0 { return (fd, temp) }
            if errno != EEXIST { throw InputError("cannot create \(path): \(OutputError.describe(errno))") }
        }
        throw InputError("cannot create \(path): no free temporary name beside it")
    }

    /// `close(2)`, under a name that types with a `close()` method do not shadow.
    static func closeFile(_ fd: Int32) -> Int32 { close(fd) }

    /// Writes all of `bytes` to `fd`, looping on partial writes and `EINTR`.
    /// - Returns: 0, or the `errno` of the failing `write(2)`.
    /// - Complexity: one `write(2)` unless the system takes less; allocates nothing.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n > 0 { done += n; continue }
            if n < 0, errno == EINTR { continue }
            return n == 0 ? EIO : errno
        }
        return 0
    }
}
