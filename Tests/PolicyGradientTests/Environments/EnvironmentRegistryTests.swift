@testable import PolicyGradient
import XCTest

/// Environments registered from a user's package.
final class EnvironmentRegistryTests: XCTestCase {
    func testARegisteredEnvironmentIsMadeListedAndRemoved() throws {
        EnvironmentRegistry.register(name: "two-arms-test", description: "two arms") { options in
            Bandit.bernoulli([0.1, 0.9], id: "two-arms-s\(options.seed)")
        }
        defer { EnvironmentRegistry.unregister(name: "two-arms-test") }
        var options = EnvironmentOptions()
        options.seed = 7
        XCTAssertEqual(try EnvironmentRegistry.make("two-arms-test", options: options).id, "two-arms-s7")
        let list = EnvironmentRegistry.list(directories: ["/nonexistent"])
        XCTAssertEqual(list.first?.name, "two-arms-test")
        XCTAssertEqual(list.first?.description, "two arms")
        XCTAssertEqual(list.dropFirst().map(\.name), ["bandit10", "bernoulli", "toy", "factorised", "shared-logit", "FrozenLake-v1", "FrozenLake8x8-v1"])
        EnvironmentRegistry.unregister(name: "two-arms-test")
        options.directories = ["/nonexistent"]
        XCTAssertThrowsError(try EnvironmentRegistry.make("two-arms-test", options: options)) { error in
            XCTAssertEqual((error as? InputError)?.message, "--env: unknown environment 'two-arms-test'; valid: bandit10, bernoulli, toy, factorised, shared-logit, FrozenLake-v1, FrozenLake8x8-v1")
        }
    }

    /// Registering a name again replaces it, and a registration may replace a built-in.
    func testRegistrationsReplaceEarlierOnesAndBuiltins() throws {
        EnvironmentRegistry.register(name: "toy", description: "first") { _ in Toy(binaryTarget: 0.1) }
        EnvironmentRegistry.register(name: "toy", description: "second") { _ in Toy(binaryTarget: 0.2) }
        defer { EnvironmentRegistry.unregister(name: "toy") }
        let toy = try XCTUnwrap(try EnvironmentRegistry.make("toy") as? Toy)
        XCTAssertEqual(toy.targets, [0.8, 0.2])
        let list = EnvironmentRegistry.list(directories: ["/nonexistent"])
        XCTAssertEqual(list.map(\.name), ["toy", "bandit10", "bernoulli", "factorised", "shared-logit", "FrozenLake-v1", "FrozenLake8x8-v1"])
        XCTAssertEqual(list.first?.description, "second")
    }

    func testAnErrorFromTheFactoryReachesTheCaller() {
        EnvironmentRegistry.register(name: "picky-test", description: "rejects seeds") { options in
            throw InputError("--seed: picky-test needs seed 1, got \(options.seed)")
        }
        defer { EnvironmentRegistry.unregister(name: "picky-test") }
        XCTAssertThrowsError(try EnvironmentRegistry.make("picky-test")) { error in
            XCTAssertEqual((error as? InputError)?.message, "--seed: picky-test needs seed 1, got 1")
        }
    }
}
