import PolicyGradient
@testable import PolicyGradient
import XCTest

/// A memory limit is a ceiling under what the process can have: never above the machine's
/// memory or its control group's limit, read along the group's path.
final class MemoryCeilingTests: XCTestCase {
    /// Above what the machine can give, a limit is lowered to it and says so (before, `1.5T`
    /// was taken as given, so an estimate could pass a limit the machine cannot give and the
    /// allocation then abort).
    func testALimitAboveTheMachineIsLoweredToIt() throws {
        let available = MemoryLimit.availableMemory.bytes
        for text in ["1000T", "1000000000000000000", "\(Int(available) + 1)"] {
            let limit = try MemoryLimit(parsing: text)
            XCTAssertEqual(limit.bytes, available, text)
            XCTAssertTrue(limit.isLowered, text)
            XCTAssertTrue(limit.description.contains("memory_limit \(text) is more than this machine can give"), limit.description)
        }
        let small = try MemoryLimit(parsing: "1M")
        XCTAssertEqual(small.bytes, 1024 * 1024)
        XCTAssertFalse(small.isLowered)
        var estimate = MemoryEstimate()
        estimate.add("a table", bytes: 2 * available, field: "hidden")
        XCTAssertThrowsError(try estimate.check(against: try MemoryLimit(parsing: "1000T"))) { error in
            XCTAssertTrue("\(error)".hasSuffix(": the run does not fit this machine"), "\(error)")
        }
    }

    /// The lowest limit on the group's path counts, v2 and v1 alike; `max` and v1's huge
    /// number mean none.
    func testTheControlGroupLimitIsTheLowestOnItsPath() {
        let files = ["/cg/memory.max": "max\n", "/cg/system.slice/memory.max": "8589934592\n",
                     "/cg/system.slice/job_1/memory.max": "2147483648\n", "/cg/system.slice/job_1/step_0/memory.max": "max\n",
                     "/cg/memory/memory.limit_in_bytes": "9223372036854771712\n",
                     "/cg/memory/slurm/uid_0/memory.limit_in_bytes": "1073741824\n"]
        let read = { (path: String) in files[path] }
        XCTAssertEqual(MemoryLimit.controlGroupLimit(membership: "0::/system.slice/job_1/step_0\n", root: "/cg", read: read), 2147483648)
        XCTAssertEqual(MemoryLimit.controlGroupLimit(membership: "4:memory:/slurm/uid_0\n0::/\n", root: "/cg", read: read), 1073741824)
        XCTAssertNil(MemoryLimit.controlGroupLimit(membership: "0::/\n", root: "/cg", read: read))
        XCTAssertNil(MemoryLimit.controlGroupLimit(membership: "", root: "/none", read: { _ in nil }))
        XCTAssertNil(MemoryLimit.controlGroupLimit(membership: "0::/a/../../b\n", root: "/cg", read: read))
    }
}
