import ExampleEnvironments
import PolicyGradient
import XCTest

// The Swift of CustomEnvironments.md that is not a source file of the example package:
// compiled here and run by CustomEnvironmentSnippetTests.

/// "Train from Swift": the chain, REINFORCE with the NVIL baseline, 100 updates.
func trainChainFromSwift() throws -> (exactJ: Double, optimum: Double) {
    // snippet.begin train-from-swift
    let chain = Chain()
    var session = try EstimatorSpec("nvil").makeSession(
        environment: chain, policy: TabularPolicy(stateCount: chain.stateCount, actionCount: chain.actionCount),
        configuration: TrainingConfiguration())
    for _ in 0..<100 {
        let record = try session.step()                 // one update; what the log line holds
        if record.iteration % 25 == 0 { print(record.iteration, record.meanReturn) }
    }
    print(session.exactJ()!, session.optimalJ!)         // exact J of the policy, and the optimum
    // snippet.end
    return (session.exactJ()!, session.optimalJ!)
}

/// "Test it": the checker passes, and the uniform policy's exact J is the hand-computed ½.
final class ChainSnippetTests: XCTestCase {
    // snippet.begin test-chain
    func testChainKeepsTheContractAndHasTheExactJWorkedOutByHand() {
        XCTAssertTrue(EnvironmentChecker.passes(Chain()))
        let chain = Chain()
        let j = ExactGradient.evaluate(policy: TabularPolicy(stateCount: 3, actionCount: 2), model: chain.model,
                                       features: .oneHot(stateCount: 3), horizon: chain.timeLimit, gamma: 1).value
        XCTAssertEqual(j, 0.5, accuracy: 1e-12)          // a reflected symmetric walk: ¼ + ⅛ + ⅛
    }
    // snippet.end

    func testTrainingFromSwiftLearns() throws {
        let (j, optimum) = try trainChainFromSwift()
        XCTAssertGreaterThan(j, 0.9 * optimum)
    }
}
