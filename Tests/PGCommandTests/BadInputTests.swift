import Foundation
import PolicyGradient
import XCTest

/// Every case of every `BadInputCorpus/*.json` file is bad input: pg must exit with status 2,
/// print nothing on standard output, print exactly one line on standard error that starts with
/// `pg: error:` and contains the case's expected text (naming the flag or file and the valid
/// choices), and leave the case's files as they were: none changed, none added or removed.
///
/// A corpus file is a JSON array of cases (add a file of your own for a new class of input).
/// A case is `{"args": [...], "expect": "...", "files": {"name": FILE}}`, where FILE is
/// `"text"`, `{"hex": "..."}`, `{"repeat": "[", "count": N, "prefix": "...", "suffix": "..."}`
/// (text made of N copies, for deep nesting and long lines) or `{"sparse": BYTES}` (a file of
/// that size that takes no disk space, for size limits). Files are written into a fresh
/// temporary directory (a name ending in `/` makes a directory); `$TMP` in the arguments and in
/// the expected text is replaced by its path, and `$ESTIMATORS` and `$BASELINES` in the expected
/// text by the registry's names.
final class BadInputTests: XCTestCase {
    struct Case {
        var name: String
        var args: [String]
        var expect: String
        var files: [(String, File)]
    }

    enum File {
        case bytes(Data)
        case sparse(Int)
    }

    static var corpusFolder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("BadInputCorpus").path
    }

    func loadCorpus() throws -> [Case] {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpusFolder).filter { $0.hasSuffix(".json") }.sorted()
        return try names.flatMap { try loadCorpus(file: Self.corpusFolder + "/" + $0) }
    }

    func loadCorpus(file path: String) throws -> [Case] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard case let .array(items) = try JSONParser.parse(text, file: path) else {
            throw InputError("the corpus is a JSON array", file: path)
        }
        return try items.enumerated().map { i, item in
            let name = "\((path as NSString).lastPathComponent) case \(i)"
            guard case let .array(args)? = item["args"], let expect = item["expect"]?.stringValue else {
                throw InputError("\(name) needs \"args\" and \"expect\"", file: path)
            }
            var files: [(String, File)] = []
            if case let .object(pairs)? = item["files"] {
                for (fileName, value) in pairs { files.append((fileName, try Self.file(value, in: name))) }
            }
            return Case(name: name, args: args.compactMap(\.stringValue), expect: expect, files: files)
        }
    }

    static func file(_ v: JSONValue, in name: String) throws -> File {
        if let s = v.stringValue { return .bytes(Data(s.utf8)) }
        if let hex = v["hex"]?.stringValue { return .bytes(bytes(hex: hex)) }
        if let size = v["sparse"]?.exactInt { return .sparse(size) }
        if let unit = v["repeat"]?.stringValue, let n = v["count"]?.exactInt {
            let text = (v["prefix"]?.stringValue ?? "") + String(repeating: unit, count: n) + (v["suffix"]?.stringValue ?? "")
            return .bytes(Data(text.utf8))
        }
        throw InputError("\(name): a file is text, {\"hex\"}, {\"repeat\", \"count\"} or {\"sparse\"}")
    }

    static func bytes(hex: String) -> Data {
        let digits = Array(hex.utf8)
        return Data(stride(from: 0, to: digits.count - 1, by: 2).map {
            UInt8(String(decoding: digits[$0...($0 + 1)], as: UTF8.self), radix: 16)!
        })
    }

    func testTheCorpusHasAtLeast200Cases() throws {
        XCTAssertGreaterThanOrEqual(try loadCorpus().count, 200)
    }

    /// What a file looks like: kind, size, inode, modification time, and contents when small.
    struct Entry: Equatable {
        var mode: UInt32, size: Int64, inode: UInt64, modified: Int
        var contents: Data?
    }

    /// Every entry under `dir` (not following links).
    static func snapshot(_ dir: String) -> [String: Entry] {
        var out: [String: Entry] = [:]
        for name in FileManager.default.subpaths(atPath: dir) ?? [] {
            let path = dir + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            let regular = (st.st_mode & S_IFMT) == S_IFREG
            out[name] = Entry(mode: UInt32(st.st_mode), size: Int64(st.st_size), inode: UInt64(st.st_ino),
                              modified: st.st_mtim.tv_sec * 1_000_000_000 + st.st_mtim.tv_nsec,
                              contents: regular && st.st_size < 1 << 20 ? FileManager.default.contents(atPath: path) : nil)
        }
        return out
    }

    func testEveryCaseIsOneClearErrorLineWithStatus2() throws {
        let fm = FileManager.default
        for c in try loadCorpus() {
            let dir = try makeTemporaryDirectory("bad-input")
            defer { try? fm.removeItem(atPath: dir) }
            for (name, file) in c.files {
                let path = (dir as NSString).appendingPathComponent(name)
                switch file {
                case _ where name.hasSuffix("/"):
                    try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
                case let .bytes(data):
                    XCTAssertTrue(fm.createFile(atPath: path, contents: data), "\(c.name): cannot write \(name)")
                case let .sparse(size):
                    XCTAssertTrue(fm.createFile(atPath: path, contents: nil), "\(c.name): cannot write \(name)")
                    XCTAssertEqual(truncate(path, off_t(size)), 0, "\(c.name): cannot size \(name)")
                }
            }
            let before = Self.snapshot(dir)
            let args = c.args.map { $0.replacingOccurrences(of: "$TMP", with: dir) }
            let r = runPG(args)
            let what = "\(c.name) \(c.args): stderr \(r.err.debugDescription)"
            XCTAssertEqual(r.status, 2, what)
            XCTAssertEqual(r.out, "", what)
            XCTAssertTrue(r.err.hasPrefix("pg: error: "), what)
            XCTAssertTrue(r.err.hasSuffix("\n") && r.err.filter { $0 == "\n" }.count == 1, "not one line: " + what)
            // The registry's own lists, so that no case spells the estimators by hand.
            let expect = c.expect.replacingOccurrences(of: "$TMP", with: dir)
                .replacingOccurrences(of: "$ESTIMATORS", with: EstimatorRegistry.names.joined(separator: ", "))
                .replacingOccurrences(of: "$BASELINES", with: EstimatorRegistry.all.filter(\.isBaseline).map(\.name).joined(separator: ", "))
            XCTAssertTrue(r.err.contains(expect), "expected \(expect.debugDescription) in " + what)
            XCTAssertTrue(Self.snapshot(dir) == before, "files were added, removed or changed: " + what)
        }
    }
}
