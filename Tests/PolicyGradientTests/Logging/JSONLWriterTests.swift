import Foundation
@testable import PolicyGradient
import XCTest

/// ``JSONLWriter``: exclusive creation, the next free `-N` name, `--force`'s rules, and a log
/// that is whole lines or nothing, even when the disk fills.
final class JSONLWriterTests: XCTestCase {
    typealias S = ScratchFiles

    func line(_ i: Int, pad: Int = 0) -> JSONValue {
        .object([("i", .int(i)), ("pad", .string(String(repeating: "x", count: pad)))])
    }

    func testCreatesAFileOfWholeLines() throws {
        let dir = try S.directory(self)
        let w = try JSONLWriter(path: dir + "/runs/a.jsonl")
        for i in 0..<3 { try w.write(line(i)) }
        XCTAssertEqual(w.lineCount, 3)
        try w.close()
        try w.close()
        XCTAssertEqual(S.text(dir + "/runs/a.jsonl"), (0..<3).map { line($0).text + "\n" }.joined())
    }

    func testANewFileOnlyNeverAnExistingEntry() throws {
        let dir = try S.directory(self)
        try "keep\n".write(toFile: dir + "/a.jsonl", atomically: false, encoding: .utf8)
        XCTAssertEqual(symlink(dir + "/nowhere", dir + "/dangling.jsonl"), 0)
        XCTAssertEqual(mkfifo(dir + "/fifo", 0o644), 0)
        XCTAssertEqual(S.error { _ = try JSONLWriter(path: dir + "/a.jsonl") },
                       "\(dir)/a.jsonl exists; pass --force to overwrite it or --out to choose another file")
        XCTAssertTrue(S.error { _ = try JSONLWriter(path: dir + "/dangling.jsonl") }.contains("exists; pass --force"))
        XCTAssertEqual(S.kind(dir + "/nowhere"), "absent", "a link is never followed")
        XCTAssertEqual(S.error { _ = try JSONLWriter(path: dir + "/fifo", mode: .create) },
                       "\(dir)/fifo is a FIFO, not a regular file; pg never replaces one, so choose another file")
        XCTAssertEqual(S.text(dir + "/a.jsonl"), "keep\n")
    }

    func testTheNextFreeSuffix() throws {
        let dir = try S.directory(self)
        try FileManager.default.createDirectory(atPath: dir + "/a-2.jsonl", withIntermediateDirectories: false)
        var paths: [String] = []
        for _ in 0..<3 {
            let w = try JSONLWriter(path: dir + "/a.jsonl", mode: .createWithSuffix)
            try w.write(line(0))
            try w.close()
            paths.append(w.path)
        }
        XCTAssertEqual(paths, [dir + "/a.jsonl", dir + "/a-3.jsonl", dir + "/a-4.jsonl"], "a-2.jsonl is taken by a directory")
        let bare = try JSONLWriter(path: dir + "/a.jsonl-3", mode: .createWithSuffix)
        try bare.write(line(0))
        let bare2 = try JSONLWriter(path: dir + "/log", mode: .createWithSuffix)
        try bare2.write(line(0))
        let bare3 = try JSONLWriter(path: dir + "/log", mode: .createWithSuffix)
        XCTAssertEqual([bare.path, bare2.path, bare3.path], [dir + "/a.jsonl-3", dir + "/log", dir + "/log-2"])
    }

    /// Writers racing for one name on eight threads each get their own file, holding only
    /// their own lines.
    func testSimultaneousWritersGetDistinctFiles() throws {
        let dir = try S.directory(self)
        for round in 0..<10 {
            let group = DispatchGroup()
            let paths = PathList()
            for t in 0..<8 {
                let lines = (0..<20).map { line(t * 100 + $0) }
                DispatchQueue.global().async(group: group) {
                    guard let w = try? JSONLWriter(path: dir + "/r\(round).jsonl", mode: .createWithSuffix) else { return }
                    for l in lines { try? w.write(l) }
                    try? w.close()
                    paths.append(w.path)
                }
            }
            group.wait()
            XCTAssertEqual(Set(paths.items).count, 8, "round \(round)")
            for p in paths.items {
                let ids = try JSONLReader.read(path: p).map { $0["i"]?.exactInt ?? -1 }
                XCTAssertEqual(ids.count, 20, p)
                XCTAssertEqual(Set(ids.map { $0 / 100 }).count, 1, "\(p) mixes two writers' lines")
            }
        }
    }

