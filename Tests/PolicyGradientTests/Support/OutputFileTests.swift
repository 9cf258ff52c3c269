import Foundation
@testable import PolicyGradient
import XCTest

/// Whole-file outputs (``OutputFile``) and size-limited inputs (``InputFile``): nothing is
/// replaced without permission, never a non-regular file or an input, nothing half-written.
final class OutputFileTests: XCTestCase {
    typealias S = ScratchFiles

    func testANewFileAndNoTemporaryLeftBehind() throws {
        let dir = try S.directory(self)
        try OutputFile.write("<svg/>\n", to: dir + "/sub/p.svg", replacing: false)
        XCTAssertEqual(S.text(dir + "/sub/p.svg"), "<svg/>\n")
        XCTAssertEqual(S.names(dir + "/sub"), ["p.svg"])
    }

    /// A default output name (`pg bench`'s `runs/bench-TIMESTAMP.json`) is never refused and
    /// never replaced: a taken name moves on to `-2`, `-3`, …, and writers racing for one name
    /// each get their own file, whole.
    func testADefaultNameTakesTheNextFreeSuffixEvenUnderARace() throws {
        let dir = try S.directory(self), path = dir + "/sub/bench-1.json"
        XCTAssertEqual(try OutputFile.writeWithSuffix("a\n", to: path), path)
        XCTAssertEqual(try OutputFile.writeWithSuffix("b\n", to: path), dir + "/sub/bench-1-2.json")
        XCTAssertEqual(S.text(path), "a\n")
        let writers = 8
        let taken = LockedPaths()
        DispatchQueue.concurrentPerform(iterations: writers) { i in
            if let p = try? OutputFile.writeWithSuffix("w\(i)\n", to: path) { taken.append(p) }
        }
        XCTAssertEqual(Set(taken.paths).count, writers, "two writers got one name: \(taken.paths)")
        XCTAssertEqual(Set(S.names(dir + "/sub")).count, writers + 2, "a temporary left behind or a file lost: \(S.names(dir + "/sub"))")
        XCTAssertEqual(Set(taken.paths.map { S.text($0) }), Set((0..<writers).map { "w\($0)\n" }))
        XCTAssertEqual(try OutputFile.writeWithSuffix("c\n", to: dir + "/plain"), dir + "/plain")
        XCTAssertEqual(try OutputFile.writeWithSuffix("d\n", to: dir + "/plain"), dir + "/plain-2")
    }

    func testAnExistingFileIsReplacedOnlyWhenAsked() throws {
        let dir = try S.directory(self), path = dir + "/p.svg"
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        XCTAssertEqual(link(path, dir + "/hard"), 0)
        XCTAssertEqual(S.error { try OutputFile.write("new", to: path, replacing: false) },
                       "\(path) exists; pass --force to overwrite it or choose another file")
        XCTAssertEqual(S.text(path), "old")
        try OutputFile.write("new", to: path, replacing: true)
        XCTAssertEqual(S.text(path), "new")
        XCTAssertEqual(S.text(dir + "/hard"), "old", "the file is replaced, not written through: other links keep the old text")
        XCTAssertEqual(S.names(dir), ["hard", "p.svg"])
    }

    /// A symbolic link is replaced itself (with `replacing`); the file it points to is never
    /// written, and a dangling link is not followed either.
    func testASymbolicLinkIsReplacedNotFollowed() throws {
        let dir = try S.directory(self)
        try "target".write(toFile: dir + "/target", atomically: false, encoding: .utf8)
        XCTAssertEqual(symlink(dir + "/target", dir + "/link"), 0)
        XCTAssertEqual(symlink(dir + "/nowhere", dir + "/dangling"), 0)
        XCTAssertTrue(S.error { try OutputFile.write("x", to: dir + "/link", replacing: false) }.hasSuffix("link exists; pass --force to overwrite it or choose another file"))
        XCTAssertTrue(S.error { try OutputFile.write("x", to: dir + "/dangling", replacing: false) }.contains("exists"))
        XCTAssertEqual(S.kind(dir + "/nowhere"), "absent")
        try OutputFile.write("new", to: dir + "/link", replacing: true)
        XCTAssertEqual(S.kind(dir + "/link"), "regular")
        XCTAssertEqual(S.text(dir + "/link"), "new")
        XCTAssertEqual(S.text(dir + "/target"), "target")
    }

    func testNonRegularFilesAreNeverReplaced() throws {
        let dir = try S.directory(self)
        XCTAssertEqual(mkfifo(dir + "/fifo", 0o644), 0)
        try FileManager.default.createDirectory(atPath: dir + "/d", withIntermediateDirectories: false)
        for (name, kind) in [("fifo", "a FIFO"), ("d", "a directory")] {
            for replacing in [false, true] {
                XCTAssertEqual(S.error { try OutputFile.write("x", to: dir + "/" + name, replacing: replacing) },
                               "\(dir)/\(name) is \(kind), not a regular file; pg never replaces one, so choose another file")
                XCTAssertThrowsError(try OutputFile.check(dir + "/" + name, replacing: replacing))
            }
        }
        XCTAssertEqual([S.kind(dir + "/fifo"), S.kind(dir + "/d")], ["fifo", "directory"])
        XCTAssertEqual(S.names(dir), ["d", "fifo"], "no temporary file left")
        try S.deviceNode(dir + "/null")
        XCTAssertEqual(S.error { try OutputFile.write("x", to: dir + "/null", replacing: true) },
                       "\(dir)/null is a character device, not a regular file; pg never replaces one, so choose another file")
        XCTAssertEqual(S.kind(dir + "/null"), "device")
    }

