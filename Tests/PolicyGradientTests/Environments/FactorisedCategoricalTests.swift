import Foundation
@testable import PolicyGradient
import XCTest

/// The factorised categorical problem and the shared-logit oracle: the environment's steps, its
/// exact objective (against an independent sum, finite differences and the papers' −0.045), its
/// optimum, and the sizes it refuses.
final class FactorisedCategoricalTests: XCTestCase {
    /// A random tabular policy over `env`'s states (logits in [−1.5, 1.5]).
    static func policy(_ env: FactorisedCategorical, seed: UInt64) -> TabularPolicy {
        var p = TabularPolicy(stateCount: env.stateCount, actionCount: env.actionCount)
        var rng = RandomStream(seed: seed)
        p.parameters = (0..<p.parameterCount).map { _ in 3 * rng.nextUniform() - 1.5 }
        return p
    }

    /// The table's probabilities of a tabular policy.
    static func probabilities(_ p: TabularPolicy, _ env: FactorisedCategorical) -> [Double] {
        var t = PolicyTable(stateCount: env.stateCount, actionCount: env.actionCount)
        t.update(fromTable: p.parameters)
        return t.probabilities
    }

    /// The oracle of Liu et al. (2019) and Kool et al. (2020): dE[f]/dη = −0.045 at η = 0, so
    /// pg's ∇J over the two logits (η = l₁ − l₀, J = −E[f]) is (−0.045, +0.045).
    func testTheOracleGradientIsMinusPoint045() throws {
        let env = FactorisedCategorical.sharedLogitOracle()
        XCTAssertEqual(env.stateCount, 1)
        XCTAssertEqual(env.timeLimit, 3)
        let uniform = TabularPolicy(stateCount: 1, actionCount: 2)
        let (j, g) = ExactGradient.evaluate(policy: uniform, objective: env, features: try env.stateFeatures(), gamma: 1)
        // E[f] at θ = 1/2: Σ_i (1/2 − p_i + p_i²) = 1.5 − 1.59 + (0.36 + 0.2601 + 0.2304).
        XCTAssertEqual(j, -(1.5 - 1.59 + 0.8505), accuracy: 1e-12)
        XCTAssertEqual(g[0], -0.045, accuracy: 1e-12)
        XCTAssertEqual(g[1], 0.045, accuracy: 1e-12)
        // The same through the registry and a trainer.
        let registered = try EnvironmentRegistry.make("shared-logit")
        var c = TrainingConfiguration()
        c.episodes = 2
        var session = try EstimatorRegistry.descriptor(named: "none").makeSession(environment: registered, policy: uniform,
                                                                                   configuration: c)
        let exact = try XCTUnwrap(session.exactGradient())
        XCTAssertEqual(exact[1] - exact[0], 0.09, accuracy: 1e-12, "dJ/dη = −dE[f]/dη = 0.045 per logit")
        XCTAssertEqual(try XCTUnwrap(session.exactJ()), j, accuracy: 1e-12)
        _ = try session.step()
    }

    /// J by enumeration agrees with an independent sum over the joint choices, and ∇J with
    /// central finite differences of J in every logit, with and without a shared state.
    func testExactObjectiveAgreesWithASumAndFiniteDifferences() throws {
        for (shared, seed) in [(false, UInt64(3)), (true, UInt64(4))] {
            let costs = [[0.3, 1.2, -0.4], [2.0, 0.1, 0.7], [0.5, 0.5, 1.5]]
            let env = try FactorisedCategorical(costs: costs, interaction: 0.8, sharesState: shared)
            let policy = Self.policy(env, seed: seed)
            let p = Self.probabilities(policy, env), gamma = 0.9
            var sum = 0.0
            for a in 0..<3 { for b in 0..<3 { for c in 0..<3 {
                let row = { (d: Int) in shared ? 0 : 3 * d }
                let pz = p[row(0) + a] * p[row(1) + b] * p[row(2) + c]
                let f = costs[0][a] + costs[1][b] + costs[2][c] + (a != b ? 0.8 : 0) + (b != c ? 0.8 : 0)
                sum += pz * -f * gamma * gamma
            } } }
            let features = try env.stateFeatures()
            let (j, g) = ExactGradient.evaluate(policy: policy, objective: env, features: features, gamma: gamma)
            XCTAssertEqual(j, sum, accuracy: 1e-12, "shared \(shared)")
            for i in 0..<policy.parameterCount {
                var up = policy, down = policy, h = 1e-6
                up.parameters[i] += h
                down.parameters[i] -= h
                let ju = ExactGradient.evaluate(policy: up, objective: env, features: features, gamma: gamma).value
                let jd = ExactGradient.evaluate(policy: down, objective: env, features: features, gamma: gamma).value
                h *= 2
                XCTAssertEqual(g[i], (ju - jd) / h, accuracy: 1e-7, "shared \(shared), logit \(i)")
            }
        }
    }

