import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// `pg compare`: help, errors, the JSONL file, the SVG, and sharded sweeps merged.
final class CompareCommandTests: XCTestCase {
    /// A small sweep: 3 estimators on bandit10 (gumbel with a cheap critic).
    let small = ["compare", "--env", "bandit10", "--estimators", "none,vimco,gumbel", "--seeds", "7",
                 "--iterations", "15", "--batch", "8", "--samples", "2", "--critic-steps", "1", "--threshold", "1",
                 "--quiet"]

    func testHelpListsTheFlags() {
        let r = runPG(["compare", "--help"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.out.hasPrefix("pg compare — several estimators x many seeds on one environment: table, JSONL and SVG\n"))
        XCTAssertTrue(r.out.contains("       pg compare --merge FILE... [--out FILE] [--plot FILE.svg]\n"))
        XCTAssertTrue(r.out.contains("  --shard i/n              run only the seeds with index = i mod n"))
        XCTAssertTrue(r.out.contains("  --lr A[,A...]            learning rates"))
        XCTAssertFalse(r.out.contains("--baseline"), "compare takes --estimators, not --baseline")
    }

    func testBadInputExitsWithStatusTwo() {
        let cases: [([String], String)] = [
            (["--shard", "2/2"], "pg: error: --shard: expected i/n with 0 <= i < n (for example 0/4 ... 3/4), got 2/2\n"),
            (["--shard", "x"], "pg: error: --shard: expected i/n with 0 <= i < n (for example 0/4 ... 3/4), got 'x'\n"),
            (["--seeds", "0"], "pg: error: --seeds: must be in 1...10000000, got 0\n"),
            (["--metric", "reward"], "pg: error: --metric: unknown value 'reward'; valid: mean_return, exact_j, optimal_action, grad_norm, grad_sq_error, entropy\n"),
            (["--lr", "0.1,x"], "pg: error: --lr: expected a finite number, got 'x'\n"),
            (["--lr", "0.1,0.1"], "pg: error: --lr: a value is listed twice in '0.1,0.1'\n"),
            (["--estimators", "none,nvil", "--tau", "0.5"], "pg: error: --tau does not apply to none, nvil (their settings: --decay, --nvil-lr)\n"),
            (["--baseline", "nvil"], ""),
            (["--merge"], "pg: error: pg compare --merge: give the shard files to merge\n"),
        ]
        for (args, message) in cases {
            let r = runPG(["compare"] + args)
            XCTAssertEqual(r.status, 2, "\(args)")
            if message.isEmpty {
                XCTAssertTrue(r.err.hasPrefix("pg: error: unknown option '--baseline' for pg compare; valid: --env,"), r.err)
            } else if !message.hasSuffix("\n") {
                XCTAssertTrue(r.err.hasPrefix(message), "\(args): \(r.err)")
            } else {
                XCTAssertEqual(r.err, message, "\(args)")
            }
        }
    }

    func testWritesJSONLTableAndPlot() throws {
        let dir = try temporaryDirectory(self)
        let r = runPG(small + ["--out", dir + "/c.jsonl"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.hasPrefix("pg compare: bandit10, 3 estimators x 7 seeds x 15 iterations, 8 episodes per update\n"), r.out)
        XCTAssertTrue(r.out.contains("estimator  seeds      final J  reached 1.000  median iters to 1.000  "), r.out)
        XCTAssertTrue(r.out.contains("  plot: \(dir)/c.svg\n"))
        let lines = try jsonLines(dir + "/c.jsonl")
        XCTAssertEqual(lines.count, 1 + 3 * 15 + 3 + 2 * 3 + 1, "config, curves, finals, paired (2 variants x 3 quantities), summary")
        XCTAssertEqual(lines.last, .object([("type", .string("summary")), ("status", .string("completed"))]))
        XCTAssertEqual(lines[0]["command"]?.stringValue, "compare")
        XCTAssertEqual(lines[0]["shard_count"]?.doubleValue, 1)
        let curve = lines[1]
        XCTAssertEqual(curve["type"]?.stringValue, "curve")
        XCTAssertEqual(curve["variant"]?.stringValue, "none")
        XCTAssertEqual(curve["exact_j_n"]?.doubleValue, 7)
        XCTAssertNotNil(curve["exact_j_se"]?.doubleValue)
        XCTAssertNotNil(curve["grad_sq_error"]?.doubleValue)
        let final = lines[1 + 3 * 15 + 2]
        XCTAssertEqual(final["type"]?.stringValue, "final")
        XCTAssertEqual(final["variant"]?.stringValue, "gumbel")
        XCTAssertEqual(final["seeds"]?.doubleValue, 7)
        for key in ["final_mean", "final_se", "reached_fraction", "seconds"] { XCTAssertNotNil(final[key]?.doubleValue, key) }
        guard case let .array(traces)? = final["trace_level"], case let .array(first)? = traces.first else {
            return XCTFail("no traces in \(final.text)")
        }
        XCTAssertEqual(traces.count, 7, "one trace per seed")
        XCTAssertEqual(first.count, 15, "15 checkpoints of 15 updates")
        XCTAssertEqual(try SVGSeriesCounter.count(dir + "/c.svg"), [3, 3, 2], "curves, squared error, paired differences")
    }

    func testMergedShardsEqualTheUnshardedSweep() throws {
        let dir = try temporaryDirectory(self)
        XCTAssertEqual(runPG(small + ["--out", dir + "/whole.jsonl", "--no-plot"]).status, 0)
        var shards: [String] = []
        for i in [2, 0, 1] {
            let path = dir + "/shard\(i).jsonl"
            let r = runPG(small + ["--shard", "\(i)/3", "--threads", "1", "--out", path])
            XCTAssertEqual(r.status, 0, r.err)
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/shard\(i).svg"), "shards plot only when asked")
            shards.append(path)
        }
        let r = runPG(["compare", "--merge"] + shards + ["--out", dir + "/merged.jsonl"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("(merged from 3 files)"))
        let whole = try CompareFile.read(path: dir + "/whole.jsonl").aggregates
        let merged = try CompareFile.read(path: dir + "/merged.jsonl").aggregates
        XCTAssertEqual(whole.map(\.label), merged.map(\.label))
        for (w, m) in zip(whole, merged) {
            XCTAssertEqual(w.seeds, m.seeds)
            XCTAssertEqual(w.seedIndices, m.seedIndices)
            XCTAssertEqual(w.finals, m.finals, "finals are per seed, hence exact")
            XCTAssertEqual(w.iterationsToThreshold, m.iterationsToThreshold)
            XCTAssertEqual(w.finalSummary, m.finalSummary)
            for metric in CurveAccumulator.metrics {
                for (a, b) in zip(w.curves.summaries(metric), m.curves.summaries(metric)) {
                    XCTAssertEqual(a.count, b.count)
                    XCTAssertEqual(a.mean, b.mean, accuracy: 1e-12 * max(1, abs(a.mean)), "\(w.label) \(metric)")
                    XCTAssertEqual(a.sumOfSquaredDeviations, b.sumOfSquaredDeviations,
                                   accuracy: 1e-12 * max(1, a.sumOfSquaredDeviations), "\(w.label) \(metric)")
                }
            }
        }
        XCTAssertEqual(try SVGSeriesCounter.count(dir + "/merged.svg"), [3, 3, 2])
        let pairedWhole = try jsonLines(dir + "/whole.jsonl").filter { $0["type"]?.stringValue == "paired" }
        let pairedMerged = try jsonLines(dir + "/merged.jsonl").filter { $0["type"]?.stringValue == "paired" }
        XCTAssertEqual(pairedWhole.count, 6)
        for (w, m) in zip(pairedWhole, pairedMerged) {
            XCTAssertEqual(w["quantity"], m["quantity"])
            XCTAssertEqual(w["mean"]?.doubleValue ?? .nan, m["mean"]?.doubleValue ?? 0, accuracy: 1e-12, "paired by seed, hence exact")
            XCTAssertEqual(w["se"]?.doubleValue ?? .nan, m["se"]?.doubleValue ?? 0, accuracy: 1e-12)
        }
        let twice = runPG(["compare", "--merge", shards[0], shards[0], "--out", dir + "/bad.jsonl"])
        XCTAssertEqual(twice.status, 2)
        XCTAssertEqual(twice.err, "pg: error: cannot merge \(shards[0]) with \(shards[0]): both hold shard 2/3 (a shard given twice, or a copy?)\n")
        let partial = runPG(["compare", "--merge", shards[0], shards[1], "--out", dir + "/partial.jsonl", "--no-plot"])
        XCTAssertTrue(partial.out.contains("  warning: 2 of 7 seeds are missing (shards not given)"), partial.out)
    }

    func testFigureTwoFiveIsOneGrid() throws {
        let dir = try temporaryDirectory(self)
        let r = runPG(["compare", "--env", "bandit10", "--bandit-mean", "4", "--estimators", "none,mean",
                       "--lr", "0.1,0.4", "--optimizer", "sgd", "--batch", "1", "--iterations", "30", "--seeds", "20",
                       "--metric", "optimal_action", "--quiet", "--out", dir + "/f.jsonl"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("estimator    seeds        final J  last % optimal action  Δ final J vs none lr=0.1  Δ J/J* vs none lr=0.1  Δ area vs none lr=0.1  seconds\n"), r.out)
        let labels = try CompareFile.read(path: dir + "/f.jsonl").aggregates.map(\.label)
        XCTAssertEqual(labels, ["none lr=0.1", "mean lr=0.1", "none lr=0.4", "mean lr=0.4"])
        let figure = try FigureTwoFive.sweep(seeds: 3)
        XCTAssertEqual(figure.variants.map(\.label), ["mean lr=0.1", "none lr=0.1", "mean lr=0.4", "none lr=0.4"])
        XCTAssertTrue(figure.variants.allSatisfy { $0.configuration.episodes == 1 && $0.configuration.optimizer == .sgd })
        XCTAssertEqual(figure.variants[0].estimator.settings.given["convention"], .text("book-code"))
    }

    /// Paired differences against `--reference`: the table's Δ columns, the `{"type":"paired"}`
    /// lines with their CIs, and a reference that is not compared is refused.
    func testPairedDifferencesAgainstTheReference() throws {
        let dir = try temporaryDirectory(self)
        let r = runPG(small + ["--reference", "vimco", "--out", dir + "/c.jsonl"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("Δ final J vs vimco  Δ J/J* vs vimco   Δ area vs vimco"), r.out)
        XCTAssertTrue(r.out.contains("(reference)"), r.out)
        XCTAssertTrue(r.out.contains("  Δ: paired difference against vimco on the same seeds"), r.out)
        let lines = try jsonLines(dir + "/c.jsonl")
        XCTAssertEqual(lines[0]["reference"]?.stringValue, "vimco")
        XCTAssertEqual(lines[0]["per"]?.stringValue, "update")
        let paired = lines.filter { $0["type"]?.stringValue == "paired" }
        XCTAssertEqual(paired.map { $0["variant"]?.stringValue ?? "" }, ["none", "none", "none", "gumbel", "gumbel", "gumbel"])
        XCTAssertEqual(paired.map { $0["quantity"]?.stringValue ?? "" }, ["final J", "J/J*", "area", "final J", "J/J*", "area"])
        let file = try CompareFile.read(path: dir + "/c.jsonl")
        let none = file.aggregates[0], vimco = file.aggregates[1]
        let d = zip(none.finals, vimco.finals).map { $0 - $1 }
        XCTAssertEqual(paired[0]["mean"]?.doubleValue ?? .nan, d.reduce(0, +) / 7, accuracy: 1e-12)
        XCTAssertEqual(paired[0]["pairs"]?.doubleValue, 7)
        let lo = paired[0]["ci_low"]?.doubleValue ?? .nan, hi = paired[0]["ci_high"]?.doubleValue ?? .nan
        XCTAssertEqual(paired[0]["separates"], .bool(lo > 0 || hi < 0))
        let bad = runPG(small + ["--reference", "exact", "--out", dir + "/bad.jsonl"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.err, "pg: error: --reference: 'exact' is not among the compared estimators; choices: none, vimco, gumbel\n")
    }

    /// `--per step` on FrozenLake: the paired columns are at the budget every run reached (the
    /// least total steps over the runs' traces) and the plot's paired panel is drawn over steps.
    func testComparisonAtEqualSteps() throws {
        let dir = try temporaryDirectory(self)
        let r = runPG(["compare", "--env", "FrozenLake-v1", "--estimators", "none,ema", "--seeds", "4", "--iterations", "20",
                       "--batch", "8", "--per", "step", "--quiet", "--out", dir + "/c.jsonl"])
        XCTAssertEqual(r.status, 0, r.err)
        let file = try CompareFile.read(path: dir + "/c.jsonl")
        let budget = file.aggregates.flatMap(\.traces).map { $0.steps.last! }.min()!
        XCTAssertEqual(PairedComparison.budget(file.aggregates, .step, iterations: 20), budget)
        XCTAssertTrue(r.out.contains("Δ J at \(Int(budget)) steps vs none"), r.out)
        XCTAssertTrue(r.out.contains("  at equal cost: each seed's level interpolated at \(Int(budget)) steps"), r.out)
        let svg = try String(contentsOfFile: dir + "/c.svg", encoding: .utf8)
        XCTAssertTrue(svg.contains("environment steps"))
        let bad = runPG(["compare", "--env", "FrozenLake-v1", "--per", "hour", "--quiet", "--out", dir + "/bad.jsonl"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(bad.err, "pg: error: --per: unknown value 'hour'; valid: update, episode, step\n")
    }
}
