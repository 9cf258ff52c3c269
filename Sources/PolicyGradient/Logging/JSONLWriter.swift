import Foundation

/// Writes JSON Lines: one object per line, each written whole with a single `write(2)` and
/// therefore never half-present in the file, even if the process is killed.
public final class JSONLWriter {
    /// Where the log goes.
    public let path: String
    private let handle: FileHandle

    /// Opens `path` for writing, creating its directory.
    /// - Parameter overwrite: replace an existing file (`--force`); otherwise an existing
    ///   file is an error.
    /// - Throws: ``InputError`` naming the path.
    public init(path: String, overwrite: Bool = false) throws {
        self.path = path
        let fm = FileManager.default
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty {
            do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw InputError("cannot create the directory \(dir) for the log")
            }
        }
        if fm.fileExists(atPath: path) && !overwrite {
            throw InputError("\(path) exists; pass --force to overwrite it or --out to choose another file")
        }
        guard fm.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw InputError("cannot write the log file \(path)")
        }
        handle = h
    }

    /// Appends one line.
    public func write(_ value: JSONValue) {
        var line = value.text
        line += "\n"
        handle.write(Data(line.utf8))
    }

    /// Closes the file.
    public func close() { try? handle.close() }

    deinit { try? handle.close() }
}
