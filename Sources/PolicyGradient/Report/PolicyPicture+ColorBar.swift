import Foundation

extension PolicyPicture {
    /// A sequential colour scale on [lo, hi]: ColorBrewer's YlOrBr (C. Brewer, colorbrewer2.org),
    /// stopped before its darkest brown so that black arrows stay legible on every cell. Its
    /// lightness falls monotonically from low to high, so it reads in greyscale and for
    /// colour-blind readers.
    struct ColorScale {
        /// The stops from low to high, as (r, g, b) in 0...255.
        static let stops: [(Double, Double, Double)] = [
            (255, 255, 229), (255, 247, 188), (254, 227, 145), (254, 196, 79),
            (254, 153, 41), (236, 112, 20), (204, 76, 2),
        ]
        /// The grey of a cell whose value is not finite.
        static let missing = "#d9d9d9"

        var lo: Double
        var hi: Double

        /// A scale over the finite values of `values` (widened when they are all equal, as the
        /// colour bar's axis is, so that one value gets the colour of the middle).
        init(values: [Double]) {
            let finite = values.filter(\.isFinite)
            let axis = SVGPlot.Axis.linear(finite.min() ?? 0, finite.max() ?? 1, rounded: false)
            lo = axis.lo
            hi = axis.hi
        }

        /// Where `v` falls on the scale, clamped to [0, 1].
        func fraction(_ v: Double) -> Double {
            min(1, max(0, (v - lo) / (hi - lo)))
        }

        /// The `#rrggbb` colour of `v`, interpolated linearly between the stops.
        func color(_ v: Double) -> String {
            guard v.isFinite else { return Self.missing }
            return Self.color(atFraction: fraction(v))
        }

        /// The colour at a fraction f ∈ [0, 1] of the scale.
        static func color(atFraction f: Double) -> String {
            let x = min(1, max(0, f)) * Double(stops.count - 1)
            let i = min(stops.count - 2, Int(x))
            let t = x - Double(i)
            let (a, b) = (stops[i], stops[i + 1])
            func mix(_ p: Double, _ q: Double) -> Int { Int((p + (q - p) * t).rounded()) }
            return String(format: "#%02x%02x%02x", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
        }
    }

    /// A horizontal colour bar: the quantity's name above, a gradient bar, and below it the
    /// exact minimum and maximum at the ends with round ticks between them.
    /// - Returns: the SVG fragment, and its height in pixels.
    static func colorBar(_ scale: ColorScale, label: String, x: Double, y: Double, width: Double) -> (String, Double) {
        let barY = y + 20, barHeight = 12.0
        var s = #"<g class="color-bar">"# + "\n"
        s += #"<defs><linearGradient id="pg-scale" x1="0" y1="0" x2="1" y2="0">"#
        for k in 0..<ColorScale.stops.count {
            let f = Double(k) / Double(ColorScale.stops.count - 1)
            s += #"<stop offset="\#(SVGPlot.num(f))" stop-color="\#(ColorScale.color(atFraction: f))"/>"#
        }
        s += "</linearGradient></defs>\n"
        s += SVGPlot.text(label, x: x, y: y + 13, size: 12, anchor: "start", extra: #"class="color-bar-label""#)
        s += rect(x, barY, width, barHeight, fill: "url(#pg-scale)", extra: ##"stroke="#999999" stroke-width="0.6""##)
        func minus(_ text: String) -> String { text.replacingOccurrences(of: "-", with: "\u{2212}") }
        var ticks: [(Double, String)] = [(0, minus(short(scale.lo))), (1, minus(short(scale.hi)))]
        let (leftEnd, rightEnd) = (SVGPlot.textWidth(ticks[0].1, size: 11), SVGPlot.textWidth(ticks[1].1, size: 11))
        let axis = SVGPlot.Axis.linear(scale.lo, scale.hi, rounded: false)
        for t in axis.major {
            let f = scale.fraction(t.position), half = SVGPlot.textWidth(t.label.text, size: 11) / 2
            if f * width - half > leftEnd + 8 && (1 - f) * width - half > rightEnd + 8 { ticks.append((f, t.label.text)) }
        }
        let bottom = barY + barHeight
        for (f, text) in ticks {
            let px = x + f * width
            s += SVGPlot.tick(x1: px, y1: bottom, x2: px, y2: bottom + 4)
                .replacingOccurrences(of: "/>", with: ##" stroke="#555555"/>"##)
            let anchor = f == 0 ? "start" : (f == 1 ? "end" : "middle")
            s += SVGPlot.text(text, x: px, y: bottom + 16, size: 11, anchor: anchor, extra: #"class="color-bar-tick""#)
        }
        return (s + "</g>\n", bottom + 20 - y)
    }
}
