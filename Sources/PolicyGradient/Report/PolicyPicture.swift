import Foundation

/// Pictures of a policy, as standalone SVG 1.1 documents: for a gridworld, its map with one
/// arrow per action in every cell the agent can stand in and the cells shaded by an exact
/// per-state quantity; for a bandit, π(a) under the arms' means q*(a).
///
/// The policy comes in as its probabilities π(a|s), row-major S × A, so any policy can be drawn
/// (a ``PolicyTable``'s `probabilities`, a checkpoint's softmax, a hand-written table):
///
///     var table = PolicyTable(stateCount: world.stateCount, actionCount: world.actionCount)
///     table.update(from: policy, features: world.featureMatrix(), featureCount: world.featureCount)
///     let svg = PolicyPicture.gridworld(world, probabilities: table.probabilities, shading: .visits)
///
/// Gridworld pictures: walls solid dark grey, holes a dark pit, cliffs hatched, goals green
/// with a "G", the start marked "S" in its corner; in each standable cell an arrow per action,
/// pointing in the action's move (``GridMap/actions``), of length π(a|s) × 0.42 of a cell (an
/// action taken surely reaches nearly to the cell's edge). The shading is a sequential
/// yellow–orange scale (light = low), monotonic in lightness, so it survives greyscale and
/// colour-blindness; a colour bar names the quantity and gives its range.
public enum PolicyPicture {
    /// The per-state quantity that shades a gridworld picture, computed exactly from the
    /// dynamics by ``PolicyEvaluation``.
    public enum Shading: String, Sendable, CaseIterable {
        /// The expected number of visits per episode, Σ_{t<H} d_t(s).
        case visits
        /// The value V(s) with the whole horizon ahead (expected discounted return from s).
        case value
    }

    /// A gridworld's map with the policy's arrows, shaded by the exact expected visits or value
    /// of every standable cell under the policy, for the time limit's horizon.
    /// - Parameters:
    ///   - world: the gridworld (its map, table and time limit).
    ///   - probabilities: π(a|s), row-major S × A with S = rows · columns and A = 4.
    ///   - shading: the quantity shown by colour (default ``Shading/visits``).
    ///   - gamma: the discount γ ∈ [0, 1] for ``Shading/value`` (default 1).
    ///   - range: the values at the ends of the colour scale, or nil for 0 to the largest count
    ///     (visits) or the smallest to the largest value (value); fix it to compare pictures.
    ///   - title: the title, or nil for "ID: π(a|s) and QUANTITY".
    /// - Returns: the SVG text.
    /// - Precondition: `probabilities.count == world.stateCount * world.actionCount`.
    /// - Complexity: O(H · Σ outcomes) for the quantity, then O(S · A) to draw.
    public static func gridworld(_ world: Gridworld, probabilities: [Double], shading: Shading = .visits,
                                 gamma: Double = 1, range: ClosedRange<Double>? = nil, title: String? = nil) -> String {
        let h = world.timeLimit
        let quantity: [Double], label: String
        var range = range
        switch shading {
        case .visits:
            quantity = PolicyEvaluation.expectedVisits(model: world.model, probabilities: probabilities, horizon: h)
            label = "expected visits per episode (H = \(h))"
            if range == nil, let top = quantity.filter(\.isFinite).max(), top > 0 { range = 0...top }
        case .value:
            quantity = PolicyEvaluation.values(model: world.model, probabilities: probabilities, horizon: h, gamma: gamma)
            label = "value V(s), \(h) steps ahead" + (gamma < 1 ? ", γ = \(short(gamma))" : "")
        }
        let name = shading == .visits ? "expected visits" : "value"
        return gridworld(map: world.map, probabilities: probabilities, quantity: quantity, quantityLabel: label,
                         range: range, title: title ?? "\(world.id): π(a|s) and \(name)")
    }

