import Foundation
@testable import PolicyGradient
import XCTest

/// Learning-curve plots that tell runs apart: unique legend labels, line styles that differ
/// for eight series, reference lines, and the smoothing window.
final class CurvePlotTests: XCTestCase {
    // MARK: - Smoothing

    /// Trailing window of 3 over [1, 2, 3, NaN, 5, 7, ∞, 9]: [1, 3/2, 2, NaN, (3+5)/2, (5+7)/2,
    /// NaN, (7+9)/2] — non-finite points stay gaps and do not count in their neighbours' means.
    func testMovingAverageHandComputed() {
        let y = [1, 2, 3, .nan, 5, 7, .infinity, 9]
        let s = LearningCurvePlot.movingAverage(y, window: 3)
        let expected = [1, 1.5, 2, .nan, 4, 6, .nan, 8]
        XCTAssertEqual(s.count, expected.count)
        for (a, b) in zip(s, expected) { XCTAssertTrue(a == b || (a.isNaN && b.isNaN), "\(s)") }
        let one = LearningCurvePlot.movingAverage(y, window: 1)
        for (a, b) in zip(one, y) { XCTAssertTrue(a == b || (a.isNaN && !b.isFinite)) }
        XCTAssertEqual(LearningCurvePlot.movingAverage([2, 4, 6], window: 10), [2, 3, 4], "a long window is the running mean")
        XCTAssertEqual(LearningCurvePlot.movingAverage([], window: 5), [])
    }

    // MARK: - Legend labels

    private func part(_ key: String, _ value: String, always: Bool = false) -> LegendLabels.Part {
        .init(key: key, value: value, text: key == "estimator" ? value : nil, always: always)
    }

    func testLabelsShowWhatDiffers() {
        let a = [part("env", "FrozenLake"), part("estimator", "none", always: true), part("policy", "tabular"),
                 part("lr", "0.1"), part("lr_min", "0.1"), part("seed", "1")]
        var b = a
        b[2] = part("policy", "linear")
        XCTAssertEqual(LegendLabels.distinguishing([a, b], fallbacks: ["a", "b"]), ["none policy=tabular", "none policy=linear"])
        var c = a, d = a
        c[3] = part("lr", "0.05"); c[4] = part("lr_min", "0.05")
        d[3] = part("lr", "0.2"); d[4] = part("lr_min", "0.01")
        XCTAssertEqual(LegendLabels.distinguishing([a, c], fallbacks: ["a", "c"]), ["none lr=0.1", "none lr=0.05"],
                       "lr_min equal to lr is said once")
        XCTAssertEqual(LegendLabels.distinguishing([a, d], fallbacks: ["a", "d"]), ["none lr=0.1 lr_min=0.1", "none lr=0.2 lr_min=0.01"])
        let gumbel = [part("estimator", "gumbel", always: true), part("tau", "1")]
        XCTAssertEqual(LegendLabels.distinguishing([[part("estimator", "none", always: true)], gumbel], fallbacks: ["x", "y"]),
                       ["none", "gumbel"], "a key only one run has is no difference")
    }

    func testSameEstimatorAndSeedFallBackToFileNamesThenNumbers() {
        let run = [part("estimator", "none", always: true), part("seed", "1")]
        XCTAssertEqual(LegendLabels.distinguishing([run, run], fallbacks: ["fl-a", "fl-b"]), ["none (fl-a)", "none (fl-b)"])
        XCTAssertEqual(LegendLabels.distinguishing([run, run, run], fallbacks: ["f", "f", "g"]),
                       ["none (f) #1", "none (f) #2", "none (g)"])
        XCTAssertEqual(LegendLabels.distinguishing([[], []], fallbacks: ["x", "x"]), ["x #1", "x #2"])
    }

    // MARK: - Palette and reference lines

