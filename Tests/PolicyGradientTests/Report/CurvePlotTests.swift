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
        let runs = [(label: "none s1", iterations: [0.0, 1, 2], values: [0.1, 0.2, 0.3])]
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
}
