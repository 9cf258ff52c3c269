import Foundation
@testable import PolicyGradient

/// A synthetic two-panel figure of the kind `pg compare` draws: learning curves with standard-error
/// bands, and gradient variance on a log axis. The data are made up (seeded), not trained.
enum SampleFigure {
    struct Method {
        var name: String
        var plateau: Double
        var timescale: Double
        var noise: Double
        var variance: Double
    }

    static let methods = [
        Method(name: "REINFORCE", plateau: 1.45, timescale: 110, noise: 0.30, variance: 40),
        Method(name: "REINFORCE + EMA baseline", plateau: 1.5, timescale: 70, noise: 0.22, variance: 6),
        Method(name: "NVIL", plateau: 1.5, timescale: 50, noise: 0.18, variance: 1.5),
        Method(name: "VIMCO (K = 4)", plateau: 1.5, timescale: 38, noise: 0.14, variance: 0.6),
        Method(name: "Gumbel-softmax (τ = 0.5)", plateau: 1.2, timescale: 22, noise: 0.10, variance: 0.04),
    ]

    static func make(iterations: Int = 200, seeds: Int = 10) -> SVGPlot {
        var curves: [SVGPlot.Series] = [], variances: [SVGPlot.Series] = []
        for (m, method) in methods.enumerated() {
            var returns: [[Double]] = [], vars: [[Double]] = []
            for seed in 0..<seeds {
                var rng = RandomStream(seed: UInt64(seed)).split(UInt64(m))
                let (r, v) = run(method, iterations: iterations, rng: &rng)
                returns.append(r)
                vars.append(v)
            }
            let r = RunningMoments.pointwise(returns), v = RunningMoments.pointwise(vars)
            curves.append(.init(label: method.name, y: r.map(\.mean), band: r.map(\.standardError)))
            variances.append(.init(label: method.name, y: v.map(\.mean), band: v.map(\.standardError)))
        }
        return SVGPlot(title: "bandit10: estimators compared (10 seeds, mean ± s.e.)", panels: [
            .init(title: "Learning curves", xLabel: "iteration", yLabel: "mean return", series: curves),
            .init(title: "Gradient variance", xLabel: "iteration", yLabel: "tr Cov[ĝ]", yScale: .log10,
                  series: variances),
        ])
    }

    /// One seed's return and variance curves: a saturating rise with autocorrelated noise.
    static func run(_ method: Method, iterations: Int, rng: inout RandomStream) -> ([Double], [Double]) {
        let skill = 1 + 0.08 * rng.nextGaussian()
        var wobble = 0.0
        var returns: [Double] = [], variances: [Double] = []
        for t in 0..<iterations {
            wobble = 0.8 * wobble + 0.4 * method.noise * rng.nextGaussian()
            let progress = 1 - exp(-Double(t) / method.timescale)
            returns.append(method.plateau * skill * progress + wobble)
            let level = method.variance * (0.25 + 0.75 * exp(-Double(t) / 80))
            variances.append(level * exp(0.25 * rng.nextGaussian()))
        }
        return (returns, variances)
    }
}