    /// Stepping pays nothing until the last variable, then −f(z); the states are the variables
    /// (or 0 when shared).
    func testStepsPayTheLossOfTheJointChoiceAtTheEnd() throws {
        var env = try FactorisedCategorical(variables: 3, categories: 4, interaction: 1)
        var rng = RandomStream(seed: 1)
        XCTAssertEqual(env.reset(using: &rng), 0)
        let z = [2, 2, 0]
        var rewards: [Double] = [], states: [Int] = []
        for (d, a) in z.enumerated() {
            let r = env.step(a, using: &rng)
            rewards.append(r.reward)
            states.append(r.state)
            XCTAssertEqual(r.terminated, d == 2)
        }
        XCTAssertEqual(states, [1, 2, 2])
        XCTAssertEqual(rewards[0], 0)
        XCTAssertEqual(rewards[1], 0)
        // Targets t_d,j = (1 + (d + j) mod 4) / 5; c_d(k) = 1 − 2 t_d,k + Σ_j t_d,j² with Σ_j t² = 30/25.
        let t = { (d: Int, k: Int) in Double(1 + (d + k) % 4) / 5 }
        let f = (1 - 2 * t(0, 2) + 1.2) + (1 - 2 * t(1, 2) + 1.2) + (1 - 2 * t(2, 0) + 1.2) + 1
        XCTAssertEqual(rewards[2], -f, accuracy: 1e-12)
        XCTAssertEqual(env.loss(z), f, accuracy: 1e-12)
    }

    /// Episodes sampled from a policy average to exact J within four standard errors.
    func testSampledEpisodesAverageToExactJ() throws {
        let env = try FactorisedCategorical(variables: 4, categories: 3, interaction: 1)
        let policy = Self.policy(env, seed: 9), p = Self.probabilities(policy, env)
        let exact = env.exactObjective(probabilities: p, gamma: 1).value
        var rng = RandomStream(seed: 11), e = env, sum = 0.0, squares = 0.0
        let n = 20_000
        for _ in 0..<n {
            var s = e.reset(using: &rng), g = 0.0
            while true {
                let u = rng.nextUniform()
                var a = 0, acc = p[s * 3]
                while a < 2, u >= acc { a += 1; acc += p[s * 3 + a] }
                let r = e.step(a, using: &rng)
                g += r.reward
                s = r.state
                if r.terminated { break }
            }
            sum += g
            squares += g * g
        }
        let mean = sum / Double(n), se = ((squares / Double(n) - mean * mean) / Double(n)).squareRoot()
        XCTAssertEqual(mean, exact, accuracy: 4 * se)
    }

    /// The optimum is the best joint choice (γ^{D−1} max −f) with a state per variable; the best
    /// common category with a shared state and no interaction; unknown otherwise.
    func testOptimalObjective() throws {
        let env = try FactorisedCategorical(costs: [[1, 0, 2], [0, 3, 1]], interaction: 5)
        // Best joint: (1, 0) costs 0 + 0 + 5 = 5; (0, 0) 1 + 0 = 1; (2, 2) 2 + 1 = 3 → f* = 1.
        XCTAssertEqual(try XCTUnwrap(env.optimalObjective(gamma: 0.5)), -1 * 0.5, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(FactorisedCategorical.sharedLogitOracle().optimalObjective(gamma: 1)),
                       -(0.16 + 0.2401 + 0.2704), accuracy: 1e-12, "all ones: Σ (1 − p_i)² = 0.6705 < Σ p_i² = 0.8505")
        XCTAssertNil(try FactorisedCategorical(costs: [[1, 0], [0, 1]], interaction: 1, sharesState: true).optimalObjective(gamma: 1))
    }

    /// Sizes beyond 2²⁰ joint choices are refused with one line naming both settings; so are
    /// settings out of range.
    func testRefusesTooManyJointChoices() {
        var o = EnvironmentOptions()
        o.settings.set(FactorisedCategorical.variablesSetting, .integer(13))
        o.settings.set(FactorisedCategorical.categoriesSetting, .integer(3))
        XCTAssertThrowsError(try EnvironmentRegistry.make("factorised", options: o)) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.field, "variables")
            XCTAssertEqual(e?.mentions, ["variables", "categories"])
            XCTAssertEqual(e?.message, "K^D = 3^13 joint choices is more than 1048576, "
                           + "the most that exact J and its gradient enumerate (fewer variables or categories)")
        }
        o.settings.set(FactorisedCategorical.variablesSetting, .integer(12))
        XCTAssertNoThrow(try EnvironmentRegistry.make("factorised", options: o), "3^12 = 531441 is allowed")
        o.settings.set(FactorisedCategorical.variablesSetting, .integer(21))
        XCTAssertThrowsError(try EnvironmentRegistry.make("factorised", options: o))
        XCTAssertThrowsError(try FactorisedCategorical(costs: [[1, 2], [3]], interaction: 0))
    }
}
