import Foundation
@testable import PolicyGradient
import XCTest

/// ``ExactValue`` (J by backward induction with the policy folded into the transitions) against
/// ``ExactGradient``'s dynamic programme, and the trainer's schedule for logging it.
final class ExactValueTests: XCTestCase {
    /// A random softmax table of S × A with logits of spread `sd`.
    private func randomTable(states: Int, actions: Int, sd: Double, seed: UInt64) -> PolicyTable {
        var rng = RandomStream(seed: seed)
        let logits = (0..<(states * actions)).map { _ in sd * rng.nextGaussian() }
        var t = PolicyTable(stateCount: states, actionCount: actions)
        t.update(fromTable: logits)
        return t
    }

    private func check(_ model: TabularModel, horizon: Int, gamma: Double, file: StaticString = #filePath, line: UInt = #line) {
        var v = ExactValue(model: model, horizon: horizon, gamma: gamma)
        for (k, sd) in [0.0, 1.0, 4.0].enumerated() {
            let t = randomTable(states: model.stateCount, actions: model.actionCount, sd: sd, seed: UInt64(10 + k))
            let reference = ExactGradient.logitCotangent(table: t, model: model, horizon: horizon, gamma: gamma).value
            let fast = t.probabilities.withUnsafeBufferPointer { v.evaluate(probabilities: $0) }
            // The same sums grouped differently: equal to rounding (values are O(1..100)).
            XCTAssertEqual(fast, reference, accuracy: 1e-12 * max(1, abs(reference)), "sd \(sd)", file: file, line: line)
            // A second call with the same policy reuses the storage and gives the same bits.
            XCTAssertEqual(t.probabilities.withUnsafeBufferPointer { v.evaluate(probabilities: $0) }, fast, file: file, line: line)
        }
    }

    func testMatchesTheDynamicProgrammeOnHandMDPAndShippedMaps() throws {
        check(HandMDP().model, horizon: 4, gamma: 0.9)
        check(HandMDP().model, horizon: 1, gamma: 1)
        check(HandMDP().model, horizon: 0, gamma: 1)
        for name in ["FrozenLake-v1", "FrozenLake8x8-v1", "CliffWalking-v1"] {
            let env = try EnvironmentRegistry.make(name, options: testEnvironmentOptions)
            let model = try XCTUnwrap((env as? any KnownDynamics)?.model, name)
            check(model, horizon: env.timeLimit, gamma: 1)
            check(model, horizon: 7, gamma: 0.95)
        }
    }

    func testDuplicateNextStatesAcrossActionsAreMergedIntoOneEntry() {
        // Slippery FrozenLake 4x4: from a corner several actions reach the same cells.
        let env = try! EnvironmentRegistry.make("FrozenLake-v1", options: testEnvironmentOptions)
        let model = (env as! any KnownDynamics).model
        let v = ExactValue(model: model, horizon: 10, gamma: 1)
        // At most 5 distinct continuing next states per state (itself and 4 neighbours).
        XCTAssertLessThanOrEqual(v.entries, 5 * model.stateCount)
        XCTAssertLessThan(v.entries, model.next.count)
    }

    func testScheduleEveryUpdateForSmallModelsAndBudgetedForLarge() throws {
        func trainer(_ env: Gridworld, batch: Int, iterations: Int) throws -> Trainer<Gridworld> {
            var c = TrainingConfiguration()
            c.episodes = batch
            c.iterations = iterations
            c.threads = 1
            return try Trainer(environment: env, policy: TabularPolicy(stateCount: env.stateCount, actionCount: env.actionCount),
                               configuration: c, estimator: AnyEstimator(Reinforce(baseline: NoBaseline())))
        }
        // A 2x2 map: tiny next to a batch of 64 one-step-or-longer episodes.
        func map(_ rows: [String], limit: Int) throws -> Gridworld {
            let header = "name: m\ndescription: test\nactions: left down right up\nsuccess-rate: 1\nstep-reward: 0\n"
                + "hole-reward: 0\ngoal-reward: 1\nterminal-rows: absorbing\ntime-limit: \(limit)\nmap:\n"
            return try Gridworld(parsing: header + rows.joined(separator: "\n") + "\n", file: "m.txt")
        }
        let small = try map(["SF", "FG"], limit: 20)
        var t = try trainer(small, batch: 64, iterations: 5)
        XCTAssertEqual(t.exactJSchedule, .everyUpdate)
        for _ in 0..<5 { XCTAssertNotNil(try t.step().exactJ) }

        // A 40x40 open map with a long horizon and a batch of 2: exact J costs far more than
        // the rollouts, so only the first, the last and the updates that earned it carry it.
        let rows = (0..<40).map { r in String((0..<40).map { c in r == 0 && c == 0 ? "S" : r == 39 && c == 39 ? "G" : "F" }) }
        let big = try map(rows, limit: 400)
        t = try trainer(big, batch: 2, iterations: 30)
        XCTAssertEqual(t.exactJSchedule, .budgeted)
        var carried: [Int] = []
        var steps = 0.0, evaluations = 0.0
        let cost = Double(t.exactValue!.cost)
        for k in 0..<30 {
            let r = try t.step()
            steps += r.meanLength * 2
            if r.exactJ != nil { carried.append(k); evaluations += 1 }
        }
        XCTAssertEqual(carried.first, 0)
        XCTAssertEqual(carried.last, 29)
        XCTAssertLessThan(carried.count, 30)
        // Exact J's work stays within a fifth of the rollouts' (plus the forced first and last).
        XCTAssertLessThanOrEqual((evaluations - 2) * cost, 0.2 * 20 * steps + cost)
    }
}
