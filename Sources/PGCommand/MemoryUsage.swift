import Foundation

/// Resident memory of this process (Linux: /proc/self/status, /proc/self/statm, /proc/self/clear_refs).
///
/// The peak is the process's own high-water mark, `VmHWM`, which belongs to the current
/// process image: `execve` starts it afresh. (`getrusage`'s `ru_maxrss` does not: it carries the
/// peak of the image before the `execve`, so under `swift run` it reports `swift run`'s own
/// memory when that is larger.) Writing `5` to
/// `/proc/self/clear_refs` (Linux 4.0 and later) resets the mark to the current resident size,
/// so that a peak can be measured over one piece of work.
enum MemoryUsage {
    /// Current resident set size in MB (`/proc/self/statm`), or NaN where it cannot be read.
    static func residentMegabytes() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return .nan }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return .nan }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    /// The peak resident set size of this process image in MB (`VmHWM` of `/proc/self/status`),
    /// since it started or since the last ``resetPeak()``; NaN where it cannot be read.
    static func peakMegabytes() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return .nan }
        return kilobytes(of: "VmHWM", in: text).map { $0 / 1024 } ?? .nan
    }

    /// The value in kB of the `/proc/PID/status` line `KEY:   N kB`, or nil.
    static func kilobytes(of key: String, in status: String) -> Double? {
        for line in status.split(separator: "\n") where line.hasPrefix(key + ":") {
            let parts = line.dropFirst(key.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" })
            return parts.first.flatMap { Double($0) }
        }
        return nil
    }

    /// Resets the peak to the current resident size; whether the kernel allowed it.
    @discardableResult
    static func resetPeak() -> Bool {
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return write(fd, "5", 1) == 1
    }
}