    /// A gridworld's map with the policy's arrows, shaded by any per-state quantity.
    /// - Parameters:
    ///   - map: the map (cells, size, and the move of each action).
    ///   - probabilities: π(a|s), row-major S × A with S = rows · columns, A = `map.actions.count`.
    ///   - quantity: one value per state; only standable cells are shaded, and a non-finite value
    ///     is drawn grey.
    ///   - quantityLabel: what the colour bar shows, for example "expected visits per episode".
    ///   - range: the values at the ends of the colour scale (values outside get the end
    ///     colours), or nil for the smallest to the largest finite value of the standable cells.
    ///   - title: the title, or "" for none.
    /// - Returns: the SVG text.
    /// - Precondition: the counts above.
    /// - Complexity: O(S · A).
    public static func gridworld(map: GridMap, probabilities: [Double], quantity: [Double],
                                 quantityLabel: String, range: ClosedRange<Double>? = nil, title: String) -> String {
        let s = map.rows * map.columns
        precondition(probabilities.count == s * map.actions.count, "probabilities must be row-major S × A")
        precondition(quantity.count == s, "quantity needs one value per state")
        return GridPicture(map: map, probabilities: probabilities, quantity: quantity,
                           quantityLabel: quantityLabel, range: range, title: title).render()
    }

    /// A bandit's policy: bars of the arms' means q*(a) above bars of π(a), arm by arm, the
    /// best arm highlighted.
    /// - Parameters:
    ///   - bandit: the bandit (its arms' means).
    ///   - probabilities: π(a), one per arm.
    ///   - title: the title, or nil for "ID: π(a) and q*(a)".
    /// - Returns: the SVG text.
    /// - Precondition: `probabilities.count == bandit.actionCount`.
    /// - Complexity: O(A).
    public static func bandit(_ bandit: Bandit, probabilities: [Double], title: String? = nil) -> String {
        PolicyPicture.bandit(means: bandit.arms.map(\.mean), probabilities: probabilities,
               title: title ?? "\(bandit.id): π(a) and q*(a)")
    }

    /// Bars of the arms' means q*(a) above bars of π(a), the best arm (first on ties) highlighted.
    /// - Parameters:
    ///   - means: q*(a) per arm.
    ///   - probabilities: π(a) per arm.
    ///   - title: the title, or "" for none.
    /// - Returns: the SVG text.
    /// - Precondition: `means` is non-empty and `probabilities.count == means.count`.
    /// - Complexity: O(A).
    public static func bandit(means: [Double], probabilities: [Double], title: String) -> String {
        precondition(!means.isEmpty && probabilities.count == means.count, "one probability per arm")
        return BanditPicture(means: means, probabilities: probabilities, title: title).render()
    }

    // MARK: - Shared drawing

    /// The XML declaration, the `<svg>` element, the title element and the white background.
    static func header(width: Double, height: Double, title: String) -> String {
        let w = SVGPlot.num(width), h = SVGPlot.num(height)
        var s = #"<?xml version="1.0" encoding="UTF-8" standalone="no"?>"# + "\n"
        s += #"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" "#
        s += #"width="\#(w)" height="\#(h)" viewBox="0 0 \#(w) \#(h)" "#
        s += #"font-family="\#(SVGPlot.escapeXML(SVGPlot.fontFamily))" font-size="12">"# + "\n"
        if !title.isEmpty { s += "<title>\(SVGPlot.escapeXML(title))</title>\n" }
        s += ##"<rect x="0" y="0" width="\##(w)" height="\##(h)" fill="#ffffff"/>"## + "\n"
        return s
    }

    /// A rectangle with optional extra attributes.
    static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, extra: String = "") -> String {
        var s = #"<rect x="\#(SVGPlot.num(x))" y="\#(SVGPlot.num(y))" width="\#(SVGPlot.num(w))" "#
        s += #"height="\#(SVGPlot.num(h))" fill="\#(fill)""#
        return s + (extra.isEmpty ? "" : " " + extra) + "/>\n"
    }

    /// A number for a tooltip or label: three significant digits, trailing zeros dropped
    /// ("0.25", "13", "1.23e-05"); "n/a" when not finite.
    static func short(_ v: Double) -> String {
        guard v.isFinite else { return "n/a" }
        var s = NumberFormat.significant(v, digits: 3)
        if s.contains("."), !s.contains("e") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }
}