    final class PathList: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var items: [String] = []
        func append(_ p: String) { lock.lock(); items.append(p); lock.unlock() }
    }

    /// `--force`: the old file stays until the new log's first line is written, then the new
    /// log takes its place; a link is replaced itself; nothing else is ever replaced.
    func testReplaceRules() throws {
        let dir = try S.directory(self)
        try "old\n".write(toFile: dir + "/a.jsonl", atomically: false, encoding: .utf8)
        let w = try JSONLWriter(path: dir + "/a.jsonl", mode: .replace)
        XCTAssertEqual(S.text(dir + "/a.jsonl"), "old\n")
        try w.write(line(1))
        XCTAssertEqual(S.text(dir + "/a.jsonl"), line(1).text + "\n")
        try w.write(line(2))
        try w.close()
        XCTAssertEqual(S.names(dir), ["a.jsonl"])

        try "target\n".write(toFile: dir + "/target", atomically: false, encoding: .utf8)
        XCTAssertEqual(symlink(dir + "/target", dir + "/link"), 0)
        let viaLink = try JSONLWriter(path: dir + "/link", mode: .replace)
        try viaLink.write(line(3))
        try viaLink.close()
        XCTAssertEqual([S.kind(dir + "/link"), S.text(dir + "/target")], ["regular", "target\n"])

        XCTAssertEqual(mkfifo(dir + "/fifo", 0o644), 0)
        try FileManager.default.createDirectory(atPath: dir + "/d", withIntermediateDirectories: false)
        XCTAssertEqual(S.error { _ = try JSONLWriter(path: dir + "/fifo", mode: .replace) },
                       "\(dir)/fifo is a FIFO, not a regular file; pg never replaces one, so choose another file")
        XCTAssertTrue(S.error { _ = try JSONLWriter(path: dir + "/d", mode: .replace) }.hasSuffix("d is a directory, not a regular file; pg never replaces one, so choose another file"))
        XCTAssertTrue(S.error { _ = try JSONLWriter(path: dir + "/a.jsonl", mode: .replace, protecting: [dir + "/a.jsonl"]) }
            .hasSuffix("a.jsonl is one of this command's input files; pg never writes over an input, so choose another file"))
        XCTAssertEqual(S.names(dir), ["a.jsonl", "d", "fifo", "link", "target"], "no temporary file left")
        try S.deviceNode(dir + "/null")
        XCTAssertTrue(S.error { _ = try JSONLWriter(path: dir + "/null", mode: .replace) }.contains("is a character device"))
        XCTAssertEqual(S.kind(dir + "/null"), "device")
    }

    /// A log that never received a complete line does not exist, whether it is closed or
    /// dropped; a replacement that wrote nothing leaves the old file.
    func testAFileWithoutACompleteLineIsRemoved() throws {
        let dir = try S.directory(self)
        try JSONLWriter(path: dir + "/closed.jsonl").close()
        _ = try JSONLWriter(path: dir + "/dropped.jsonl", mode: .createWithSuffix)
        try "old\n".write(toFile: dir + "/kept.jsonl", atomically: false, encoding: .utf8)
        try JSONLWriter(path: dir + "/kept.jsonl", mode: .replace).close()
        XCTAssertEqual(S.names(dir), ["kept.jsonl"])
        XCTAssertEqual(S.text(dir + "/kept.jsonl"), "old\n")
    }

    /// On a full disk the write throws one line naming the path and the reason, and the file
    /// is cut back to its complete lines; later writes throw the same error.
    func testAFullDiskCutsTheLogBackToWholeLines() throws {
        let disk = try S.smallDisk(self, bytes: 16 << 10)
        let w = try JSONLWriter(path: disk + "/run.jsonl")
        var written = 0
        let failure = S.error {
            for i in 0..<1000 {
                try w.write(line(i, pad: 700))
                written += 1
            }
        }
        XCTAssertEqual(failure, "cannot write \(disk)/run.jsonl: No space left on device")
        XCTAssertGreaterThan(written, 3)
        XCTAssertEqual(S.error { try w.write(line(0)) }, failure)
        try w.close()
        let text = S.text(disk + "/run.jsonl")
        XCTAssertEqual(text, (0..<written).map { line($0, pad: 700).text + "\n" }.joined())
    }

    func testAFullDiskBeforeTheFirstLineLeavesNothing() throws {
        let disk = try S.smallDisk(self, bytes: 16 << 10)
        try "old\n".write(toFile: disk + "/old.jsonl", atomically: false, encoding: .utf8)
        S.fill(disk)
        for (name, mode) in [("new.jsonl", JSONLWriter.Mode.create), ("old.jsonl", .replace)] {
            let w = try JSONLWriter(path: disk + "/" + name, mode: mode)
            XCTAssertEqual(S.error { try w.write(line(0, pad: 5000)) }, "cannot write \(disk)/\(name): No space left on device")
            try w.close()
        }
        XCTAssertEqual(S.names(disk), ["filler", "old.jsonl"])
        XCTAssertEqual(S.text(disk + "/old.jsonl"), "old\n")
    }
}
