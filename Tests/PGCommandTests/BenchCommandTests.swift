import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// `pg bench --out` follows pg's rule for every output: never replaced without `--force`, and
/// checked before the benchmark runs (not after minutes of it).
final class BenchCommandTests: XCTestCase {
    func testAnExistingOutIsRefusedBeforeRunningAndLeftAlone() throws {
        let dir = try temporaryDirectory(self)
        let out = dir + "/bench.json"
        try "keep me\n".write(toFile: out, atomically: true, encoding: .utf8)
        let started = Date()
        let r = runPG(["bench", "--only", "figure", "--out", out])
        XCTAssertEqual(r.status, 2, r.err)
        XCTAssertEqual(r.err.filter { $0 == "\n" }.count, 1, r.err)
        XCTAssertTrue(r.err.contains("--force"), r.err)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "keep me\n")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "refused only after running the benchmark")
    }

    /// Without `--out`, a taken default name (two runs in the same second) moves on to `-2`
    /// instead of failing with "exists" (it used to).
    func testATakenDefaultNameMovesOnToTheNextFreeSuffix() throws {
        let dir = try temporaryDirectory(self)
        try FileManager.default.createDirectory(atPath: dir + "/runs", withIntermediateDirectories: true)
        let now = Int(Date().timeIntervalSince1970)
        for t in now...(now + 120) { try "taken\n".write(toFile: dir + "/runs/bench-\(t).json", atomically: true, encoding: .utf8) }
        let r = try ProcessRun.run(["bench", "--only", "memory", "--quick"], in: dir)
        XCTAssertEqual(r.status, 0, r.err)
        let line = try XCTUnwrap(r.out.split(separator: "\n").first { $0.hasPrefix("results: ") }, r.out)
        let path = String(line.dropFirst("results: ".count))
        XCTAssertTrue(path.hasPrefix("runs/bench-") && path.hasSuffix("-2.json"), path)
        XCTAssertTrue(try String(contentsOfFile: dir + "/" + path, encoding: .utf8).contains("\"memory-10\""))
        for t in now...(now + 120) {
            XCTAssertEqual(try String(contentsOfFile: dir + "/runs/bench-\(t).json", encoding: .utf8), "taken\n")
        }
    }

    // MARK: - Memory and targets

    func testStatusLinesAreParsedWithTabs() {
        let status = "Name:\tpg\nVmPeak:\t  401232 kB\nVmHWM:\t   23800 kB\nVmRSS:\t   23700 kB\n"
        XCTAssertEqual(MemoryUsage.kilobytes(of: "VmHWM", in: status), 23800)
        XCTAssertEqual(MemoryUsage.kilobytes(of: "VmRSS", in: status), 23700)
        XCTAssertNil(MemoryUsage.kilobytes(of: "VmSwap", in: status))
    }

    /// The peak memory row is pg's own process, not the process it was started from: a shell that
    /// first holds 300 MB and then `exec`s pg (as `swift run` starts it) does not raise it.
    /// `getrusage`'s `ru_maxrss`, which the row used to report, carries that 300 MB over.
    func testPeakMemoryIsThisProcessImagesOwn() throws {
        let dir = try temporaryDirectory(self)
        let pg = try EndToEndTests.executable().path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import os, sys; block = bytearray(300 << 20); block[::4096] = b'x' * len(block[::4096]); "
                       + "os.execv(sys.argv[1], sys.argv[1:])",
                       pg, "bench", "--only", "memory", "--quick", "--out", dir + "/m.json"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let rows = try JSONParser.parse(String(contentsOfFile: dir + "/m.json", encoding: .utf8))["rows"]
        guard case let .array(list)? = rows, let peak = list.first(where: { $0["id"]?.stringValue == "memory-peak" }) else {
            return XCTFail("no memory-peak row")
        }
        let mb = try XCTUnwrap(peak["value"]?.doubleValue)
        XCTAssertLessThan(mb, 200, "the 300 MB of the process before exec are not pg's")
        XCTAssertGreaterThan(mb, 1)
    }

    /// Targets and verdicts, hand-checked; with a peers file the column shows JAX's figure.
    func testTargetsAndVerdicts() throws {
        typealias T = BenchCommand.Target
        XCTAssertEqual(T.atMost(32).column(23.3, jax: nil), "<= 32: met")
        XCTAssertEqual(T.atMost(32).column(40, jax: nil), "<= 32: not met")
        XCTAssertEqual(T.flat(23).column(23.6, jax: nil), "flat: met")
        XCTAssertEqual(T.atLeast(1.8).column(1.5, jax: nil), ">= 1.8: not met")
        XCTAssertEqual(T.jax(factor: 1.5, lowerIsBetter: false).column(4e7, jax: nil), ">= 1.5x JAX")
        XCTAssertEqual(T.jax(factor: 1.5, lowerIsBetter: false).column(4e7, jax: 2e7), ">= 1.5x JAX (JAX 2.000e+07: pg 2.00x; met)")
        XCTAssertEqual(T.jax(factor: 0.5, lowerIsBetter: true).column(0.8, jax: 1.2), "<= 0.5x JAX (JAX 1.200: pg 0.667x the time; not met)")
        XCTAssertNil(T.atMost(32).verdict(.nan, jax: nil))
        let dir = try temporaryDirectory(self)
        try #"{"date":"D","cpu":"C","summary":[{"workload":"single","threads":1,"busy":false,"jax":{"median":2e5}},"#
            .appending(#"{"workload":"single","threads":1,"busy":true,"jax":{"median":1}}]}"#)
            .write(toFile: dir + "/p.json", atomically: true, encoding: .utf8)
        let figures = try BenchCommand.PeerFigures(path: dir + "/p.json")
        XCTAssertEqual(figures.jax, ["single-1t": 2e5], "busy cells are not targets")
        try "{}".write(toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
        let bad = runPG(["bench", "--only", "single", "--peers", dir + "/bad.json"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.err, "pg: error: \(dir)/bad.json is not a scripts/bench-peers.sh results file (no \"summary\" list)\n")
    }
}
