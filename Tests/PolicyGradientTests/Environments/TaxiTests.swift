import Foundation
@testable import PolicyGradient
import XCTest

/// Gymnasium's Taxi-v4 table as dumped from Gymnasium 1.3 (Fixtures/gym/Taxi-v4*.json, see
/// shared/reference/README.md).
private struct TaxiReference: Decodable {
    struct Entry: Decodable {
        var probability: Double, next: Int, reward: Double, terminated: Bool
        init(from decoder: Decoder) throws {
            var c = try decoder.unkeyedContainer()
            probability = try c.decode(Double.self)
            next = try c.decode(Int.self)
            reward = try c.decode(Double.self)
            terminated = try c.decode(Bool.self)
        }
    }
    struct FiniteHorizon: Decodable { var horizon: Int; var optimal_start_value: Double }
    var nS: Int
    var nA: Int
    var action_meanings: [String]
    var max_episode_steps: Int
    var initial_state_distrib: [Double]
    var finite_horizon_gamma1: FiniteHorizon
    var P: [[[Entry]]]
}

/// The shipped Taxi-v4 files against Gymnasium's own tables and optima.
final class TaxiTests: XCTestCase {
    /// Tests/PolicyGradientTests, which holds Fixtures/.
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let envsFolder = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("envs")
    /// Shipped file (stem in envs/) and its Gymnasium reference table.
    static let shipped = [("Taxi-v4", "Taxi-v4"), ("Taxi-v4-rainy", "Taxi-v4_rainy")]

    /// The shipped files, each read once (parsing 200 KB of JSON takes a while in a debug build).
    static let loaded = Dictionary(uniqueKeysWithValues: shipped.map { stem, _ in
        (stem, Result { try TabularEnvironment.load(path: envsFolder.appendingPathComponent(stem + ".json").path) })
    })

    static func load(_ stem: String) throws -> TabularEnvironment {
        try XCTUnwrap(loaded[stem]).get()
    }

    private static func reference(_ name: String) throws -> TaxiReference {
        let url = testsFolder.appendingPathComponent("Fixtures/gym/\(name).json")
        return try JSONDecoder().decode(TaxiReference.self, from: Data(contentsOf: url))
    }

    func testShippedTaxiFilesMatchGymnasiumEntryForEntry() throws {
        for (stem, refName) in Self.shipped {
            let env = try Self.load(stem), ref = try Self.reference(refName), m = env.model
            XCTAssertEqual([m.stateCount, m.actionCount], [ref.nS, ref.nA], stem)
            XCTAssertEqual([m.stateCount, m.actionCount], [500, 6], stem)
            XCTAssertEqual(m.start, ref.initial_state_distrib, stem)
            XCTAssertEqual(env.timeLimit, ref.max_episode_steps, stem)
            XCTAssertEqual(env.actionNames, ref.action_meanings.map { $0.lowercased() }, stem)
            XCTAssertEqual(env.actionNames, ["south", "north", "east", "west", "pickup", "dropoff"], stem)
            XCTAssertEqual(env.id, stem, "the name is the file stem")
            XCTAssertFalse(env.description.isEmpty, stem)
            for s in 0..<ref.nS {
                for a in 0..<ref.nA {
                    // Same entries in the same order, probabilities equal bit for bit.
                    let theirs = ref.P[s][a].map {
                        Outcome(probability: $0.probability, next: $0.next, reward: $0.reward, terminated: $0.terminated)
                    }
                    XCTAssertEqual(m.outcomes(state: s, action: a), theirs, "\(stem) P[\(s)][\(a)]")
                }
            }
        }
    }

    /// A few entries written out, so that the comparison above cannot pass on two empty tables.
    func testKnownTaxiEntries() throws {
        let dry = try Self.load("Taxi-v4").model, rainy = try Self.load("Taxi-v4-rainy").model
        XCTAssertEqual(dry.outcomes(state: 0, action: 0), [Outcome(probability: 1, next: 100, reward: -1, terminated: false)])
        XCTAssertEqual(dry.outcomes(state: 0, action: 5), [Outcome(probability: 1, next: 0, reward: -10, terminated: false)])
        XCTAssertEqual(rainy.outcomes(state: 0, action: 0), [
            Outcome(probability: 0.8, next: 100, reward: -1, terminated: false),
            Outcome(probability: 0.09999999999999998, next: 20, reward: -1, terminated: false),
            Outcome(probability: 0.09999999999999998, next: 0, reward: -1, terminated: false),
        ])
        // Dropping the passenger (in the taxi, index 4) at Red (0, 0) when the destination is Red.
        let s = ((0 * 5 + 0) * 5 + 4) * 4 + 0
        XCTAssertEqual(dry.outcomes(state: s, action: 5), [Outcome(probability: 1, next: 0, reward: 20, terminated: true)])
        XCTAssertEqual(dry.start.filter { $0 > 0 }.count, 300)
        // Only the four correct dropoffs end an episode; 500 · 6 single outcomes, 500 · 4 · 3 + 500 · 2 rainy ones.
        XCTAssertEqual(dry.terminated.filter { $0 }.count, 4)
        XCTAssertEqual(rainy.terminated.filter { $0 }.count, 4)
        XCTAssertEqual([dry.probability.count, rainy.probability.count], [3000, 7000])
    }

    /// Backward induction over the 200 steps reproduces Gymnasium's optima (γ = 1).
    func testFiniteHorizonOptimaMatchGymnasium() throws {
        for ((stem, refName), value) in zip(Self.shipped, [7.93, 3.9545745165508266]) {
            let env = try Self.load(stem), ref = try Self.reference(refName)
            XCTAssertEqual(ref.finite_horizon_gamma1.horizon, env.timeLimit)
            let mine = ExactGradient.optimalValue(model: env.model, horizon: env.timeLimit, gamma: 1)
            XCTAssertEqual(mine, ref.finite_horizon_gamma1.optimal_start_value, accuracy: 1e-12, stem)
            XCTAssertEqual(mine, value, accuracy: 1e-12, stem)
        }
    }

    func testTaxiPassesTheEnvironmentChecker() throws {
        for (stem, _) in Self.shipped {
            let results = EnvironmentChecker.check(try Self.load(stem), seed: 3, steps: 20_000)
            XCTAssertEqual(results.filter { !$0.passed }.map(\.description), [], stem)
            XCTAssertGreaterThanOrEqual(results.count, 12, stem)
        }
    }

    func testTheRegistryFindsTaxiByName() throws {
        var options = EnvironmentOptions()
        options.directories = [Self.envsFolder.path]
        for (stem, _) in Self.shipped {
            let env = try XCTUnwrap(try EnvironmentRegistry.make(stem, options: options) as? TabularEnvironment)
            XCTAssertEqual(env.id, stem)
        }
        XCTAssertEqual(EnvironmentRegistry.describe(path: Self.envsFolder.appendingPathComponent("Taxi-v4.json").path),
                       "Gymnasium 1.x Taxi-v4: 500 states, 6 actions, 200 steps, deterministic")
    }
}
