import XCTest
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import PolicyGradient

final class ReportTests: XCTestCase {
    // MARK: - Number formatting

    func testSignificantDigits() {
        let cases: [(Double, String)] = [
            (3.14159, "3.142"), (0.5, "0.5000"), (9.99999, "10.00"), (1234.56, "1235"),
            (123456, "123456"), (0.00123456, "0.001235"), (0.000123456, "1.235e-04"),
            (-0.000123456, "-1.235e-04"), (2.5e7, "2.500e+07"), (0, "0"), (-0.0, "0"),
            (-2.0, "-2.000"), (.nan, "nan"), (.infinity, "inf"), (-.infinity, "-inf"),
        ]
        for (x, expected) in cases {
            XCTAssertEqual(NumberFormat.significant(x), expected, "\(x)")
        }
        XCTAssertEqual(NumberFormat.significant(2.0 / 3, digits: 2), "0.67")
    }

    func testMeanWithError() {
        XCTAssertEqual(NumberFormat.meanWithError(0.123456, 0.00234), "0.1235 ± 0.0023")
        XCTAssertEqual(NumberFormat.meanWithError(1234.7, 56.7), "1235 ± 57")
        XCTAssertEqual(NumberFormat.meanWithError(-0.5, 0.25), "-0.50 ± 0.25")
        XCTAssertEqual(NumberFormat.meanWithError(1e-9, 1e-8), "1.000e-09 ± 1.0e-08")
        XCTAssertEqual(NumberFormat.meanWithError(5, 0), "5.000 ± 0")
        XCTAssertEqual(NumberFormat.meanWithError(5, .nan), "5.000 ± nan")
    }

    // MARK: - Text tables

    func testTableAlignmentExactText() {
        var table = TextTable(headers: ["estimator", "variance", "rel. bias", "note"])
        table.addRow(["reinforce", "12.5", "0.013 ± 0.021", "unbiased"])
        table.addRow(["gumbel (τ=0.5)", "0.0031", "0.21 ± 0.01", ""])
        table.addRow(["st-gumbel", "nan", "1.235e-04 ± 2.0e-05"])
        let expected = """
        estimator       variance            rel. bias  note
        --------------  --------  -------------------  --------
        reinforce           12.5        0.013 ± 0.021  unbiased
        gumbel (τ=0.5)    0.0031          0.21 ± 0.01
        st-gumbel            nan  1.235e-04 ± 2.0e-05

        """
        XCTAssertEqual(table.render(), expected)
        XCTAssertEqual(table.description, expected)
    }

    func testTableExplicitAlignment() {
        var table = TextTable(headers: ["n", "name"], alignments: [.left, .right])
        table.addRow(["1", "a"])
        table.addRow(["100", "bcd"])
        XCTAssertEqual(table.render(), "n    name\n---  ----\n1       a\n100   bcd\n")
        XCTAssertTrue(TextTable.looksNumeric("-1.5e-3 ± 2e-4"))
        XCTAssertTrue(TextTable.looksNumeric("12%"))
        XCTAssertFalse(TextTable.looksNumeric("vimco"))
    }

    // MARK: - SVG plots

