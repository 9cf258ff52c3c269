import Foundation
import PolicyGradient
import XCTest

/// The built `pg` when its outputs fail: a full disk, a file-size limit, a closed or full
/// standard output, a broken pipe, and `--force` on files that are not regular files. Each
/// run must end with the documented status, at most one line on standard error, and no log
/// that is half-written or replaced.
final class IOFailureTests: XCTestCase {
    typealias P = ProcessRun
    let longRun = ["--env", "bandit10", "--iterations", "100000", "--threads", "1", "--quiet"]

    /// A tmpfs of `bytes` mounted in a fresh temporary directory (root only), unmounted at the end.
    func smallDisk(bytes: Int) throws -> String {
        guard geteuid() == 0 else { throw XCTSkip("mounting a small tmpfs needs root") }
        let disk = try temporaryDirectory(self) + "/disk"
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: false)
        guard mount("tmpfs", disk, "tmpfs", 0, "size=\(bytes)") == 0 else { throw XCTSkip("cannot mount a tmpfs here") }
        addTeardownBlock { umount2(disk, Int32(MNT_DETACH)) }
        return disk
    }

    /// The log is whole lines, starts with the config line, and every update line is there.
    func assertWholeLog(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let lines = try XCTUnwrap(try P.wholeLines(path), "no log at \(path)", file: file, line: line)
        XCTAssertEqual(lines.first?["type"]?.stringValue, "config", file: file, line: line)
        XCTAssertEqual(lines.dropFirst().filter { $0["type"]?.stringValue == "iteration" }.map { $0["iteration"]?.exactInt },
                       Array(0..<lines.dropFirst().filter { $0["type"]?.stringValue == "iteration" }.count), file: file, line: line)
    }

    func testAFullDiskEndsTheRunWithOneLineAndAWholeLog() throws {
        let disk = try smallDisk(bytes: 32 << 10)
        let r = try P.run(longRun + ["--out", disk + "/run.jsonl"], in: disk)
        XCTAssertEqual(r.status, 1, r.err)
        XCTAssertEqual(r.err, "pg: error: cannot write \(disk)/run.jsonl: No space left on device\n")
        XCTAssertEqual(r.out, "")
        try assertWholeLog(disk + "/run.jsonl")
        XCTAssertGreaterThan(try P.wholeLines(disk + "/run.jsonl")?.count ?? 0, 10)
        XCTAssertEqual(P.names(disk), ["run.jsonl"], "no temporary file left")
    }

    func testADiskFullFromTheStartLeavesNoLog() throws {
        let disk = try smallDisk(bytes: 16 << 10)
        let fd = open(disk + "/filler", O_WRONLY | O_CREAT, 0o644)
        let block = [UInt8](repeating: 1, count: 4096)
        while block.withUnsafeBytes({ write(fd, $0.baseAddress!, $0.count) }) > 0 {}
        close(fd)
        for extra in [[], ["--force"]] {
            let r = try P.run(longRun + ["--out", disk + "/run.jsonl"] + extra, in: disk)
            XCTAssertEqual(r.status, 1, r.err)
            XCTAssertEqual(r.err, "pg: error: cannot write \(disk)/run.jsonl: No space left on device\n")
            XCTAssertEqual(P.names(disk), ["filler"], "a log without a complete line is removed")
        }
    }

    /// A file-size limit (`ulimit -f`) is a full disk that needs no root: EFBIG, not SIGXFSZ.
    func testAFileSizeLimitIsReportedLikeAFullDisk() throws {
        let dir = try temporaryDirectory(self)
        let r = try P.run(longRun + ["--out", dir + "/run.jsonl"], in: dir, limitFileSize: 40)
        XCTAssertEqual(r.reason, .exit)
        XCTAssertEqual(r.status, 1, r.err)
        XCTAssertEqual(r.err, "pg: error: cannot write \(dir)/run.jsonl: File too large\n")
        try assertWholeLog(dir + "/run.jsonl")
    }

    /// With standard output closed (`>&-`), the run still completes its log — no file takes
    /// descriptor 1 — and ends with status 1 and one line saying what failed.
    func testAClosedStandardOutput() throws {
        let dir = try temporaryDirectory(self)
        let envs = try P.run(["envs"], in: dir, stdout: .closed)
        XCTAssertEqual(envs.status, 1)
        XCTAssertEqual(envs.err, "pg: error: cannot write standard output: Bad file descriptor\n")
        let train = try P.run(["--env", "toy", "--iterations", "5", "--out", "run.jsonl", "--quiet"], in: dir, stdout: .closed)
        XCTAssertEqual(train.status, 1)
        XCTAssertEqual(train.err, "pg: error: cannot write standard output: Bad file descriptor\n")
        let lines = try XCTUnwrap(try P.wholeLines(dir + "/run.jsonl"))
        XCTAssertEqual(lines.map { $0["type"]?.stringValue ?? "" }, ["config"] + Array(repeating: "iteration", count: 5) + ["summary"])
    }

    func testAFullStandardOutput() throws {
        let dir = try temporaryDirectory(self)
        var full = "/dev/full"
        if geteuid() == 0, mknod(dir + "/full", S_IFCHR | 0o666, dev_t(1 << 8 | 7)) == 0 { full = dir + "/full" } // makedev(1, 7)
        guard FileManager.default.fileExists(atPath: full) else { throw XCTSkip("no /dev/full") }
        let r = try P.run(["envs"], in: dir, stdout: .path(full))
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.err, "pg: error: cannot write standard output: No space left on device\n")
    }

    /// A broken pipe (`pg envs | head -1`): the reader chose to stop, so pg says nothing and
    /// exits 141 as a process ended by SIGPIPE would; the run itself completes.
    func testABrokenPipeIsQuietAndExits141() throws {
        let dir = try temporaryDirectory(self)
        let envs = try P.run(["envs"], in: dir, stdout: .brokenPipe)
        XCTAssertEqual([envs.reason == .exit ? 0 : 1, envs.status], [0, 141], "killed by SIGPIPE?")
        XCTAssertEqual(envs.err, "")
        let train = try P.run(["--env", "toy", "--iterations", "3", "--out", "run.jsonl", "--quiet"], in: dir, stdout: .brokenPipe)
        XCTAssertEqual(train.status, 141)
        XCTAssertEqual(try P.wholeLines(dir + "/run.jsonl")?.last?["status"]?.stringValue, "completed")
        let bad = try P.run(["--env", "nope"], in: dir, stdout: .brokenPipe)
        XCTAssertEqual(bad.status, 2, "bad input keeps its status")
    }

    /// `--force` replaces a regular file or a symbolic link (the link itself), and never a
    /// FIFO, a device node or a directory, which stay as they were.
    func testForceNeverReplacesSpecialFiles() throws {
        let dir = try temporaryDirectory(self)
        let run = ["--env", "toy", "--iterations", "2", "--threads", "1", "--quiet", "--force", "--out"]
        XCTAssertEqual(mkfifo(dir + "/fifo", 0o644), 0)
        try FileManager.default.createDirectory(atPath: dir + "/d", withIntermediateDirectories: false)
        var targets = [("fifo", "a FIFO"), ("d", "")]
        if geteuid() == 0, mknod(dir + "/null", S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0 { targets.append(("null", "a character device")) }
        for (name, kind) in targets {
            let r = try P.run(run + [dir + "/" + name], in: dir)
            XCTAssertEqual(r.status, 2, name)
            let expected = kind.isEmpty ? "--out: \(dir)/d is a directory; give a file path such as \(dir)/d/run.jsonl"
                : "--out: \(dir)/\(name) is \(kind), not a regular file; pg never replaces one, so choose another file"
            XCTAssertEqual(r.err, "pg: error: \(expected)\n")
        }
        XCTAssertEqual(P.names(dir), ["d", "fifo"] + (targets.count > 2 ? ["null"] : []), "nothing replaced, nothing left behind")
        var st = stat()
        XCTAssertEqual(lstat(dir + "/fifo", &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO, true)
        if targets.count > 2 {
            XCTAssertEqual(lstat(dir + "/null", &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR && st.st_rdev == dev_t(1 << 8 | 3), true)
        }
        try "the target\n".write(toFile: dir + "/target", atomically: false, encoding: .utf8)
        XCTAssertEqual(symlink(dir + "/target", dir + "/link"), 0)
        let linked = try P.run(run + [dir + "/link"], in: dir)
        XCTAssertEqual(linked.status, 0, linked.err)
        XCTAssertEqual(lstat(dir + "/link", &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG, true, "the link itself is replaced")
        XCTAssertEqual(try P.wholeLines(dir + "/link")?.count, 4)
        XCTAssertEqual(try String(contentsOfFile: dir + "/target", encoding: .utf8), "the target\n", "never written through")
    }
}
