import Foundation
@testable import PolicyGradient
import XCTest

/// Gymnasium 1.4.0's table for one environment (Fixtures/gym/*.json, see shared/reference/README.md).
private struct GymReference: Decodable {
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
    var nS: Int
    var nA: Int
    var action_meanings: [String]
    var start_state_distribution: [Double]
    var P: [[[Entry]]]
}

final class GridworldTests: XCTestCase {
    static let testsFolder = repositoryRoot.appendingPathComponent("Tests/PolicyGradientTests")
    static let envsFolder = URL(fileURLWithPath: shippedEnvs)

    /// Shipped map (file stem in envs/) and its Gymnasium reference table.
    static let gymMaps = [
        ("FrozenLake-v1-4x4", "FrozenLake-v1_4x4_slippery"),
        ("FrozenLake-v1-4x4-deterministic", "FrozenLake-v1_4x4_deterministic"),
        ("FrozenLake-v1-8x8", "FrozenLake-v1_8x8_slippery"),
        ("FrozenLake-v1-8x8-deterministic", "FrozenLake-v1_8x8_deterministic"),
        ("CliffWalking-v1", "CliffWalking-v1"),
    ]

    static func load(_ stem: String) throws -> Gridworld {
        try Gridworld.load(path: envsFolder.appendingPathComponent(stem + ".txt").path)
    }

    private static func reference(_ name: String) throws -> GymReference {
        let url = testsFolder.appendingPathComponent("Fixtures/gym/\(name).json")
        return try JSONDecoder().decode(GymReference.self, from: Data(contentsOf: url))
    }

    // MARK: Gymnasium tables

