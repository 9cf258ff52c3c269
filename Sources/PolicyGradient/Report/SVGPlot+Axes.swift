import Foundation

extension SVGPlot {
    /// A tick label: plain text, or a base with a superscript exponent ("10" and "−3" for 10⁻³).
    struct TickLabel: Equatable {
        var text: String
        var exponent: String?
    }

    /// A fitted axis in transformed coordinates (log₁₀ v on a log axis).
    struct Axis {
        var scale: Scale
        /// The ends of the axis, transformed.
        var lo: Double
        var hi: Double
        /// Labelled tick positions, transformed, with their labels.
        var major: [(position: Double, label: TickLabel)]
        /// Unlabelled tick positions, transformed (log axes: 2…9 × 10ᵏ).
        var minor: [Double]

        /// The transformed value, or nil when `v` cannot be shown on this scale.
        func transform(_ v: Double) -> Double? {
            guard v.isFinite else { return nil }
            switch scale {
            case .linear: return v
            case .log10: return v > 0 ? Foundation.log10(v) : nil
            }
        }

        /// Where `v` falls along the axis: 0 at `lo`, 1 at `hi`; nil when it cannot be shown.
        func fraction(_ v: Double) -> Double? {
            transform(v).map { ($0 - lo) / (hi - lo) }
        }

        /// Fits an axis to data in [minimum, maximum] (raw values valid on `scale`), or to a
        /// fixed range. Automatic ranges are rounded out to the nearest ticks; a zero-width
        /// range is widened so that a constant series still gets an axis.
        static func fit(scale: Scale, minimum: Double?, maximum: Double?,
                        fixed: ClosedRange<Double>?) -> Axis {
            switch scale {
            case .linear:
                let a = fixed?.lowerBound ?? minimum ?? 0
                let b = fixed?.upperBound ?? maximum ?? 1
                return linear(a, b, rounded: fixed == nil)
            case .log10:
                let valid = fixed.map { $0.lowerBound > 0 } ?? false
                let a = valid ? fixed!.lowerBound : (minimum ?? 1)
                let b = valid ? fixed!.upperBound : (maximum ?? 10)
                return logarithmic(Foundation.log10(a), Foundation.log10(b), rounded: !valid)
            }
        }

        /// A linear axis on [a, b] with 4 to 10 ticks every 1, 2 or 5 × 10ᵏ.
        ///
        /// With `rounded`, each end moves out to the next tick when that adds at most 10% of the
        /// span, and otherwise gets a 4% margin, so data never sit on a far-off round number.
        static func linear(_ a0: Double, _ b0: Double, rounded: Bool) -> Axis {
            // Data read from files can be anything finite: keep the span and its ticks representable.
            var a = min(max(a0, -1e300), 1e300), b = min(max(b0, -1e300), 1e300)
            if !(b - a).isFinite || b - a <= max(1e-290, 1e-12 * max(abs(a), abs(b))) {
                let pad = abs(a) < 1e-280 || !a.isFinite ? 1 : abs(a) * 0.1
                if !a.isFinite { a = 0 }
                (a, b) = (a - pad, a + pad)
            }
            var step = niceStep((b - a) / 5)
            let (dataLo, dataHi) = (a, b)
            for _ in 0..<3 {
                if rounded { (a, b) = roundOut(dataLo, dataHi, step: step) }
                if tickCount(a, b, step: step) >= 4 { break }
                step = smallerNiceStep(step)
            }
            let first = (a / step - 1e-9).rounded(.up)
            let n = tickCount(a, b, step: step)
            let big = max(abs(a), abs(b)) >= 1e6 || step < 1e-5
            let decimals = max(0, -Int((Foundation.log10(step) + 1e-9).rounded(.down)))
            let major = (0..<max(0, n)).map { j -> (Double, TickLabel) in
                let v = (first + Double(j)) * step
                let text = big ? NumberFormat.significant(v, digits: 3) : NumberFormat.fixed(v, decimals: decimals)
                return (v, TickLabel(text: text.replacingOccurrences(of: "-", with: "\u{2212}")))
            }
            return Axis(scale: .linear, lo: a, hi: b, major: major, minor: [])
        }

        /// [a, b] with each end moved out to a multiple of `step` if that adds ≤ 10% of the span,
        /// else widened by a 4% margin.
        static func roundOut(_ a: Double, _ b: Double, step: Double) -> (Double, Double) {
            let span = b - a
            let lo = (a / step).rounded(.down) * step, hi = (b / step).rounded(.up) * step
            return (a - lo <= 0.1 * span ? lo : a - 0.04 * span,
                    hi - b <= 0.1 * span ? hi : b + 0.04 * span)
        }

        /// The number of multiples of `step` in [a, b].
        static func tickCount(_ a: Double, _ b: Double, step: Double) -> Int {
            Int((b / step + 1e-9).rounded(.down) - (a / step - 1e-9).rounded(.up)) + 1
        }

        /// The next 1-2-5 step below `step` (5 → 2, 2 → 1, 1 → 0.5).
        static func smallerNiceStep(_ step: Double) -> Double {
            let magnitude = pow(10, (Foundation.log10(step) + 1e-9).rounded(.down))
            let m = (step / magnitude).rounded()
            return m >= 5 ? 2 * magnitude : (m >= 2 ? magnitude : 0.5 * magnitude)
        }

        /// The smallest 1, 2 or 5 × 10ᵏ that is ≥ `raw`.
        static func niceStep(_ raw: Double) -> Double {
            let magnitude = pow(10, (Foundation.log10(raw)).rounded(.down))
            let residual = raw / magnitude
            let m: Double = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10
            return m * magnitude
        }

        /// A log axis on [10^lo, 10^hi] with labelled decades (every k-th when there are more than
        /// eight) and unlabelled minor ticks at 2…9 × 10ᵏ when it spans at most six decades.
        static func logarithmic(_ lo0: Double, _ hi0: Double, rounded: Bool) -> Axis {
            // Decades of finite doubles only (log10 of 0 is -inf): every tick stays an integer.
            var lo = min(max(lo0.isFinite ? lo0 : -324, -324), 309), hi = min(max(hi0.isFinite ? hi0 : 309, -324), 309)
            if rounded {
                lo = (lo + 1e-9).rounded(.down)
                hi = (hi - 1e-9).rounded(.up)
            }
            if hi - lo < 1e-9 { (lo, hi) = (lo - 1, hi + 1) }
            let every = max(1, Int(((hi - lo) / 8).rounded(.up)))
            var major: [(position: Double, label: TickLabel)] = []
            var e = (lo - 1e-9).rounded(.up)
            while e <= hi + 1e-9 {
                if Int(e) % every == 0 {
                    let exponent = String(Int(e)).replacingOccurrences(of: "-", with: "\u{2212}")
                    major.append((e, TickLabel(text: "10", exponent: exponent)))
                }
                e += 1
            }
            var minor: [Double] = []
            if hi - lo <= 6 {
                var d = lo.rounded(.down)
                while d < hi {
                    for m in 2...9 {
                        let p = d + Foundation.log10(Double(m))
                        if p > lo && p < hi { minor.append(p) }
                    }
                    d += 1
                }
            }
            return Axis(scale: .log10, lo: lo, hi: hi, major: major, minor: minor)
        }
    }
}
