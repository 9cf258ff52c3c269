import Foundation
import XCTest

/// Temporary directories, small disks and special files for the file-output tests.
enum ScratchFiles {
    /// A fresh temporary directory, removed when `test` ends.
    static func directory(_ test: XCTestCase) throws -> String {
        let dir = NSTemporaryDirectory() + "pg-files-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    /// A tmpfs of `bytes` mounted on a new directory inside a fresh temporary directory: a
    /// full disk of our own. Unmounted when `test` ends.
    /// - Throws: `XCTSkip` unless the process may mount file systems (root).
    static func smallDisk(_ test: XCTestCase, bytes: Int) throws -> String {
        guard geteuid() == 0 else { throw XCTSkip("mounting a small tmpfs needs root") }
        let mountPoint = try directory(test) + "/disk"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: false)
        guard mount("tmpfs", mountPoint, "tmpfs", 0, "size=\(bytes)") == 0 else {
            throw XCTSkip("cannot mount a tmpfs here: \(String(cString: strerror(errno)))")
        }
        test.addTeardownBlock { umount2(mountPoint, Int32(MNT_DETACH)) }
        return mountPoint
    }

    /// Fills the file system of `dir` with a file until it has no space left.
    static func fill(_ dir: String) {
        let fd = open(dir + "/filler", O_WRONLY | O_CREAT, 0o644)
        let block = [UInt8](repeating: 7, count: 4096)
        while block.withUnsafeBytes({ write(fd, $0.baseAddress!, $0.count) }) > 0 {}
        close(fd)
    }

    /// A character device node like /dev/null (1, 3) at `path`.
    /// - Throws: `XCTSkip` unless the process may make device nodes (root).
    static func deviceNode(_ path: String) throws {
        guard geteuid() == 0, mknod(path, S_IFCHR | 0o666, dev_t(1 << 8 | 3)) /* makedev(1, 3) */ == 0 else {
            throw XCTSkip("making a device node needs root")
        }
    }

    /// What is at `path` without following a link: "regular", "link", "fifo", "directory",
    /// "device", or "absent".
    static func kind(_ path: String) -> String {
        var st = stat()
        guard lstat(path, &st) == 0 else { return "absent" }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return "regular"
        case S_IFLNK: return "link"
        case S_IFIFO: return "fifo"
        case S_IFDIR: return "directory"
        case S_IFCHR: return "device"
        default: return "other"
        }
    }

    /// The file's text ("" if it cannot be read).
    static func text(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// The names in `dir`, sorted.
    static func names(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    /// The `description` of what `body` throws, or "no error".
    static func error(_ body: () throws -> Void) -> String {
        do { try body(); return "no error" } catch { return "\(error)" }
    }
}
