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
    /// (0, 1] (`0.8`).
    /// - Throws: ``InputError`` (field `memory_limit`) for anything else, or a limit of zero.
    public init(parsing text: String) throws {
        let s = text.trimmingCharacters(in: .whitespaces)
        func fail() -> InputError {
            InputError(field: "memory_limit", "expected a size such as 4G or 512M, a percentage such as 80%, "
                       + "or a fraction of the memory such as 0.8, got '\(text)'")
        }
        if s.hasSuffix("%") {
            guard let p = Double(s.dropLast()), p.isFinite, p > 0, p <= 100 else { throw fail() }
            self = .fraction(p / 100)
            return
        }
        if let x = Double(s), x.isFinite, x > 0 {
            self = x <= 1 ? .fraction(x) : MemoryLimit(bytes: x.rounded(.down))
            return
        }
        var body = s.uppercased()
        for unit in ["IB", "B"] where body.hasSuffix(unit) && body.count > unit.count { body.removeLast(unit.count); break }
        let powers: [Character: Double] = ["K": 1, "M": 2, "G": 3, "T": 4]
        guard let unit = body.last, let power = powers[unit], let x = Double(body.dropLast()), x.isFinite, x > 0 else {
            throw fail()
        }
        let bytes = x * pow(1024, power)
        self.init(bytes: bytes)
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

    /// The memory limit of this process's control group (cgroup v2 `memory.max`, else v1
    /// `memory.limit_in_bytes`), if there is one.
    static func controlGroupLimit() -> Double? {
        for path in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            guard let bytes = try? InputFile.read(path: path, limit: 64, what: "a cgroup file") else { continue }
            let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if let n = Double(text), n > 0, n < 1e18 { return n }
        }
        return nil
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
