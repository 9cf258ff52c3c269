import PolicyGradient
import XCTest

/// MeasuringEstimators.md's library example: a policy trained on a map and drawn as `pg plot
/// --policy` draws it.
func drawLakePolicy(mapFile: String) throws -> String {
    // snippet.begin policy-picture
    let world = try Gridworld.load(path: mapFile)                   // e.g. envs/FrozenLake-v1-4x4.txt
    var session = try EstimatorSpec("ema").makeSession(
        environment: world, policy: TabularPolicy(stateCount: world.stateCount, actionCount: world.actionCount),
        configuration: TrainingConfiguration())
    for _ in 0..<300 { _ = try session.step() }
    var table = PolicyTable(stateCount: world.stateCount, actionCount: world.actionCount)
    table.update(from: session.policy, features: try world.stateFeatures())   // π(a|s), row-major S × A
    let svg = PolicyPicture.gridworld(world, probabilities: table.probabilities, shading: .visits)
    // snippet.end
    return svg
}

final class PolicyPictureSnippetTests: XCTestCase {
    func testTheLakeIsDrawn() throws {
        let svg = try drawLakePolicy(mapFile: Documents.root.appendingPathComponent("envs/FrozenLake-v1-4x4.txt").path)
        XCTAssertTrue(svg.hasPrefix("<?xml") && svg.contains("</svg>"))
    }
}
