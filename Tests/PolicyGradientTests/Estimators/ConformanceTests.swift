@testable import PolicyGradient
import XCTest

/// Every registered estimator holds its declared claim against exact gradients
/// (``EstimatorConformance``): unbiased ones pass the zero-bias test on every problem, biased
/// ones show their bias on at least one, the exact gradient is exact. The list comes from the
/// registry, so a new estimator is checked without touching this file; settings that change an
/// estimator's claim (a choice among conventions) are checked in each of their values.
final class ConformanceTests: XCTestCase {
    func testEveryRegisteredEstimatorHoldsItsClaim() throws {
        for d in EstimatorRegistry.all {
            for values in Self.claimVariants(of: d) {
                let report = try EstimatorConformance.check(d, settings: values)
                let label = d.name + values.given.keys.sorted().map { " --\($0) \(values.given[$0]!.text)" }.joined()
                print("conformance: \(label): \(report.claim.name); "
                      + report.measurements.map(EstimatorConformance.Report.describe).joined(separator: "; "))
                XCTAssertTrue(report.holds, "\(label) \(report.failure ?? "")")
            }
        }
    }

    /// The check itself catches a false claim: a deliberately biased REBAR declared unbiased, and
    /// plain REINFORCE declared biased.
    func testTheCheckRejectsAFalseClaim() throws {
        let biasedRebar = EstimatorDescriptor(name: "rebar-missing-term", summary: "REBAR without -eta grad f(x~)", claim: .unbiased,
                                              settings: Temperature.settings + Rebar.settings + Critic.settings) { c, v in
            let scale = ControlVariateScale(temperature: try Temperature.schedule(v), adaptsTau: false, eta: 1, etaMode: .moments,
                                            learningRate: ControlVariateScale.defaultLearningRate, momentDecay: 0.9)
            var r = Rebar(scale: scale, reward: RelaxedReward(context: c, settings: v),
                          stateCount: c.environment.stateCount, horizon: c.environment.timeLimit)
            r.omitsConditionalPathwise = true
            return r
        }
        let problems = try EstimatorConformance.problems()
        let rebar = try EstimatorConformance.check(biasedRebar, problems: problems)
        XCTAssertFalse(rebar.holds, rebar.measurements.map(EstimatorConformance.Report.describe).joined(separator: "; "))
        let falselyBiased = EstimatorDescriptor(name: "none-biased", summary: "REINFORCE claimed biased",
                                                claim: .biased(because: "no reason")) { _, _ in Reinforce(baseline: NoBaseline()) }
        XCTAssertFalse(try EstimatorConformance.check(falselyBiased, problems: problems).holds)
    }

    /// Default settings, and each value of a choice setting whose claim differs from the default's.
    static func claimVariants(of d: EstimatorDescriptor) -> [SettingValues] {
        var out = [SettingValues()]
        let base = d.claim(SettingValues())
        for s in d.settings {
            guard case let .text(values?) = s.kind else { continue }
            for value in values {
                var v = SettingValues()
                v.set(s, .text(value))
                if d.claim(v) != base { out.append(v) }
            }
        }
        return out
    }
}
