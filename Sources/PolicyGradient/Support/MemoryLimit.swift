import Foundation

/// The most memory a run may plan to use: ``MemoryEstimate/check(against:)`` refuses a run whose
/// estimate exceeds it, before anything large is allocated.
///
/// By default it is ``defaultFraction`` of the memory this process can have: the machine's
/// physical memory (`ProcessInfo.physicalMemory`), or the control group's limit when that is
/// lower (a Slurm job's `--mem`, a container's memory limit; Linux `memory.max` or
/// `memory.limit_in_bytes`).
public struct MemoryLimit: Sendable, Equatable, CustomStringConvertible {
    /// The limit in bytes.
    public var bytes: Double
    /// How it was derived, for messages (`50% of the 23 GiB of physical memory`); nil for a
    /// limit given as a size.
    public var origin: String?
    /// Whether the limit given was above what the process can have (``availableMemory``) and
    /// was lowered to it.
    public var isLowered = false

    /// The default fraction of the available memory a run may plan to use: one half, so that a
    /// run that would take the whole machine (or several such runs at once) is refused rather
    /// than swapped or killed, with room left for the system and other work.
    public static let defaultFraction = 0.5

    /// A limit of `bytes`, derived as `origin` says (nil: given as a size).
    public init(bytes: Double, origin: String? = nil) {
        self.bytes = bytes
        self.origin = origin
    }

    /// ``defaultFraction`` of ``availableMemory``.
    public static var `default`: MemoryLimit { fraction(defaultFraction) }

    /// A fraction of ``availableMemory``.
    /// - Precondition: `0 < fraction`.
    public static func fraction(_ fraction: Double) -> MemoryLimit {
        precondition(fraction > 0, "a memory fraction is positive")
        let (total, what) = availableMemory
        return MemoryLimit(bytes: fraction * total,
                           origin: "\(SettingValue.format(fraction * 100))% of the \(format(bytes: total)) of \(what)")
    }

    /// Parses a limit as the command line gives it: bytes with a suffix `K`, `M`, `G` or `T`
    /// (powers of 1024, optionally followed by `B` or `iB`: `4G`, `512MiB`, `1.5T`), a plain
    /// number of bytes, a percentage of the available memory (`80%`), or a fraction of it in
    /// (0, 1] (`0.8`); the number in pg's one grammar (``NumberSyntax``: no spaces, no leading
    /// `+` or zeros).
    ///
    /// A limit is a ceiling under what the process can have: one above ``availableMemory`` (the
    /// machine's memory, or its control group's limit) is lowered to it, its ``origin`` saying
    /// so, so that no estimate can pass a limit the machine cannot give and the allocation then
    /// fail.
    /// - Throws: ``InputError`` (field `memory_limit`) for anything else, or a limit of zero.
    public init(parsing text: String) throws {
        func fail() -> InputError {
            InputError(field: "memory_limit", "expected a size such as 4G or 512M, a percentage such as 80%, "
                       + "or a fraction of the memory such as 0.8, got '\(text)'" + NumberSyntax.hint(text))
        }
        if text.hasSuffix("%") {
            guard let p = NumberSyntax.double(text.dropLast()), p > 0, p <= 100 else { throw fail() }
            self = .fraction(p / 100)
            return
        }
        if let x = NumberSyntax.double(text), x > 0 {
            self = x <= 1 ? .fraction(x) : MemoryLimit.ceiling(bytes: x.rounded(.down), given: text)
            return
        }
        var body = Substring(text)
        for unit in ["iB", "IB", "ib", "B", "b"] where body.hasSuffix(unit) && body.count > unit.count { body.removeLast(unit.count); break }
        let powers: [Character: Double] = ["K": 1, "M": 2, "G": 3, "T": 4, "k": 1, "m": 2, "g": 3, "t": 4]
        guard let unit = body.last, let power = powers[unit], let x = NumberSyntax.double(body.dropLast()), x > 0 else {
            throw fail()
        }
        self = MemoryLimit.ceiling(bytes: x * pow(1024, power), given: text)
    }

    /// A limit of `bytes` as given (`given`), lowered to ``availableMemory`` when above it.
    static func ceiling(bytes: Double, given: String) -> MemoryLimit {
        let (available, what) = availableMemory
        guard bytes > available else { return MemoryLimit(bytes: bytes) }
        var limit = MemoryLimit(bytes: available, origin: "all of the \(what) (memory_limit \(given) is more than this "
                                + "machine can give)")
        limit.isLowered = true
        return limit
    }

    /// `4.0 GiB`, or `12 GiB, 50% of the 23 GiB of physical memory`.
    public var description: String { MemoryLimit.format(bytes: bytes) + (origin.map { ", " + $0 } ?? "") }

    // MARK: What the process can have

    /// The memory this process can have and what it is: `physical memory`, or the control
    /// group's limit when it is lower.
    public static var availableMemory: (bytes: Double, what: String) {
        let physical = Double(ProcessInfo.processInfo.physicalMemory)
        if let group = controlGroupLimit(), group < physical { return (group, "the control group's memory limit") }
        return (physical, "physical memory")
    }

    /// The memory limit of this process's control group, if there is one: the lowest of the
    /// limits on the path of its group (a limit on a parent group binds its children too), read
    /// from cgroup v2 `memory.max` or v1 `memory.limit_in_bytes` under `/sys/fs/cgroup`, the
    /// group's path taken from `/proc/self/cgroup` (a Slurm job's group lies below the root).
    static func controlGroupLimit() -> Double? {
        let membership = (try? InputFile.read(path: "/proc/self/cgroup", limit: 1 << 16, what: "the cgroup list"))
            .map { String(decoding: $0, as: UTF8.self) } ?? ""
        return controlGroupLimit(membership: membership) { path in
            (try? InputFile.read(path: path, limit: 64, what: "a cgroup file")).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// The lowest memory limit on the paths that `membership` (the text of `/proc/self/cgroup`)
    /// names, reading each limit file with `read`; nil when none sets a limit.
    /// - Complexity: O(depth of the groups).
    static func controlGroupLimit(membership: String, root: String = "/sys/fs/cgroup", read: (String) -> String?) -> Double? {
        var files = ["\(root)/memory.max", "\(root)/memory/memory.limit_in_bytes"]
        for line in membership.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let v2 = parts[0] == "0" && parts[1].isEmpty, v1 = parts[1].split(separator: ",").contains("memory")
            guard v2 || v1 else { continue }
            var prefix = ""
            for component in parts[2].split(separator: "/") where component != ".." {
                prefix += "/" + component
                files.append(v2 ? "\(root)\(prefix)/memory.max" : "\(root)/memory\(prefix)/memory.limit_in_bytes")
            }
        }
        let limits = files.compactMap { read($0).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) } }
            .filter { $0 > 0 && $0 < 1e18 }  // "max" (v2) and v1's 2^63 - 4096 mean no limit
        return limits.min()
    }

    /// `812 bytes`, `3.2 KiB`, `11.7 GiB`, `2.4 TiB`, `9e+06 TiB`.
    public static func format(bytes: Double) -> String {
        guard bytes >= 1024 else { return "\(Int(max(bytes, 0))) bytes" }
        var x = bytes / 1024
        for unit in ["KiB", "MiB", "GiB"] {
            if x < 1024 { return String(format: x < 10 ? "%.1f" : "%.0f", x) + " " + unit }
            x /= 1024
        }
        return String(format: x < 10 ? "%.1f" : x < 10_000 ? "%.0f" : "%.2g", x) + " TiB"
    }
}