    func testSVGIsWellFormedWithExpectedElements() throws {
        let plot = SVGPlot(title: "Returns <&> \"quotes\"", panels: [
            .init(title: "Learning curves", xLabel: "iteration", yLabel: "mean return", series: [
                .init(label: "REINFORCE", x: [0, 1, 2, 3], y: [0.1, 0.4, 0.5, 0.7], band: [0.05, 0.05, 0.04, 0.03]),
                .init(label: "NVIL", x: [0, 1, 2, 3], y: [0.2, 0.5, 0.6, 0.9]),
            ]),
            .init(title: "Variance", xLabel: "iteration", yLabel: "tr Cov", yScale: .log10, series: [
                .init(label: "REINFORCE", x: [0, 1, 2], y: [30, 20, 12]),
                .init(label: "NVIL", x: [0, 1, 2], y: [0.5, 0.2, 0.05], dash: .dashed),
                .init(label: "ST a<b", x: [0, 1, 2], y: [0.02, 0.03, 0.04]),
            ]),
        ])
        let doc = try XMLSummary(plot.render())
        XCTAssertEqual(doc.root, "svg")
        XCTAssertEqual(doc.elements.filter { $0.attributes["class"] == "series" }.count, 5)
        XCTAssertEqual(doc.elements.filter { $0.attributes["class"] == "band" }.count, 1)
        XCTAssertEqual(doc.texts(class: "legend-label"), ["REINFORCE", "NVIL", "ST a<b"])
        XCTAssertEqual(doc.texts(class: "figure-title"), ["Returns <&> \"quotes\""])
        XCTAssertEqual(doc.texts(class: "panel-title"), ["Learning curves", "Variance"])
        XCTAssertEqual(doc.texts(class: "axis-label"), ["iteration", "mean return", "iteration", "tr Cov"])
        let ticks = doc.texts(class: "tick-label")
        for label in ["0.0", "0.2", "0.8", "0", "3", "10\u{2212}2", "10\u{2212}1", "100", "101", "102"] {
            XCTAssertTrue(ticks.contains(label), "missing tick label \(label) in \(ticks)")
        }
        let svg = plot.render()
        XCTAssertTrue(svg.contains("Returns &lt;&amp;&gt; &quot;quotes&quot;"))
        XCTAssertTrue(svg.contains(#"viewBox="0 0 "#))
        XCTAssertTrue(svg.contains(#"stroke-dasharray="6 4""#))
    }

    func testSVGSurvivesNaNEmptyAndConstantSeries() throws {
        let plot = SVGPlot(panels: [
            .init(title: "awkward", series: [
                .init(label: "gappy", x: [0, 1, 2, 3, 4], y: [1, .nan, 2, .infinity, 3]),
                .init(label: "empty", x: [], y: []),
                .init(label: "constant", x: [0, 1, 2], y: [5, 5, 5], band: [0, 0, 0]),
            ]),
            .init(title: "log", yScale: .log10, series: [
                .init(label: "nonpositive", x: [0, 1, 2, 3], y: [-1, 0, 0.1, 10]),
            ]),
            .init(title: "log constant", yScale: .log10, series: [.init(label: "constant", x: [0, 1], y: [1, 1])]),
            .init(title: "no data at all", xScale: .log10, yScale: .log10),
        ])
        let doc = try XMLSummary(plot.render())
        try Self.writeSampleIfRequested(plot.render(), suffix: "-awkward")
        let paths = doc.elements.filter { $0.attributes["class"] == "series" }.compactMap { $0.attributes["d"] }
        XCTAssertEqual(paths.count, 5)
        XCTAssertEqual(paths[0].components(separatedBy: "M").count - 1, 3, "NaN and ∞ break the line: \(paths[0])")
        XCTAssertEqual(paths[0].components(separatedBy: " a1.5,1.5").count - 1, 6, "isolated points become dots")
        XCTAssertEqual(paths[1], "")
        XCTAssertEqual(paths[3].components(separatedBy: "M").count - 1, 1, "≤ 0 skipped on log axis")
        XCTAssertFalse(plot.render().contains("nan"), "no NaN coordinates leak into the SVG")
        XCTAssertEqual(doc.texts(class: "legend-label"), ["gappy", "empty", "constant", "nonpositive"])
        XCTAssertGreaterThanOrEqual(doc.texts(class: "tick-label").filter { !$0.isEmpty }.count, 8)
    }

    func testLinearTicksUseOneTwoFiveSteps() throws {
        let plot = SVGPlot(panels: [.init(series: [.init(label: "", x: [0, 730], y: [-0.013, 0.041])])])
        let ticks = try XMLSummary(plot.render()).texts(class: "tick-label")
        XCTAssertEqual(ticks, ["0", "200", "400", "600", "800",
                               "\u{2212}0.01", "0.00", "0.01", "0.02", "0.03", "0.04"])
    }

    /// Writes the sample figure to the path in PG_WRITE_SAMPLE_SVG (or /tmp/sample.svg when it
    /// is set to "1"); always checks that the figure is well-formed.
    func testSampleFigure() throws {
        let svg = SampleFigure.make().render()
        let doc = try XMLSummary(svg)
        XCTAssertEqual(doc.elements.filter { $0.attributes["class"] == "series" }.count, 10)
        try Self.writeSampleIfRequested(svg, suffix: "")
    }

    /// Writes `svg` to $PG_WRITE_SAMPLE_SVG (or /tmp/sample.svg when the variable is not a path),
    /// with `suffix` inserted before ".svg"; does nothing when the variable is unset.
    static func writeSampleIfRequested(_ svg: String, suffix: String) throws {
        guard let target = ProcessInfo.processInfo.environment["PG_WRITE_SAMPLE_SVG"], !target.isEmpty else { return }
        var path = target.contains("/") ? target : "/tmp/sample.svg"
        if path.hasSuffix(".svg") { path.removeLast(4) }
        try svg.write(toFile: path + suffix + ".svg", atomically: true, encoding: .utf8)
    }
}

/// The elements and texts of an XML document, parsed with Foundation's `XMLParser`.
final class XMLSummary: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text = ""
    }

    private(set) var elements: [Element] = []
    private var stack: [Int] = []
    var root: String? { elements.first?.name }

    init(_ xml: String) throws {
        super.init()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = self
        if !parser.parse() {
            throw parser.parserError ?? NSError(domain: "XMLSummary", code: 1)
        }
    }

    /// The full text (tspans included) of every element with the given class, in document order.
    func texts(class name: String) -> [String] {
        elements.filter { $0.attributes["class"] == name }.map(\.text)
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        stack.append(elements.count)
        elements.append(Element(name: elementName, attributes: attributeDict))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        for i in stack { elements[i].text += string }
    }
}
