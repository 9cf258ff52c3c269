import Foundation
@testable import PolicyGradient
import XCTest

/// Policy pictures: well-formed SVG with one cell per state, one arrow per (standable cell,
/// action), arrows pointing the action's way with length ∝ π(a|s), every kind of cell drawn,
/// and a colour bar naming the quantity and its range.
final class PolicyPictureTests: XCTestCase {
    /// 3 × 4 with every kind of cell: start, floor, wall, hole, cliff (restart), goal.
    static let mapText = """
    name: every-cell
    actions: left down right up
    time-limit: 20
    map:
    S.#.
    ...H
    C..G
    """

    static func world() throws -> Gridworld { try Gridworld(parsing: mapText, file: "every-cell") }

    func testGridPictureHasOneCellPerStateAndOneArrowPerAction() throws {
        let w = try Self.world()
        let uniform = [Double](repeating: 0.25, count: w.stateCount * 4)
        let doc = try XMLSummary(PolicyPicture.gridworld(w, probabilities: uniform))
        XCTAssertEqual(doc.root, "svg")
        let cells = doc.elements.filter { $0.attributes["class"] == "cell" }
        XCTAssertEqual(cells.count, 12)
        XCTAssertEqual(doc.elements.filter { $0.attributes["class"] == "arrow" }.count, 8 * 4, "8 standable cells × 4 actions")
        XCTAssertEqual(cells.filter { $0.attributes["fill"] == "url(#pg-cliff)" }.count, 1)
        XCTAssertEqual(cells.filter { $0.attributes["fill"] == "#4a4a4a" }.count, 1, "one wall")
        XCTAssertEqual(cells.filter { $0.attributes["fill"] == "#009E73" }.count, 1, "one goal")
        XCTAssertEqual(doc.elements.filter { $0.attributes["class"] == "pit" }.count, 2, "one hole, and its key")
        XCTAssertEqual(doc.texts(class: "cell-mark").prefix(2), ["S", "G"])
        XCTAssertEqual(doc.texts(class: "key-label"), ["π(a|s) = 1", "start", "goal", "hole", "cliff", "wall"])
        XCTAssertEqual(doc.texts(class: "figure-title"), ["every-cell: π(a|s) and expected visits"])
        XCTAssertEqual(doc.texts(class: "color-bar-label"), ["expected visits per episode (H = 20)"])
        let visits = PolicyEvaluation.expectedVisits(model: w.model, probabilities: uniform, horizon: 20)
        let ends = doc.texts(class: "color-bar-tick")
        XCTAssertEqual(ends[0], "0", "visits are shaded from 0")
        XCTAssertEqual(Double(ends[1])!, visits.max()!, accuracy: 0.005 * visits.max()!, "… to the most visited cell")
        XCTAssertTrue(cells[0].text.hasPrefix("state 0 (row 0, column 0), start; expected visits per episode (H = 20): "))
        XCTAssertTrue(cells[0].text.hasSuffix("; π: left 0.25, down 0.25, right 0.25, up 0.25"), cells[0].text)
    }

    /// A policy that always goes right (action 2): one non-empty arrow per standable cell, from
    /// the centre to 0.42 of a cell to the right; the other arrows are empty paths.
    func testArrowsPointTheActionsWayWithLengthProportionalToProbability() throws {
        let w = try Self.world()
        var p = [Double](repeating: 0, count: w.stateCount * 4)
        for s in 0..<w.stateCount { p[s * 4 + 2] = 1 }
        p[0 * 4 + 2] = 0.5
        p[0 * 4 + 1] = 0.5
        let doc = try XMLSummary(PolicyPicture.gridworld(w, probabilities: p, shading: .value))
        let arrows = doc.elements.filter { $0.attributes["class"] == "arrow" }.map { $0.attributes["d"] ?? "" }
        XCTAssertEqual(arrows.filter { !$0.isEmpty }.count, 9, "8 cells go right, the start also goes down")
        let startRight = try XCTUnwrap(arrows[2])
        let startDown = try XCTUnwrap(arrows[1])
        func tip(_ d: String) -> (Double, Double) {
            let parts = d.split(separator: " ")[2].dropFirst().split(separator: ",").map { Double($0)! }
            return (parts[0], parts[1])
        }
        func origin(_ d: String) -> (Double, Double) {
            let parts = d.split(separator: " ")[0].dropFirst().split(separator: ",").map { Double($0)! }
            return (parts[0], parts[1])
        }
        let (ox, oy) = origin(startRight), (rx, ry) = tip(startRight), (dx, dy) = tip(startDown)
        let cell = 72.0 // 560 px / 4 columns, capped at 72
        XCTAssertEqual(ry, oy, accuracy: 0.01)
        XCTAssertEqual(rx - ox, 0.5 * 0.42 * cell, accuracy: 0.01, "π = ½ reaches 0.21 of a cell to the right")
        XCTAssertEqual(dx, ox, accuracy: 0.01)
        XCTAssertEqual(dy - oy, 0.5 * 0.42 * cell, accuracy: 0.01, "down is +y on screen")
        let full = arrows[1 * 4 + 2] // state 1 (floor), right, π = 1
        XCTAssertEqual(tip(full).0 - origin(full).0, 0.42 * cell, accuracy: 0.01)
        XCTAssertEqual(doc.texts(class: "color-bar-label"), ["value V(s), 20 steps ahead"])
    }

    func testGivenRangeAndConstantQuantity() throws {
        let w = try Self.world()
        let uniform = [Double](repeating: 0.25, count: w.stateCount * 4)
        let fixed = try XMLSummary(PolicyPicture.gridworld(w, probabilities: uniform, range: 0...10))
        XCTAssertEqual(Array(fixed.texts(class: "color-bar-tick").prefix(2)), ["0", "10"])
        let svg = PolicyPicture.gridworld(map: w.map, probabilities: uniform, quantity: [Double](repeating: 3, count: 12),
                                          quantityLabel: "three", title: "")
        let doc = try XMLSummary(svg)
        XCTAssertEqual(doc.texts(class: "figure-title"), [])
        XCTAssertFalse(svg.contains("nan"), "a constant quantity still gets a finite scale")
    }

    func testBanditPictureHasOneBarPerArmInEachPanel() throws {
        let bandit = Bandit.bernoulli([0.2, 0.9, 0.5])
        let svg = PolicyPicture.bandit(bandit, probabilities: [0.1, 0.7, 0.2])
        let doc = try XMLSummary(svg)
        let q = doc.elements.filter { $0.attributes["class"] == "bar-q" }
        let pi = doc.elements.filter { $0.attributes["class"] == "bar-pi" }
        XCTAssertEqual(q.count, 3)
        XCTAssertEqual(pi.count, 3)
        XCTAssertEqual(q.map { $0.attributes["fill"] }, ["#56B4E9", "#D55E00", "#56B4E9"], "the best arm is highlighted")
        XCTAssertEqual(doc.texts(class: "bar-value"), ["0.10", "0.70", "0.20"])
        XCTAssertEqual(doc.texts(class: "figure-title"), ["bernoulli: π(a) and q*(a)"])
        let heights = pi.map { Double($0.attributes["height"]!)! }
        XCTAssertEqual(heights[1] / heights[0], 7, accuracy: 0.01, "bar heights ∝ π(a)")
    }
}