    /// CIE L* of a "#rrggbb" colour (its lightness in greyscale).
    static func lightness(_ hex: String) -> Double {
        let v = Int(hex.dropFirst(), radix: 16)!
        func lin(_ c: Int) -> Double {
            let x = Double(c) / 255
            return x <= 0.04045 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4)
        }
        let y = 0.2126 * lin(v >> 16) + 0.7152 * lin((v >> 8) & 255) + 0.0722 * lin(v & 255)
        return y > 216.0 / 24389 ? 116 * pow(y, 1.0 / 3) - 16 : y * 24389 / 27
    }

    /// Eight series: eight colours, the line pattern changes from each series to the next, and
    /// series that share a pattern differ by at least 15 in lightness (so they stay apart in
    /// greyscale); sixteen series never repeat a (colour, pattern) pair.
    func testPaletteKeepsEightSeriesApart() throws {
        func styles(_ n: Int) throws -> [(color: String, dash: String)] {
            let series = (0..<n).map { SVGPlot.Series(label: "run \($0)", y: [0, Double($0)]) }
            let doc = try XMLSummary(SVGPlot(panels: [.init(series: series)]).render())
            return doc.elements.filter { $0.attributes["class"] == "series" }
                .map { ($0.attributes["stroke"]!, $0.attributes["stroke-dasharray"] ?? "solid") }
        }
        let eight = try styles(8)
        XCTAssertEqual(Set(eight.map(\.color)).count, 8)
        XCTAssertEqual(Set(eight.map(\.dash)).count, 4)
        for i in 1..<8 { XCTAssertNotEqual(eight[i].dash, eight[i - 1].dash, "series \(i) and \(i - 1)") }
        for i in 0..<8 {
            for j in (i + 1)..<8 where eight[i].dash == eight[j].dash {
                let d = abs(Self.lightness(eight[i].color) - Self.lightness(eight[j].color))
                XCTAssertGreaterThanOrEqual(d, 15, "series \(i) and \(j) share a pattern and differ by \(d) in L*")
            }
        }
        XCTAssertEqual(eight[0].color, "#0072B2")
        XCTAssertNotEqual(eight[5].dash, eight[0].dash, "sky blue is not drawn like the blue")
        let sixteen = try styles(16)
        XCTAssertEqual(Set(sixteen.map { $0.color + $0.dash }).count, 16)
    }

    func testReferenceLineIsDrawnInTheLegendAndOnTheAxis() throws {
        let runs = [LearningCurvePlot.Run(label: "none s1", iterations: [0.0, 1, 2], values: [0.1, 0.2, 0.3])]
        let optima = LearningCurvePlot.optimumLines([("none s1", 0.75)])
        XCTAssertEqual(optima.map(\.label), ["optimum J = 0.7500"])
        let plot = LearningCurvePlot.figure(runs: runs, metric: "exact_j", title: "t", smoothing: 2, optima: optima)
        let doc = try XMLSummary(plot.render())
        XCTAssertEqual(doc.elements.filter { $0.attributes["class"] == "reference" }.count, 1)
        XCTAssertEqual(doc.texts(class: "legend-label"), ["none s1", "optimum J = 0.7500"])
        XCTAssertTrue(doc.texts(class: "tick-label").contains("0.8"), "the y axis reaches the optimum")
        XCTAssertTrue(doc.texts(class: "axis-label").contains("iteration (each point: trailing mean of 2 iterations)"))
        let entropy = LearningCurvePlot.figure(runs: runs, metric: "entropy", title: "t", optima: optima)
        XCTAssertFalse(entropy.render().contains(#"class="reference""#), "no optimum J on an entropy axis")
    }

    func testOptimumLinesGroupEqualOptima() {
        let lines = LearningCurvePlot.optimumLines([("a", 1.5), ("b", 1.5), ("c", 2), ("d", nil), ("e", 1.5)])
        XCTAssertEqual(lines.map(\.label), ["optimum J = 1.500 (a +2)", "optimum J = 2.000 (c)"])
        XCTAssertEqual(lines.map(\.y), [1.5, 2])
        XCTAssertEqual(LearningCurvePlot.optimumLines([("a", nil)]), [])
    }

    // MARK: - Every log drawn as lines

    /// Trailing window of 3 iterations over values at iterations 0, 1, 4, 5, 6, 9 (NaN at 5):
    /// 0 → 1; 1 → (1+2)/2; 4 → 3 (iterations 2…4); 5 → NaN; 6 → (3+5)/2 (iterations 4…6); 9 → 7.
    func testMovingAverageAtIrregularIterations() {
        let x: [Double] = [0, 1, 4, 5, 6, 9], y = [1, 2, 3, .nan, 5, 7]
        let s = LearningCurvePlot.movingAverage(x: x, y: y, window: 3)
        let expected = [1, 1.5, 3, .nan, 4, 7]
        for (a, b) in zip(s, expected) { XCTAssertTrue(a == b || (a.isNaN && b.isNaN), "\(s)") }
        let full: [Double] = [1, 2, 3, .nan, 5, 7, .infinity, 9]
        let every = LearningCurvePlot.movingAverage(x: full.indices.map(Double.init), y: full, window: 3)
        let old = LearningCurvePlot.movingAverage(full, window: 3)
        for (a, b) in zip(every, old) { XCTAssertTrue(a == b || (a.isNaN && b.isNaN), "equal at every iteration: \(every)") }
    }

    /// A metric held by 3 of 10 records (exact J on a budget) is one line through its 3 points,
    /// each marked, and the panel title says so; before, it was three isolated dots.
    func testSparseMetricIsOneJoinedLineWithMarkers() throws {
        let values: [Double] = [0.1, .nan, .nan, .nan, 0.4, .nan, .nan, .nan, .nan, 0.7]
        let run = LearningCurvePlot.Run(label: "ema s1", iterations: (0..<10).map(Double.init), values: values)
        let plot = LearningCurvePlot.figure(runs: [run], metric: "exact_j", title: "lake")
        let doc = try XMLSummary(plot.render())
        let path = try XCTUnwrap(doc.elements.first { $0.attributes["class"] == "series" }?.attributes["d"])
        XCTAssertEqual(path.filter { $0 == "M" }.count, 1, "one piece: \(path)")
        XCTAssertEqual(path.filter { $0 == "L" }.count, 2, "through the three measured points: \(path)")
        XCTAssertFalse(path.contains("a1.5"), "no isolated dots: \(path)")
        XCTAssertEqual(doc.elements.filter { $0.name == "circle" }.count, 3 + 1, "a marker per point, and one in the legend")
        XCTAssertEqual(doc.texts(class: "panel-title"), ["exact J, on 3 of 10 updates, joined"])
        let smoothed = LearningCurvePlot.figure(runs: [run], metric: "exact_j", title: "lake", smoothing: 5)
        let d = try XCTUnwrap(try XMLSummary(smoothed.render()).elements.first { $0.attributes["class"] == "series" }?.attributes["d"])
        XCTAssertEqual(d.filter { $0 == "L" }.count, 2, "smoothing keeps the line: \(d)")
        // A metric on every record is drawn as before: no markers, no note.
        let dense = LearningCurvePlot.Run(label: "ema s1", iterations: [0, 1, 2], values: [0.1, 0.2, 0.3])
        let denseDoc = try XMLSummary(LearningCurvePlot.figure(runs: [dense], metric: "exact_j", title: "t").render())
        XCTAssertEqual(denseDoc.elements.filter { $0.name == "circle" }.count, 0)
        XCTAssertEqual(denseDoc.texts(class: "panel-title"), ["exact J"])
    }

    /// Hue of a "#rrggbb" colour, in degrees.
    static func hue(_ hex: String) -> Double {
        let v = Int(hex.dropFirst(), radix: 16)!
        let r = Double(v >> 16) / 255, g = Double((v >> 8) & 255) / 255, b = Double(v & 255) / 255
        let mx = max(r, g, b), mn = min(r, g, b), d = mx - mn
        guard d > 0 else { return 0 }
        var h: Double
        if mx == r { h = (g - b) / d } else if mx == g { h = 2 + (b - r) / d } else { h = 4 + (r - g) / d }
        h *= 60
        return h < 0 ? h + 360 : h
    }

    /// Three temperatures of one estimator are shades of one hue with three line patterns,
    /// lighter in order; another estimator keeps a palette colour of its own.
    func testVariantsOfOneEstimatorShareAHueFamily() throws {
        let series = [SVGPlot.Series(label: "none", y: [0, 1], family: "none")]
            + ["0.1", "0.5", "1"].map { SVGPlot.Series(label: "gumbel tau=\($0)", y: [0, 1], family: "gumbel") }
        let doc = try XMLSummary(SVGPlot(panels: [.init(series: series)]).render())
        let styles = doc.elements.filter { $0.attributes["class"] == "series" }
            .map { ($0.attributes["stroke"]!, $0.attributes["stroke-dasharray"] ?? "solid") }
        XCTAssertEqual(styles[0].0, "#0072B2", "a family of one keeps the palette colour of its slot")
        let gumbel = styles[1...].map { $0.0 }
        XCTAssertEqual(Set(gumbel).count, 3)
        for c in gumbel { XCTAssertEqual(Self.hue(c), Self.hue(SVGPlot.palette[1]), accuracy: 2, c) }
        let l = gumbel.map(Self.lightness)
        XCTAssertTrue(l[0] < l[1] && l[1] < l[2], "darker to lighter: \(l)")
        XCTAssertGreaterThan(l[2] - l[0], 25)
        XCTAssertEqual(Set(styles[1...].map { $0.1 }).count, 3, "and three line patterns")
        XCTAssertEqual(SVGPlot.shade("#0072B2", member: 0, of: 1), "#0072B2")
    }

    /// An interrupted sweep: a variant with part of its seeds says how many, one that never
    /// started keeps its legend entry; the threshold is drawn and listed.
    func testInterruptedSweepAndThreshold() throws {
        func aggregate(_ label: String, seeds: Int) -> SweepAggregate {
            var curves = CurveAccumulator(iterations: 3)
            for s in 0..<seeds {
                for k in 0..<3 {
                    var r = IterationRecord()
                    r.iteration = k
                    r.meanReturn = Double(k + s)
                    r.exactJ = Double(k) / 4
                    curves.add(r)
                }
            }
            return SweepAggregate(label: label, curves: curves, seedIndices: Array(0..<seeds), seeds: (0..<seeds).map(UInt64.init),
                                  finals: Array(repeating: 0.5, count: seeds), iterationsToThreshold: Array(repeating: nil, count: seeds),
                                  seconds: 1)
        }
        let plot = LearningCurvePlot.figure(aggregates: [aggregate("none", seeds: 4), aggregate("nvil", seeds: 2),
                                                         aggregate("gumbel", seeds: 0)],
                                            metric: "exact_j", title: "t (interrupted)", families: ["none", "nvil", "gumbel"],
                                            expectedSeeds: [4, 4, 4], threshold: 0.3)
        let doc = try XMLSummary(plot.render())
        XCTAssertEqual(doc.texts(class: "legend-label"), ["none", "nvil (2 of 4 seeds)", "gumbel (not started)", "threshold 0.3000"])
        XCTAssertEqual(doc.elements.filter { $0.attributes["class"] == "reference" }.count, 1)
        XCTAssertEqual(doc.texts(class: "panel-title").first, "exact J, mean ± SE over 2–4 seeds")
        let mean = LearningCurvePlot.figure(aggregates: [aggregate("none", seeds: 4)], metric: "entropy", title: "t", threshold: 0.3)
        XCTAssertFalse(mean.render().contains("threshold"), "a threshold is a level of J or the return only")
    }
}
