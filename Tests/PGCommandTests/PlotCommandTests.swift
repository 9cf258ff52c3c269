import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// `pg plot`: training logs and compare files to SVG.
final class PlotCommandTests: XCTestCase {
    func testHelp() {
        let r = runPG(["plot", "--help"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.out.hasPrefix("pg plot — SVG learning curves from pg JSONL files\n\n"
                                      + "USAGE: pg plot FILE... [--out FILE.svg] [--metric NAME] [--smooth N] [--label A,B,...]\n"), r.out)
        for flag in ["--out", "--force", "--metric", "--label", "--smooth", "--title"] {
            XCTAssertTrue(r.out.contains("  \(flag) "), flag)
        }
    }

    func testTrainingLogsGiveOneSeriesEach() throws {
        let dir = try temporaryDirectory(self)
        for (baseline, seed) in [("none", "1"), ("nvil", "2")] {
            let r = runPG(["train", "--env", "bandit10", "--baseline", baseline, "--seed", seed, "--iterations", "12",
                           "--quiet", "--out", dir + "/\(baseline).jsonl"])
            XCTAssertEqual(r.status, 0, r.err)
        }
        let r = runPG(["plot", dir + "/none.jsonl", dir + "/nvil.jsonl", "--out", dir + "/p.svg"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(r.out, "plot: \(dir)/p.svg (2 series)\n")
        XCTAssertEqual(try SVGSeriesCounter.count(dir + "/p.svg"), [2])
        let svg = try String(contentsOfFile: dir + "/p.svg", encoding: .utf8)
        XCTAssertTrue(svg.contains(">none s1</text>") && svg.contains(">nvil s2</text>"), "legend labels")
        XCTAssertTrue(svg.contains(">exact J</text>"))
        let single = runPG(["plot", dir + "/none.jsonl", "--metric", "entropy"])
        XCTAssertEqual(single.out, "plot: \(dir)/none.plot.svg (1 series)\n")
    }

    func testCompareFilesAndShards() throws {
        let dir = try temporaryDirectory(self)
        let base = ["compare", "--env", "toy", "--estimators", "none,ema", "--seeds", "4", "--iterations", "10",
                    "--quiet", "--no-plot"]
        XCTAssertEqual(runPG(base + ["--shard", "0/2", "--out", dir + "/a.jsonl"]).status, 0)
        XCTAssertEqual(runPG(base + ["--shard", "1/2", "--out", dir + "/b.jsonl"]).status, 0)
        let r = runPG(["plot", dir + "/b.jsonl", dir + "/a.jsonl", "--out", dir + "/s.svg"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(try SVGSeriesCounter.count(dir + "/s.svg"), [2, 2])
        let svg = try String(contentsOfFile: dir + "/s.svg", encoding: .utf8)
        XCTAssertTrue(svg.contains("mean ± SE over 4 seeds"), "shards are merged before plotting")
    }

    func testErrors() throws {
        let dir = try temporaryDirectory(self)
        XCTAssertEqual(runPG(["plot"]).err, "pg: error: pg plot: give one or more JSONL files (training logs or compare files)\n")
        let missing = runPG(["plot", dir + "/nothing.jsonl"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.err, "pg: error: cannot read the JSONL file \(dir)/nothing.jsonl: No such file or directory\n")
        try "{\"type\":\"config\"}\n{\"type\":\"iteration\",\n".write(toFile: dir + "/bad.jsonl", atomically: true, encoding: .utf8)
        let bad = runPG(["plot", dir + "/bad.jsonl"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.err.hasPrefix("pg: error: \(dir)/bad.jsonl:2:"), bad.err)
    }

    // MARK: - Telling runs apart

    /// Trains a short bandit10 run into `dir/name.jsonl`.
    private func train(_ dir: String, _ name: String, _ extra: [String] = [], env: String = "bandit10") {
        let r = runPG(["train", "--env", env, "--iterations", "6", "--batch", "4", "--quiet", "--out", dir + "/\(name).jsonl"]
                      + extra)
        XCTAssertEqual(r.status, 0, r.err)
    }

    private func legend(_ path: String) throws -> [String] {
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        return svg.components(separatedBy: #"class="legend-label">"#).dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    func testLogsThatDifferOnlyInPolicyGetTheirOwnLabels() throws {
        let dir = try temporaryDirectory(self)
        train(dir, "tab", ["--policy", "tabular"])
        train(dir, "lin", ["--policy", "linear"])
        let r = runPG(["plot", dir + "/tab.jsonl", dir + "/lin.jsonl", "--out", dir + "/p.svg"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(try legend(dir + "/p.svg"), ["none policy=tabular", "none policy=linear", "optimum J = \(try optimum(dir + "/tab.jsonl"))"])
    }

    func testSameEstimatorAndSeedAreToldApartByFileName() throws {
        let dir = try temporaryDirectory(self)
        train(dir, "first")
        try FileManager.default.copyItem(atPath: dir + "/first.jsonl", toPath: dir + "/again.jsonl")
        XCTAssertEqual(runPG(["plot", dir + "/first.jsonl", dir + "/again.jsonl", "--out", dir + "/p.svg"]).status, 0)
        XCTAssertEqual(try legend(dir + "/p.svg").prefix(2), ["none (first)", "none (again)"])
        XCTAssertEqual(try SVGSeriesCounter.count(dir + "/p.svg"), [2])
        let svg = try String(contentsOfFile: dir + "/p.svg", encoding: .utf8)
        // Two runs of one estimator: two shades of its hue, two line patterns.
        XCTAssertEqual(Set(strokes(svg)), [SVGPlot.shade("#0072B2", member: 0, of: 2), SVGPlot.shade("#0072B2", member: 1, of: 2)])
        XCTAssertEqual(runPG(["plot", dir + "/first.jsonl", dir + "/first.jsonl", "--out", dir + "/q.svg"]).status, 0)
        XCTAssertEqual(try legend(dir + "/q.svg").prefix(2), ["none (first) #1", "none (first) #2"])
    }

    func testUserLabels() throws {
        let dir = try temporaryDirectory(self)
        train(dir, "a")
        train(dir, "b", ["--seed", "2"])
        let files = [dir + "/a.jsonl", dir + "/b.jsonl"]
        XCTAssertEqual(runPG(["plot"] + files + ["--label", "mine, yours", "--out", dir + "/p.svg"]).status, 0)
        XCTAssertEqual(try legend(dir + "/p.svg").prefix(2), ["mine", "yours"])
        let cases: [([String], String)] = [
            (["--label", "one"], "--label: 1 label for 2 series; give one per training log, in the order of the files"),
            (["--label", "a,b,c"], "--label: 3 labels for 2 series; give one per training log, in the order of the files"),
            (["--label", "a,,b"], "--label: empty label in 'a,,b'; give one non-empty label per series"),
            (["--label", "x,x"], "--label: 'x' is given twice; series need different labels"),
        ]
        for (flags, message) in cases {
            let r = runPG(["plot"] + files + flags + ["--out", dir + "/bad.svg"])
            XCTAssertEqual(r.status, 2)
            XCTAssertEqual(r.err, "pg: error: \(message)\n")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/bad.svg"))
    }

    func testMetricThatNoFileHasIsRefused() throws {
        let dir = try temporaryDirectory(self)
        train(dir, "bandit")
        train(dir, "lake", env: "FrozenLake-v1")
        let a = runPG(["plot", dir + "/bandit.jsonl", "--metric", "grad_sq_error", "--out", dir + "/a.svg"])
        XCTAssertEqual(a.status, 2)
        XCTAssertEqual(a.err, "pg: error: --metric: no file has 'grad_sq_error'; they have "
                       + "mean_return, exact_j, optimal_action, grad_norm, entropy\n")
        let b = runPG(["plot", dir + "/lake.jsonl", "--metric", "optimal_action", "--out", dir + "/b.svg"])
        XCTAssertEqual(b.status, 2)
        XCTAssertEqual(b.err, "pg: error: --metric: no file has 'optimal_action'; they have mean_return, exact_j, grad_norm, entropy\n")
        XCTAssertEqual(runPG(["plot", dir + "/lake.jsonl", dir + "/bandit.jsonl", "--metric", "optimal_action",
                              "--out", dir + "/c.svg"]).status, 0, "one file having it is enough")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/a.svg"))
    }

    /// The optimum J a training log records, as the legend prints it.
    private func optimum(_ path: String) throws -> String {
        let j = try jsonLines(path).lazy.compactMap { $0["optimal_j"]?.doubleValue }.first
        return NumberFormat.significant(try XCTUnwrap(j))
    }

    func testSmoothingAndReferenceLine() throws {
        let dir = try temporaryDirectory(self)
        train(dir, "run")
        let r = runPG(["plot", dir + "/run.jsonl", "--smooth", "3", "--out", dir + "/p.svg"])
        XCTAssertEqual(r.status, 0, r.err)
        let svg = try String(contentsOfFile: dir + "/p.svg", encoding: .utf8)
        XCTAssertEqual(svg.components(separatedBy: #"class="reference""#).count - 1, 1)
        XCTAssertTrue(svg.contains(">iteration (each point: trailing mean of 3 iterations)</text>"))
        XCTAssertEqual(try legend(dir + "/p.svg"), ["none s1", "optimum J = \(try optimum(dir + "/run.jsonl"))"])
        for bad in ["0", "-2", "x"] {
            let e = runPG(["plot", dir + "/run.jsonl", "--smooth", bad, "--out", dir + "/q.svg"])
            XCTAssertEqual(e.status, 2)
            XCTAssertTrue(e.err.hasPrefix("pg: error: --smooth: "), e.err)
        }
    }

    func testCompareTitleIsKept() throws {
        let dir = try temporaryDirectory(self)
        XCTAssertEqual(runPG(["compare", "--env", "toy", "--estimators", "none,ema", "--seeds", "3", "--iterations", "5",
                              "--quiet", "--out", dir + "/c.jsonl"]).status, 0)
        let title = "toy: 3 seeds x 5 iterations"
        XCTAssertEqual(try jsonLines(dir + "/c.jsonl")[0]["title"]?.stringValue, title)
        XCTAssertTrue(try String(contentsOfFile: dir + "/c.svg", encoding: .utf8).contains(">\(title)</text>"))
        XCTAssertEqual(runPG(["plot", dir + "/c.jsonl", "--out", dir + "/p.svg"]).status, 0)
        XCTAssertTrue(try String(contentsOfFile: dir + "/p.svg", encoding: .utf8).contains(#"class="figure-title">\#(title)</text>"#))
        // A file written before compare stored its title gets the same words from its config.
        let lines = try String(contentsOfFile: dir + "/c.jsonl", encoding: .utf8)
        try lines.replacingOccurrences(of: #","title":"\#(title)""#, with: "")
            .write(toFile: dir + "/old.jsonl", atomically: true, encoding: .utf8)
        XCTAssertEqual(runPG(["plot", dir + "/old.jsonl", "--label", "A,B", "--out", dir + "/o.svg"]).status, 0)
        XCTAssertTrue(try String(contentsOfFile: dir + "/o.svg", encoding: .utf8).contains(#"class="figure-title">\#(title)</text>"#))
        XCTAssertEqual(try legend(dir + "/o.svg"), ["A", "B", "optimum J = -0.2025"])  // compare records toy's optimum
        let r = runPG(["plot", dir + "/old.jsonl", "--label", "A", "--out", dir + "/x.svg"])
        XCTAssertEqual(r.err, "pg: error: --label: 1 label for 2 series; give one per estimator of the compare files "
                       + "in legend order: none, ema\n")
    }

    // MARK: - Never losing a file

    func testOutputNeverReplacesAFileUnasked() throws {
        let dir = try temporaryDirectory(self)
        train(dir, "run")
        let log = dir + "/run.jsonl", before = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertEqual(runPG(["plot", log]).out, "plot: \(dir)/run.plot.svg (1 series)\n")
        XCTAssertEqual(runPG(["plot", log]).out, "plot: \(dir)/run.plot-2.svg (1 series)\n", "the default name moves on")
        XCTAssertEqual(runPG(["plot", log, "--out", dir + "/mine.svg"]).status, 0)
        let again = runPG(["plot", log, "--out", dir + "/mine.svg"])
        XCTAssertEqual(again.status, 2)
        XCTAssertEqual(again.err, "pg: error: --out: \(dir)/mine.svg exists; pass --force to overwrite it or choose another file\n")
        XCTAssertEqual(runPG(["plot", log, "--out", dir + "/mine.svg", "--force"]).status, 0)
        try FileManager.default.linkItem(atPath: log, toPath: dir + "/hard.jsonl")
        try FileManager.default.createSymbolicLink(atPath: dir + "/soft.svg", withDestinationPath: log)
        let refusals: [(String, String)] = [
            (log, "\(log) is one of this command's input files; pg never writes over an input, so choose another file"),
            (dir + "/hard.jsonl", "\(dir)/hard.jsonl is one of this command's input files; pg never writes over an input, so choose another file"),
            (dir, "\(dir) is a directory, not a regular file; pg never replaces one, so choose another file"),
        ]
        for (out, message) in refusals {
            let r = runPG(["plot", log, "--out", out, "--force"])
            XCTAssertEqual(r.status, 2)
            XCTAssertEqual(r.err, "pg: error: --out: \(message)\n")
        }
        // --force replaces a symbolic link itself, never the file it points to.
        XCTAssertEqual(runPG(["plot", log, "--out", dir + "/soft.svg", "--force"]).status, 0)
        XCTAssertNil(try? FileManager.default.destinationOfSymbolicLink(atPath: dir + "/soft.svg"))
        XCTAssertEqual(try String(contentsOfFile: log, encoding: .utf8), before, "the log is untouched")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [], "no temporary files are left behind")
    }

    // MARK: - Plots after other commands, and runs that stopped early

    /// The README's sequence: `pg compare` writes X.jsonl and X.svg; `pg plot X.jsonl --metric
    /// optimal_action` then writes X.plot.svg (it used to default to X.svg and exit 2).
    func testPlotRightAfterCompareDoesNotCollideWithItsPlot() throws {
        let dir = try temporaryDirectory(self)
        let c = runPG(["compare", "--env", "bandit10", "--estimators", "none,ema", "--seeds", "3", "--iterations", "5",
                       "--quiet", "--out", dir + "/compare-b.jsonl"])
        XCTAssertEqual(c.status, 0, c.err)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/compare-b.svg"))
        let p = runPG(["plot", dir + "/compare-b.jsonl", "--metric", "optimal_action"])
        XCTAssertEqual(p.status, 0, p.err)
        XCTAssertEqual(p.out, "plot: \(dir)/compare-b.plot.svg (2 series)\n")
    }

    /// A training log stopped by Ctrl-C says so in its legend entry and the title; a log without
    /// a summary line (killed) is "unfinished".
    func testRunsThatStoppedEarlyAreMarked() throws {
        let dir = try temporaryDirectory(self)
        train(dir, "run")
        let lines = try String(contentsOfFile: dir + "/run.jsonl", encoding: .utf8).split(separator: "\n").map(String.init)
        let interrupted = lines.prefix(5) + [#"{"type":"summary","status":"interrupted","iterations":4}"#]
        try (interrupted.joined(separator: "\n") + "\n").write(toFile: dir + "/int.jsonl", atomically: true, encoding: .utf8)
        try (lines.prefix(3).joined(separator: "\n") + "\n").write(toFile: dir + "/killed.jsonl", atomically: true, encoding: .utf8)
        XCTAssertEqual(runPG(["plot", dir + "/int.jsonl", "--out", dir + "/a.svg"]).status, 0)
        XCTAssertEqual(try legend(dir + "/a.svg").first, "none s1 (interrupted at 4 of 6 updates)")
        XCTAssertTrue(try String(contentsOfFile: dir + "/a.svg", encoding: .utf8)
            .contains(#"class="figure-title">bandit10 (interrupted at 4 of 6 updates)</text>"#))
        XCTAssertEqual(runPG(["plot", dir + "/run.jsonl", dir + "/killed.jsonl", "--out", dir + "/b.svg"]).status, 0)
        XCTAssertEqual(try legend(dir + "/b.svg").prefix(2), ["none (run)", "none (killed) (unfinished: 2 of 6 updates)"])
        XCTAssertTrue(try String(contentsOfFile: dir + "/b.svg", encoding: .utf8)
            .contains(#"class="figure-title">bandit10 (1 of 2 runs stopped early)</text>"#))
    }

    /// An interrupted compare file: the title says so, an estimator that never started stays in
    /// the legend, the threshold is drawn, and variants of one estimator share a hue.
    func testInterruptedCompareFile() throws {
        let dir = try temporaryDirectory(self)
        let r = runPG(["compare", "--env", "toy", "--estimators", "none,gumbel", "--tau", "0.5,1", "--seeds", "3",
                       "--iterations", "4", "--threshold", "-0.22", "--quiet", "--no-plot", "--out", dir + "/c.jsonl"])
        XCTAssertEqual(r.status, 0, r.err)
        // What an interrupt during the second variant leaves: its seeds and the third's gone.
        var file = try CompareFile.read(path: dir + "/c.jsonl")
        file.status = "interrupted"
        for i in [1, 2] {
            let g = file.aggregates[i]
            file.aggregates[i] = SweepAggregate(label: g.label, curves: CurveAccumulator(iterations: 4), seedIndices: [],
                                                seeds: [], finals: [], iterationsToThreshold: [], seconds: 0)
        }
        let svg = PlotCommand.sweepFigure([file], prefixes: nil, metric: "exact_j", title: nil, smoothing: 1, labels: nil).render()
        XCTAssertEqual(texts(svg, class: "figure-title"), ["toy: 3 seeds x 4 iterations (interrupted)"])
        XCTAssertEqual(Array(texts(svg, class: "legend-label").prefix(3)),
                       ["none", "gumbel tau=0.5 (not started)", "gumbel tau=1 (not started)"])
        XCTAssertTrue(texts(svg, class: "legend-label").contains("threshold -0.2200"))
        let whole = PlotCommand.sweepFigure([try CompareFile.read(path: dir + "/c.jsonl")], prefixes: nil,
                                            metric: "exact_j", title: nil, smoothing: 1, labels: nil).render()
        XCTAssertEqual(Array(strokes(whole).prefix(3)),
                       ["#0072B2", SVGPlot.shade("#D55E00", member: 0, of: 2), SVGPlot.shade("#D55E00", member: 1, of: 2)])
    }

    /// The texts of the SVG's elements of class `name`.
    private func texts(_ svg: String, class name: String) -> [String] {
        svg.components(separatedBy: #"class="\#(name)">"#).dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    /// The stroke colours of the SVG's series, in order.
    private func strokes(_ svg: String) -> [String] {
        svg.components(separatedBy: #"class="series""#).dropFirst().compactMap { part in
            part.components(separatedBy: #"stroke=""#).dropFirst().first.map { String($0.prefix(7)) }
        }
    }
}