    /// Inputs are recognised by device and inode: another spelling or a hard link is caught; a
    /// symbolic link to an input may be replaced, since that leaves the input alone.
    func testInputsAreNeverReplaced() throws {
        let dir = try S.directory(self), input = dir + "/in.jsonl"
        try "{}\n".write(toFile: input, atomically: false, encoding: .utf8)
        XCTAssertEqual(link(input, dir + "/hard.jsonl"), 0)
        XCTAssertEqual(symlink(input, dir + "/soft.jsonl"), 0)
        for path in [input, dir + "/./in.jsonl", dir + "/hard.jsonl"] {
            XCTAssertEqual(S.error { try OutputFile.write("x", to: path, replacing: true, protecting: [input]) },
                           "\(path) is one of this command's input files; pg never writes over an input, so choose another file")
        }
        try OutputFile.write("plot", to: dir + "/soft.jsonl", replacing: true, protecting: [dir + "/soft.jsonl"])
        XCTAssertEqual(S.text(input), "{}\n")
        XCTAssertEqual(S.kind(dir + "/soft.jsonl"), "regular")
    }

    func testAFullDiskLeavesTheDestinationUntouched() throws {
        let disk = try S.smallDisk(self, bytes: 64 << 10)
        try "old".write(toFile: disk + "/p.svg", atomically: false, encoding: .utf8)
        let big = String(repeating: "x", count: 256 << 10)
        XCTAssertEqual(S.error { try OutputFile.write(big, to: disk + "/p.svg", replacing: true) },
                       "cannot write \(disk)/p.svg: No space left on device")
        XCTAssertEqual(S.text(disk + "/p.svg"), "old")
        XCTAssertEqual(S.error { try OutputFile.write(big, to: disk + "/q.svg", replacing: false) },
                       "cannot write \(disk)/q.svg: No space left on device")
        XCTAssertEqual(S.names(disk), ["p.svg"], "no temporary or partial file left")
    }

    // MARK: Inputs

    func testInputFilesAreRefusedBeyondTheLimitBeforeReading() throws {
        let dir = try S.directory(self), path = dir + "/big.json"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x20, count: 101)))
        XCTAssertEqual(S.error { _ = try InputFile.read(path: path, limit: 100, what: "the spec") },
                       "\(path): the spec is larger than the 100 bytes limit (101 bytes)")
        XCTAssertEqual(try InputFile.read(path: path, limit: 101, what: "the spec").count, 101)
        XCTAssertEqual(truncate(path, 1 << 40), 0, "a sparse terabyte: refused by its size, never read")
        XCTAssertEqual(S.error { _ = try InputFile.read(path: path, limit: 16 << 20, what: "the spec") },
                       "\(path): the spec is larger than the 16 MiB limit (1099511627776 bytes)")
        XCTAssertEqual(S.error { _ = try InputFile.read(path: dir, limit: 100, what: "the spec") },
                       "cannot read the spec \(dir): it is a directory")
        XCTAssertEqual(S.error { _ = try InputFile.read(path: dir + "/none", limit: 100, what: "the spec") },
                       "cannot read the spec \(dir)/none: No such file or directory")
        XCTAssertEqual(try InputFile.read(path: "/dev/null", limit: 100, what: "x"), [])
    }

    /// Endless or unsized inputs (devices, pipes) are read up to the limit and no further.
    func testEndlessInputsStopAtTheLimit() throws {
        XCTAssertEqual(S.error { _ = try InputFile.read(path: "/dev/zero", limit: 100_000, what: "the log") },
                       "/dev/zero: the log is larger than the 97 KiB limit")
        var ends: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&ends), 0, "a pipe with a writer, as `pg plot <(cat log)` gives")
        let writeEnd = ends[1], done = DispatchSemaphore(value: 0)
        let writer = Thread { // 30 000 bytes: the pipe holds what the reader leaves, so no SIGPIPE
            defer { done.signal() }
            let chunk = [UInt8](repeating: 0x41, count: 1000)
            for _ in 0..<30 { _ = chunk.withUnsafeBytes { write(writeEnd, $0.baseAddress!, $0.count) } }
            close(writeEnd)
        }
        writer.start()
        XCTAssertEqual(S.error { _ = try InputFile.read(path: "/dev/fd/\(ends[0])", limit: 10_000, what: "the log") },
                       "/dev/fd/\(ends[0]): the log is larger than the 9 KiB limit")
        done.wait()
        close(ends[0])
        let dir = try S.directory(self)
        XCTAssertEqual(mkfifo(dir + "/nobody", 0o644), 0)
        XCTAssertEqual(try InputFile.read(path: dir + "/nobody", limit: 100, what: "the log"), [], "no writer: empty, no wait")
    }
}

/// Paths collected from concurrent writers.
private final class LockedPaths: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var paths: [String] = []
    func append(_ p: String) { lock.lock(); paths.append(p); lock.unlock() }
}
