@testable import PolicyGradient
import XCTest

/// The all-action policy gradient from branched estimates of Q: at every visited step,
/// Σ_a ∇π(a|s_t) Q̂(s_t, a) with Q̂ the return of a continuation from s_t with first action a.
/// With continuations that follow the policy, Q̂ is unbiased for Q(s_t, a) at the time left, so
/// the estimator is unbiased (the policy-gradient theorem); a test-only estimator that exercises
/// the engine's branching end to end.
struct AllActionBranching: GradientEstimator {
    var continuation: Branching.Continuation
    var steps: Branching.Steps = .all
    var branching: Branching? { Branching(steps: steps, continuation: continuation, samples: 2) }

    func accumulate(_ group: EpisodeGroup, scratch: inout Void, into out: inout LogitCotangents) {
        let a = group.policy.actionCount, m = group.branching!.samples
        for j in 0..<group.samples {
            var weight = group.weight
            for t in 0..<group.branching!.branchedSteps(length: group.length(j)) {
                let s = group.state(j, t)
                var q = [Double](repeating: 0, count: a), v = 0.0
                for b in 0..<a {
                    for k in 0..<m { q[b] += group.branchReturn(j, step: t, action: b, sample: k) / Double(m) }
                    v += group.policy.probability(s, b) * q[b]
                }
                for b in 0..<a { out.addLogit(state: s, action: b, weight * group.policy.probability(s, b) * (q[b] - v)) }
                weight *= group.gamma
            }
        }
    }
}

final class BranchingTests: XCTestCase {
    static let descriptor = EstimatorDescriptor(name: "all-action-branching", summary: "test", claim: .unbiased) { _, _ in
        AllActionBranching(continuation: .policy)
    }

    /// Unbiased against the exact gradient on the conformance problems (toys and a slippery gridworld).
    func testBranchedQEstimatesGiveAnUnbiasedAllActionGradient() throws {
        let report = try EstimatorConformance.check(Self.descriptor)
        XCTAssertTrue(report.holds, report.failure ?? "")
        XCTAssertEqual(report.measurements.count, try EstimatorConformance.problems().count)
    }

    /// On the one-step toy every branch of action a returns f(a) exactly, so the all-action
    /// estimate is ∇J itself, bit for bit independent of the draws; and the cost is counted:
    /// N episodes × A actions × M samples continuations of one step each.
    func testOneStepBranchesAreTheRewardsAndTheirCostIsCounted() throws {
        let toy = Toy(targets: [0.1, 0.6, 0.3, 0.8])
        var c = TrainingConfiguration()
        c.episodes = 5
        c.threads = 1
        let policy = EstimatorConformance.fixedPolicy(stateCount: 1, actionCount: 4, seed: 3)
        var t = try Trainer(environment: toy, policy: policy, configuration: c,
                            estimator: AnyEstimator(AllActionBranching(continuation: .policy)))
        let g = try t.estimate(replicate: 0)
        let exact = try XCTUnwrap(t.exactGradient())
        for k in 0..<4 { XCTAssertEqual(g[k], exact[k], accuracy: 1e-12) }
        XCTAssertEqual(t.batch.branchEpisodes, 5 * 4 * 2)
        XCTAssertEqual(t.batch.branchSteps, 5 * 4 * 2)
        let record = try t.step()
        XCTAssertEqual(record.branchEpisodes, 40)
        XCTAssertEqual(record.branchSteps, 40)
    }

    /// Replaying the recorded actions after the recorded first action on a deterministic map
    /// reproduces the episode: branchReturn(j, t, a_t) = G_t at every step.
    func testReplayingTheTakenActionOnADeterministicMapGivesTheEpisodesReturn() throws {
        let map = "name: d\ndescription: deterministic\nactions: left down right up\nsuccess-rate: 1\nstep-reward: -0.1\n"
            + "hole-reward: 0\ngoal-reward: 1\nterminal-rows: absorbing\ntime-limit: 8\nmap:\nSFF\nFHF\nFFG\n"
        let grid = try Gridworld(parsing: map, file: "d.txt")
        struct Replay: GradientEstimator {
            var branching: Branching? { Branching(steps: .all, continuation: .recordedActions) }
            func accumulate(_ group: EpisodeGroup, scratch: inout Void, into out: inout LogitCotangents) {
                for j in 0..<group.samples {
                    for t in 0..<group.length(j) {
                        let replayed = group.branchReturn(j, step: t, action: group.action(j, t))
                        precondition(abs(replayed - group.returnToGo(j, t)) < 1e-12, "replay \(replayed) vs G \(group.returnToGo(j, t))")
                        out.addAuxiliary(0, 1)
                    }
                }
            }
            func auxiliaryCount(stateCount: Int, actionCount: Int) -> Int { 1 }
            func logValues(of batch: BatchAccumulator) -> EstimatorValues { EstimatorValues(batch.auxiliary[0]) }
            var logFields: [String] { ["checked"] }
        }
        var c = TrainingConfiguration()
        c.episodes = 16
        c.threads = 2
        var t = try Trainer(environment: grid, policy: EstimatorConformance.fixedPolicy(stateCount: 9, actionCount: 4, seed: 5),
                            configuration: c, estimator: AnyEstimator(Replay()))
        let r = try t.step()
        XCTAssertEqual(r.estimatorValues[0], Double(t.batch.steps), "every step was replayed and checked")
    }

    /// Branches draw from streams of their own: the same numbers for 1 and 2 threads.
    func testBranchingIsTheSameForAnyThreadCount() throws {
        let lake = try Gridworld(parsing: "name: s\ndescription: slippery\nactions: left down right up\nsuccess-rate: 0.6\n"
            + "step-reward: 0\nhole-reward: 0\ngoal-reward: 1\nterminal-rows: absorbing\ntime-limit: 10\nmap:\nSFF\nFHF\nFFG\n", file: "s.txt")
        func run(threads: Int) throws -> [IterationRecord] {
            var c = TrainingConfiguration()
            c.episodes = 40
            c.threads = threads
            var t = try Trainer(environment: lake, policy: TabularPolicy(stateCount: 9, actionCount: 4), configuration: c,
                                estimator: AnyEstimator(AllActionBranching(continuation: .policy)))
            return try (0..<5).map { _ in var r = try t.step(); r.elapsed = 0; return r }
        }
        XCTAssertEqual(try run(threads: 1), try run(threads: 2))
    }
}
