import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// The learned-component rows of `pg bench` and their peers agree on names: every group is a
/// workload scripts/bench-peers.sh accepts and runs with a JAX peer that knows it, and every
/// group's sweep is a valid `pg compare` sweep of one estimator.
final class BenchPeersTests: XCTestCase {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func text(_ path: String) throws -> String { try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) }

    func testEveryLearnedGroupHasAPeerWorkload() throws {
        let script = try text("scripts/bench-peers.sh")
        let critic = try text("scripts/peers/jax_critic_workloads.py"), jax = try text("scripts/peers/jax_workloads.py")
        let groups = BenchCommand.learnedSweeps.map(\.group) + ["mlp-frozenlake"]
        for g in groups {
            XCTAssertTrue(script.contains("|\(g)") || script.contains("\(g)|"), "bench-peers.sh does not accept \(g)")
            XCTAssertTrue(critic.contains("\"\(g)\"") || jax.contains("\"\(g)\""), "no JAX peer runs \(g)")
            XCTAssertTrue(BenchCommand.flags.first { $0.name == "only" }!.help.contains(g), "--only's help omits \(g)")
        }
    }

    func testEveryLearnedSweepIsOneEstimatorAtItsPeersShape() throws {
        for spec in BenchCommand.learnedSweeps {
            let sweep = try CompareCommand.Sweep(Arguments(spec.arguments + ["--seeds", "3"], flags: CompareCommand.flags,
                                                           command: "compare"))
            XCTAssertEqual(sweep.variants.count, 1, spec.group)
            XCTAssertEqual(sweep.seeds.count, 3, spec.group)
            let c = sweep.variants[0].configuration
            XCTAssertEqual(c.iterations, spec.group == "relax-toy" ? 1000 : 200, spec.group)
            XCTAssertEqual(c.episodes, spec.group == "relax-toy" ? 1 : 32, spec.group)
        }
    }
}
