import Foundation
@testable import PolicyGradient

/// Moments of R independent gradient estimates at a fixed policy, against the exact ∇J.
///
/// Stores the estimates, so every statistic is exact for the sample: mean ĝ, bias
/// mean ĝ − ∇J with per-coordinate standard errors, the trace of the covariance and its
/// standard error (from the spread of ‖ĝ − mean ĝ‖²).
struct GradientMoments {
    let exact: [Double]
    let mean: [Double]
    /// Per-coordinate sample variance of one estimate.
    let variance: [Double]
    /// Trace of the sample covariance of one estimate, and its standard error.
    let trace: Double, traceError: Double
    let replicates: Int
    /// Estimates with a NaN or infinite entry (counted by ``init(session:replicates:)``).
    var nonFinite = 0

    /// - Parameter estimates: R estimates of length d, flattened (estimate r at r·d..<(r+1)·d).
    init(estimates: [Double], exact: [Double]) {
        let d = exact.count, r = estimates.count / d, n = Double(r)
        var m = [Double](repeating: 0, count: d)
        for i in 0..<r { for k in 0..<d { m[k] += estimates[i * d + k] / n } }
        var v = [Double](repeating: 0, count: d)
        var qSum = 0.0, qSquares = 0.0
        for i in 0..<r {
            var q = 0.0
            for k in 0..<d { let e = estimates[i * d + k] - m[k]; v[k] += e * e; q += e * e }
            qSum += q; qSquares += q * q
        }
        let qMean = qSum / n
        self.exact = exact
        mean = m
        variance = v.map { $0 / (n - 1) }
        trace = qSum / (n - 1)
        traceError = (max(0, qSquares / n - qMean * qMean) / n).squareRoot() * n / (n - 1)
        replicates = r
    }

    /// R estimates from `session` (replicates 0..<R), with its exact gradient.
    init(session: inout any TrainingSession, replicates: Int) {
        guard let exact = session.exactGradient() else { preconditionFailure("needs known dynamics") }
        var all = [Double]()
        all.reserveCapacity(replicates * exact.count)
        var bad = 0
        for r in 0..<replicates {
            let g = try! session.estimate(replicate: r, normalised: false)
            if !g.allSatisfy(\.isFinite) { bad += 1 }
            all.append(contentsOf: g)
        }
        self.init(estimates: all, exact: exact)
        nonFinite = bad
    }

    var bias: [Double] { zip(mean, exact).map { $0 - $1 } }
    var biasNorm: Double { norm(bias) }
    var exactNorm: Double { norm(exact) }
    /// √(tr Σ / R): the typical ‖mean ĝ − E ĝ‖, the noise floor of ``biasNorm``.
    var noiseFloor: Double { (trace / Double(replicates)).squareRoot() }
    /// Largest |bias_k| / SE_k over coordinates with a non-zero variance.
    var largestZ: Double {
        var z = 0.0
        for k in exact.indices where variance[k] > 0 {
            z = max(z, abs(mean[k] - exact[k]) / (variance[k] / Double(replicates)).squareRoot())
        }
        return z
    }

    func norm(_ x: [Double]) -> Double { x.reduce(0) { $0 + $1 * $1 }.squareRoot() }
}

/// A session of the estimator `name` on `environment` at `policy`, single-threaded, with the
/// settings `settings` (by key) and `episodes` episodes per update.
func makeSession(_ name: String, environment: any Environment, policy: any Policy, settings: [String: SettingValue] = [:],
                 episodes: Int = 1, seed: UInt64 = 7, configure: (inout TrainingConfiguration) -> Void = { _ in })
    throws -> any TrainingSession {
    var c = TrainingConfiguration()
    c.episodes = episodes
    c.seed = seed
    c.threads = 1
    configure(&c)
    return try EstimatorSpec(name, settings: try estimatorSettings(name, settings))
        .makeSession(environment: environment, policy: policy, configuration: c)
}

/// The values `pairs` (by key) of the estimator `name`'s settings.
func estimatorSettings(_ name: String, _ pairs: [String: SettingValue]) throws -> SettingValues {
    let d = try EstimatorRegistry.descriptor(named: name)
    var v = SettingValues()
    for (key, value) in pairs {
        guard let s = d.settings.first(where: { $0.key == key }) else { throw InputError("\(name) has no setting \(key)") }
        v.set(s, value)
    }
    return v
}

/// The REINFORCE baselines pg ships, and the settings each needs in the tests (K for vimco).
let reinforceBaselines: [(name: String, settings: [String: SettingValue], samples: Int)] = [
    ("none", [:], 1), ("ema", [:], 1), ("mean", ["convention": .text("zero-start")], 1), ("nvil", [:], 1),
    ("vimco", ["samples": .integer(4)], 4),
]
