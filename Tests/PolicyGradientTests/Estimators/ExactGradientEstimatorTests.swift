import Foundation
@testable import PolicyGradient
import XCTest

/// An environment without known dynamics (for the refusal).
struct UnknownDynamicsWalk: Environment {
    var id: String { "unknown-dynamics-walk" }
    var actionCount: Int { 2 }
    var stateCount: Int { 3 }
    var timeLimit: Int { 10 }
    var position = 0
    mutating func reset(using rng: inout RandomStream) -> Int { position = 0; return 0 }
    mutating func step(_ action: Int, using rng: inout RandomStream) -> StepResult {
        position = (position + action + 1) % 3
        return StepResult(state: position, reward: Double(position), terminated: position == 2)
    }
}

/// `exact`: its estimate is ``TrainingSession/exactGradient()`` bit for bit, whatever the replicate,
/// the policy class or the environment; it trains; and it refuses environments without dynamics.
final class ExactGradientEstimatorTests: XCTestCase {
    func policies(_ env: any Environment) -> [any Policy] {
        var rng = RandomStream(seed: 4)
        var tabular = TabularPolicy(stateCount: env.stateCount, actionCount: env.actionCount)
        tabular.parameters = tabular.parameters.map { _ in rng.nextGaussian() }
        var linear = LinearPolicy(featureCount: env.featureLength, actionCount: env.actionCount)
        linear.parameters = linear.parameters.map { _ in 0.5 * rng.nextGaussian() }
        return [tabular, linear]
    }

    func testEstimateIsTheExactGradientBitForBit() throws {
        for (name, env) in try TaylorTestSupport.problems() {
            for policy in policies(env) {
                var session = try makeSession("exact", environment: env, policy: policy, episodes: 4)
                let exact = try XCTUnwrap(session.exactGradient())
                XCTAssertGreaterThan(exact.reduce(0) { $0 + $1 * $1 }, 0, name)
                for r in 0..<5 {
                    let g = try session.estimate(replicate: r, normalised: r % 2 == 0)
                    XCTAssertEqual(g.map(\.bitPattern), exact.map(\.bitPattern), "\(name), \(policy.kind), replicate \(r)")
                }
                let s = try TaylorTestSupport.statistics(&session, replicates: 3)
                XCTAssertEqual(s.variance, 0, name)
                XCTAssertEqual(s.exact?.maxAbsZ, 0, name)
                XCTAssertEqual(s.exact?.isConsistentWithZeroBias, true, name)
            }
        }
    }

    /// Training with `exact` is gradient ascent on J: each update's gradient is ∇J of the policy
    /// that collected the batch (‖ĝ − ∇J‖² = 0 exactly), and J rises over 30 small steps.
    func testTrainingFollowsTheExactGradient() throws {
        for (name, env) in try TaylorTestSupport.problems() {
            var session = try makeSession("exact", environment: env, policy: TaylorTestSupport.initial(env), episodes: 4) { c in
                c.learningRate = Schedule(initial: 0.5)
            }
            session.measuresGradientError = true
            let j0 = try XCTUnwrap(session.exactJ())
            for _ in 0..<30 {
                let record = try session.step()
                XCTAssertEqual(record.gradientError, 0, name)
            }
            XCTAssertGreaterThan(try XCTUnwrap(session.exactJ()), j0, name)
        }
    }

    func testEnvironmentsWithoutDynamicsAreRefusedInOneLine() throws {
        XCTAssertThrowsError(try makeSession("exact", environment: UnknownDynamicsWalk(),
                                             policy: TaylorTestSupport.initial(UnknownDynamicsWalk()))) { error in
            XCTAssertEqual((error as? InputError)?.message, "exact cannot run on unknown-dynamics-walk: it needs known dynamics "
                           + "(an environment conforming to KnownDynamics: a transition table, or to ExactObjective)")
        }
    }
}
