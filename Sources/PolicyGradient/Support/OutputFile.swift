import Foundation

/// Whole-file outputs (SVG plots, benchmark results), written so that no reader ever sees a
/// half-written file and nothing is replaced by mistake.
///
/// The contents go to a new hidden file in the destination's directory, which is synced and
/// then moved into place: never over an existing entry unless `replacing`; even then only over
/// a regular file or a symbolic link (the link itself is replaced, its target is never
/// written), never over a directory, FIFO, socket or device, and never over one of the
/// command's input files (compared by device and inode, so another name for the same file is
/// caught too). On any failure the temporary file is removed and the destination is untouched.
public enum OutputFile {
    /// Throws if `path` could not receive an output under these rules (to check before long work).
    /// - Parameters:
    ///   - path: the destination.
    ///   - replacing: whether an existing regular file or symbolic link may be replaced.
    ///   - inputs: the command's input files, which are never replaced.
    /// - Throws: ``InputError`` saying what is in the way.
    public static func check(_ path: String, replacing: Bool, protecting inputs: [String] = []) throws {
        try FileTarget.check(path, replacing: replacing, inputs: identities(inputs), advice: advice)
    }

    /// Throws unless `directory` is, or could be created as, a directory this process may write
    /// files into (to check before work that will write there, such as jobs submitted to a
    /// scheduler).
    /// - Throws: ``InputError`` saying what is in the way: a file of that name, a file above it,
    ///   no permission.
    public static func checkDirectory(_ directory: String) throws {
        guard !directory.isEmpty else { throw InputError("the directory path is empty") }
        var dir = directory
        while true {
            var st = stat()
            if stat(dir, &st) == 0 {
                guard (st.st_mode & S_IFMT) == S_IFDIR else {
                    throw InputError(dir == directory ? "\(directory) is a file, not a directory"
                                     : "cannot create the directory \(directory): \(dir) is a file, not a directory")
                }
                guard access(dir, W_OK | X_OK) == 0 else {
                    throw InputError("cannot write into \(directory): \(OutputError.describe(errno)) (in \(dir))")
                }
                return
            }
            let parent = (dir as NSString).deletingLastPathComponent
            guard errno == ENOENT || errno == ENOTDIR, parent != dir else {
                throw InputError("cannot create the directory \(directory): \(OutputError.describe(errno)) (in \(dir))")
            }
            dir = parent.isEmpty ? "." : parent
        }
    }

    /// Writes `contents` to `path` under these rules, creating missing directories.
    /// - Parameters:
    ///   - contents: the whole file.
    ///   - path: the destination.
    ///   - replacing: whether an existing regular file or symbolic link may be replaced.
    ///   - inputs: the command's input files, which are never replaced.
    /// - Throws: ``InputError`` when the destination may not be used; ``OutputError`` when the
    ///   writing fails (full disk, I/O error). Either way nothing is left behind.
    /// - Complexity: O(size of `contents`).
    public static func write(_ contents: String, to path: String, replacing: Bool, protecting inputs: [String] = []) throws {
        let protected = identities(inputs)
        try FileTarget.createDirectory(for: path)
        try FileTarget.check(path, replacing: replacing, inputs: protected, advice: advice)
        let temp = try writeTemporary(contents, beside: path)
        try FileTarget.commit(temp, to: path, replacing: replacing, inputs: protected, advice: advice)
    }

    /// Writes `contents` to `path`, or, when that name is taken, to the first free one of
    /// `STEM-2.EXT`, `STEM-3.EXT`, … (as a log's default name is chosen): never over an existing
    /// entry, and atomically, so two processes writing at once get two files.
    /// - Returns: the path written.
    /// - Throws: ``OutputError`` when the writing fails; ``InputError`` when no name is free
    ///   or the directory cannot take the file. Either way nothing is left behind.
    /// - Complexity: O(size of `contents` + names tried).
    public static func writeWithSuffix(_ contents: String, to path: String) throws -> String {
        try FileTarget.createDirectory(for: path)
        let temp = try writeTemporary(contents, beside: path)
        do {
            for n in 1...FileTarget.suffixLimit {
                let candidate = FileTarget.name(path, suffix: n)
                if try FileTarget.moveIfAbsent(temp, to: candidate) { return candidate }
            }
        } catch {
            unlink(temp)
            throw error
        }
        unlink(temp)
        throw InputError("cannot create \(path): every name up to \(FileTarget.name(path, suffix: FileTarget.suffixLimit)) is taken")
    }

    /// A new hidden file beside `path` holding `contents`, synced; removed again if the writing fails.
    private static func writeTemporary(_ contents: String, beside path: String) throws -> String {
        let (fd, temp) = try FileTarget.createTemporary(beside: path)
        var failure = Array(contents.utf8).withUnsafeBytes { FileTarget.writeAll(fd, $0) }
        if failure == 0, fsync(fd) != 0, errno != EINVAL { failure = errno }
        if close(fd) != 0, failure == 0 { failure = errno }
        guard failure == 0 else {
            unlink(temp)
            throw OutputError(path: path, code: failure)
        }
        return temp
    }

    static let advice = "choose another file"

    /// The identities of the files that exist among `paths`.
    static func identities(_ paths: [String]) -> Set<FileIdentity> {
        Set(paths.compactMap(FileIdentity.init(path:)))
    }
}