    func testShippedMapsMatchGymnasiumTableForTable() throws {
        for (stem, refName) in Self.gymMaps {
            let env = try Self.load(stem), ref = try Self.reference(refName), m = env.model
            XCTAssertEqual(m.stateCount, ref.nS, stem)
            XCTAssertEqual(m.actionCount, ref.nA, stem)
            XCTAssertEqual(m.start, ref.start_state_distribution, stem)
            XCTAssertEqual(env.actionNames, ref.action_meanings.map { $0.lowercased() }, stem)
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

    func testSlipperyFloatsAndOrderAreGymnasiums() throws {
        let m = try Self.load("FrozenLake-v1-4x4").model
        // State 0, action 0 (left): up (stays), left (stays), down (to 4).
        XCTAssertEqual(m.outcomes(state: 0, action: 0), [
            Outcome(probability: 0.33333333333333337, next: 0, reward: 0, terminated: false),
            Outcome(probability: 0.3333333333333333, next: 0, reward: 0, terminated: false),
            Outcome(probability: 0.33333333333333337, next: 4, reward: 0, terminated: false),
        ])
    }

    func testIdsDescriptionsAndTimeLimits() throws {
        let limits = ["FrozenLake-v1-4x4": 100, "FrozenLake-v1-4x4-deterministic": 100,
                      "FrozenLake-v1-8x8": 200, "FrozenLake-v1-8x8-deterministic": 200,
                      "CliffWalking-v1": 100, "FourRooms-v0": 100]
        for (stem, limit) in limits {
            let env = try Self.load(stem)
            XCTAssertEqual(env.id, stem, "the name is the file stem")
            XCTAssertEqual(env.timeLimit, limit, stem)
            XCTAssertFalse(env.description.isEmpty, stem)
        }
        let big = try Self.load("FrozenLake-v1-8x8")
        XCTAssertEqual([big.rows, big.columns, big.stateCount, big.featureLength], [8, 8, 64, 64])
        XCTAssertTrue(big.description.contains("FrozenLake8x8-v1"))
    }

    // MARK: Sampling

    /// Frequencies of sampled next states against the table (summed over duplicate entries),
    /// within 4 standard errors, for every (state, action) of a few seeds.
    func testSampledStepsMatchTable() throws {
        let env = try Self.load("FrozenLake-v1-4x4"), m = env.model, n = 3000
        for seed: UInt64 in [1, 2, 3] {
            var rng = RandomStream(seed: seed), e = env
            for s in 0..<m.stateCount {
                for a in 0..<m.actionCount {
                    var expected = [Double](repeating: 0, count: m.stateCount)
                    for o in m.outcomes(state: s, action: a) { expected[o.next] += o.probability }
                    var counts = [Int](repeating: 0, count: m.stateCount)
                    for _ in 0..<n {
                        e.state = s
                        counts[e.step(a, using: &rng).state] += 1
                    }
                    for t in 0..<m.stateCount {
                        let p = expected[t], freq = Double(counts[t]) / Double(n)
                        XCTAssertLessThanOrEqual(abs(freq - p), 4 * (p * (1 - p) / Double(n)).squareRoot(),
                                                 "seed \(seed) s \(s) a \(a) → \(t)")
                    }
                }
            }
        }
    }

    func testStepReturnsTableRewardAndTermination() throws {
        var env = try Self.load("FrozenLake-v1-4x4-deterministic"), rng = RandomStream(seed: 7)
        XCTAssertEqual(env.reset(using: &rng), 0)
        let path = [1, 1, 2, 1, 2, 2]  // down down right down right right
        let results = path.map { env.step($0, using: &rng) }
        XCTAssertEqual(results.map(\.state), [4, 8, 9, 13, 14, 15])
        XCTAssertEqual(results.map(\.reward), [0, 0, 0, 0, 0, 1])
        XCTAssertEqual(results.map(\.terminated), [false, false, false, false, false, true])
        XCTAssertFalse(results.contains { $0.truncated })
    }

    func testSeveralStartsAreUniform() throws {
        let text = "name: starts\nactions: up down left right\ntime-limit: 5\nmap:\nS.S\n...\nS.G\n"
        var env = try Gridworld(parsing: text, file: "starts.txt"), rng = RandomStream(seed: 11)
        XCTAssertEqual(env.model.start.filter { $0 > 0 }, [1.0 / 3, 1.0 / 3, 1.0 / 3])
        var counts = [Int: Int]()
        let n = 30000
        for _ in 0..<n { counts[env.reset(using: &rng), default: 0] += 1 }
        XCTAssertEqual(Set(counts.keys), [0, 2, 6])
        for c in counts.values {
            XCTAssertLessThan(abs(Double(c) / Double(n) - 1.0 / 3), 4 * (2.0 / 9 / Double(n)).squareRoot())
        }
    }

    // MARK: Walls, edges, cliffs, custom cells

    func testWallsAndEdgesLeaveTheAgentInPlace() throws {
        let text = "name: walls\nactions: up down left right\ntime-limit: 10\nmap:\nS#G\n.#.\n...\n"
        let m = try Gridworld(parsing: text, file: "walls.txt").model
        func nextStates(_ s: Int) -> [Int] { (0..<4).map { m.outcomes(state: s, action: $0)[0].next } }
        XCTAssertEqual(nextStates(0), [0, 3, 0, 0])  // up: edge, down, left: edge, right: wall
        XCTAssertEqual(nextStates(7), [7, 7, 6, 8])  // bottom middle: up: wall, down: edge
        XCTAssertEqual(nextStates(5), [2, 8, 5, 5])  // left: wall, right: edge
        XCTAssertEqual(m.outcomes(state: 5, action: 0), [Outcome(probability: 1, next: 2, reward: 1, terminated: true)])
        for a in 0..<4 {  // walls are absorbing self-loops, never entered
            XCTAssertEqual(m.outcomes(state: 1, action: a), [Outcome(probability: 1, next: 1, reward: 0, terminated: true)])
        }
    }

    func testCliffRestartsWithoutEnding() throws {
        var env = try Self.load("CliffWalking-v1"), rng = RandomStream(seed: 3)
        XCTAssertEqual(env.reset(using: &rng), 36)
        XCTAssertEqual(env.step(1, using: &rng), StepResult(state: 36, reward: -100, terminated: false))
        XCTAssertEqual(env.step(0, using: &rng), StepResult(state: 24, reward: -1, terminated: false))
        for _ in 0..<11 { _ = env.step(1, using: &rng) }
        XCTAssertEqual(env.step(2, using: &rng), StepResult(state: 47, reward: -1, terminated: true))
    }

    func testCliffTerminateAndRestartToSeveralStarts() throws {
        let end = "name: c\nactions: up right down left\ncliff: terminate\ncliff-reward: -5\ntime-limit: 9\nmap:\nSCG\n...\n"
        let m = try Gridworld(parsing: end, file: "c.txt").model
        XCTAssertEqual(m.outcomes(state: 0, action: 1), [Outcome(probability: 1, next: 1, reward: -5, terminated: true)])
        XCTAssertEqual(m.outcomes(state: 1, action: 0), [Outcome(probability: 1, next: 1, reward: 0, terminated: true)])
        let restart = "name: c\nactions: up right down left\ntime-limit: 9\nmap:\nSCS\n...\n..G\n"
        let r = try Gridworld(parsing: restart, file: "c.txt").model
        XCTAssertEqual(r.outcomes(state: 0, action: 1), [
            Outcome(probability: 0.5, next: 0, reward: -100, terminated: false),
            Outcome(probability: 0.5, next: 2, reward: -100, terminated: false),
        ])
    }

    func testDeclaredCells() throws {
        let text = """
            name: cells
            actions: left down right up
            success-rate: 0.5
            step-reward: -1
            cell $: reward 0.5
            cell X: reward 2 terminal
            time-limit: 20
            map:
            S$X
            """
        let m = try Gridworld(parsing: text, file: "cells.txt").model
        XCTAssertEqual(m.outcomes(state: 0, action: 2), [  // right: up (stays), right, down (stays)
            Outcome(probability: 0.25, next: 0, reward: -1, terminated: false),
            Outcome(probability: 0.5, next: 1, reward: 0.5, terminated: false),
            Outcome(probability: 0.25, next: 0, reward: -1, terminated: false),
        ])
        XCTAssertEqual(m.outcomes(state: 1, action: 2)[1], Outcome(probability: 0.5, next: 2, reward: 2, terminated: true))
        // Up from $ stays on $ and earns its reward again, as Gymnasium scores the cell landed in.
        XCTAssertEqual(m.outcomes(state: 1, action: 3)[1], Outcome(probability: 0.5, next: 1, reward: 0.5, terminated: false))
    }

    // MARK: FourRooms

    func testFourRoomsSanity() throws {
        let env = try Self.load("FourRooms-v0"), m = env.model, cells = env.map.cells
        XCTAssertEqual([env.rows, env.columns, env.actionCount], [11, 11, 4])
        XCTAssertEqual(cells.filter { $0 == .wall }.count, 17)
        XCTAssertEqual(m.start[0], 1)
        XCTAssertEqual(cells[120], .goal)
        // Deterministic, and no move from an open cell ends in a wall.
        var distance = [Int](repeating: -1, count: m.stateCount), queue = [0]
        distance[0] = 0
        while !queue.isEmpty {
            let s = queue.removeFirst()
            for a in 0..<4 {
                let o = m.outcomes(state: s, action: a)
                XCTAssertEqual(o.count, 1)
                XCTAssertNotEqual(cells[o[0].next], .wall)
                if distance[o[0].next] < 0, !o[0].terminated || o[0].next == 120 {
                    distance[o[0].next] = distance[s] + 1
                    if !o[0].terminated { queue.append(o[0].next) }
                }
            }
        }
        XCTAssertEqual(distance[120], 20, "shortest path from the top-left to the bottom-right corner")
        XCTAssertEqual(distance.filter { $0 >= 0 }.count, 104, "every open cell is reachable")
    }

    // MARK: Parse errors

    private let header = "name: bad\nactions: left down right up\ntime-limit: 10\n"

    private func parseError(_ text: String, file: String = "bad.txt") -> String {
        do {
            _ = try Gridworld(parsing: text, file: file)
            return "no error"
        } catch let error as InputError {
            return error.description
        } catch {
            return "unexpected \(error)"
        }
    }

    private func assertError(_ text: String, _ prefix: String, line: UInt = #line) {
        let message = parseError(text)
        XCTAssertTrue(message.hasPrefix(prefix), "got: \(message)", line: line)
    }

    func testHeaderErrorsNameFileLineAndColumn() {
        assertError("name: bad\nslippery: yes\n", "bad.txt:2:1: unknown key 'slippery'; valid keys: name, description,")
        XCTAssertTrue(parseError(header + "slip: 2/3\nmap:\nSG\n").contains("'success-rate: 1 - slip'"))
        assertError(header + "goal-reward: one\nmap:\nSG\n", "bad.txt:4:14: 'one' is not a number")
        assertError(header + "success-rate: 1.5\nmap:\nSG\n", "bad.txt:4:15: probability 1.5 is out of [0, 1]")
        assertError("name: bad\nactions: left down rigth up\ntime-limit: 5\nmap:\nSG\n",
                    "bad.txt:2:20: unknown action 'rigth'; valid actions: up, down, left, right")
        assertError("name: bad\nactions: left down left up\ntime-limit: 5\nmap:\nSG\n", "bad.txt:2:20: action 'left' is listed twice")
        assertError(header + "time-limit: 20\n", "bad.txt:4:1: duplicate key 'time-limit' (first given on line 3)")
        assertError("name: bad\nactions: up down left right\nmap:\nSG\n", "bad.txt:3:1: missing required key 'time-limit:'")
        assertError("name: bad\nactions: up down left right\ntime-limit: 0\nmap:\nSG\n",
                    "bad.txt:3:13: time-limit must be a positive integer")
        assertError(header + "cliff: bounce\nmap:\nSG\n", "bad.txt:4:8: unknown value 'bounce'; valid values: restart, terminate")
        assertError(header + "cell H: reward 1\nmap:\nSG\n", "bad.txt:4:6: 'H' is a built-in cell")
        assertError(header + "cell Z: reward\nmap:\nSG\n", "bad.txt:4:9: expected 'reward r' or 'reward r terminal'")
        assertError(header + "time-limit 10\n", "bad.txt:4:1: expected 'key: value' or 'map:'")
        assertError(header, "bad.txt:3:1: missing 'map:' line")
        assertError("name: bad\nactions: left right up down\nsuccess-rate: 1/3\ntime-limit: 5\nmap:\nSG\n",
                    "bad.txt:2:10: with success-rate < 1 the actions must go round the compass")
    }

    func testGridErrorsNameFileLineAndColumn() {
        assertError(header + "map:\nSFF\nFF\nFFG\n", "bad.txt:6:3: row has 2 cells but the first row has 3")
        assertError(header + "map:\nSFF\nFFFF\nFFG\n", "bad.txt:6:4: row has 4 cells but the first row has 3")
        assertError(header + "map:\nSFX\nFFG\n",
                    "bad.txt:5:3: unknown cell 'X'; valid cells: S (start), F or . (floor), H (hole), G (goal)")
        assertError(header + "map:\nFFF\nFFG\n", "bad.txt:4:1: the map has no start cell 'S'")
        assertError(header + "map:\nSFF\nFFF\n", "bad.txt:4:1: the map has no goal")
        assertError(header + "map:\n\n", "bad.txt:4:1: the map has no rows after 'map:'")
        assertError(header + "map:\nSF\n\nFG\n", "bad.txt:6:1: blank line inside the map")
        assertError(header + "map:\nFSH\nHHF\nFFG\n", "bad.txt:5:2: the goal cannot be reached from this start")
        assertError(header + "map:\nS#G\n", "bad.txt:5:1: the goal cannot be reached from this start")
    }

    func testUnreadableFile() {
        XCTAssertThrowsError(try Gridworld.load(path: "/nonexistent/map.txt")) { error in
            XCTAssertEqual((error as? InputError)?.description,
                           "cannot read the map file /nonexistent/map.txt: No such file or directory")
        }
    }

    func testCommentsBlankLinesAndCarriageReturns() throws {
        let text = "# a comment\r\n\r\n  # indented comment\r\nname: crlf\r\nactions: up down left right\r\n"
            + "time-limit: 3\r\nmap:\r\nSG  \r\n"
        let env = try Gridworld(parsing: text, file: "crlf.txt")
        XCTAssertEqual([env.rows, env.columns], [1, 2])
        XCTAssertEqual(env.id, "crlf")
    }
}
