import Foundation
@testable import PolicyGradient
import XCTest

/// Checkpoints: parameters written and read back bit for bit for every policy kind, the
/// documented layout, errors that point at the value, and the shape check.
final class CheckpointTests: XCTestCase {
    static let run = JSONValue.object([("type", .string("config")), ("command", .string("train"))])

    /// Doubles whose text is easy to get wrong: signed zeros, subnormals, the extremes,
    /// integral values beyond 2^53, and values one ulp apart.
    static let awkward: [Double] = [-0.0, 0.0, Double(bitPattern: 1), -Double(bitPattern: 1), .leastNormalMagnitude,
                                    .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0.1, 1.0 / 3, .pi, 1e-300,
                                    123_456_789_012_345_680, 1e15, 1e16, 1.0.nextUp, 1.0.nextDown, -2.5, 9_007_199_254_740_994]

    static func frozenLake() throws -> Gridworld { try Gridworld.load(path: shippedEnvs + "/FrozenLake-v1-4x4.txt") }

    /// A policy of `spec` on `env` with awkward and random parameters.
    static func checkpoint(_ spec: PolicySpec, on env: any Environment, seed: UInt64) -> Checkpoint {
        var rng = RandomStream(seed: seed)
        var p = spec.make(for: env, seed: seed)
        p.parameters = (0..<p.parameterCount).map { k in k < awkward.count ? awkward[k] : rng.nextGaussian() * 3 }
        return Checkpoint(policy: spec, parameters: p.parameters, environment: env, iteration: 7, status: "completed", run: run)
    }

    static var specs: [PolicySpec] {
        var mlp = PolicySpec(kind: .mlp)
        mlp.hidden = [3, 2]
        mlp.activation = .relu
        return [PolicySpec(kind: .tabular), PolicySpec(kind: .linear), mlp]
    }

    func testEveryParameterReadsBackBitForBit() throws {
        let envs: [any Environment] = [try Self.frozenLake(), Bandit.bernoulli([0.2, 0.8, 0.5])]
        for env in envs {
            for (i, spec) in Self.specs.enumerated() {
                let c = Self.checkpoint(spec, on: env, seed: UInt64(i))
                let back = try Checkpoint.parse(Array(c.text.utf8), file: "c.json")
                XCTAssertEqual(back.parameters.map(\.bitPattern), c.parameters.map(\.bitPattern), "\(spec.kind) on \(env.id)")
                XCTAssertEqual(back.policy, spec)
                XCTAssertEqual(back.environment, Checkpoint.EnvironmentShape(env))
                XCTAssertEqual([back.iteration], [7])
                XCTAssertEqual(back.status, "completed")
                XCTAssertEqual(back.run, Self.run)
                let policy = try back.makePolicy(for: env)
                XCTAssertEqual(policy.kind, spec.kind.rawValue)
                XCTAssertEqual(policy.parameters.map(\.bitPattern), c.parameters.map(\.bitPattern))
                XCTAssertEqual(back.text, c.text, "writing what was read gives the same file")
            }
        }
    }

    /// One key per line, then one row of parameters per line: a state's A logits (tabular),
    /// an action's F weights then the biases (linear), a unit's inputs then the biases (MLP).
    func testTheLayoutHasOneRowPerLine() throws {
        let env = try Self.frozenLake()
        let expected: [PolicyKind: [Int]] = [.tabular: [Int](repeating: 4, count: 16),
                                             .linear: [Int](repeating: 16, count: 4) + [4],
                                             .mlp: [16, 16, 16, 3, 3, 3, 2, 2, 2, 2, 2, 4]]
        for spec in Self.specs {
            let lines = Self.checkpoint(spec, on: env, seed: 3).text.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertEqual(lines[0], #"{"format":"pg-checkpoint","format_version":1,"#)
            XCTAssertEqual(lines[1], #""iteration":7,"status":"completed","#)
            XCTAssertTrue(lines[4].hasPrefix(#""run":{"type":"config""#))
            XCTAssertEqual(lines[5], #""parameters":["#)
            XCTAssertEqual(Array(lines.suffix(2)), ["]}", ""])
            let rows = lines.dropFirst(6).dropLast(2).map { $0.split(separator: ",").count }
            XCTAssertEqual(rows, expected[spec.kind], "\(spec.kind)")
        }
        XCTAssertEqual(Self.checkpoint(Self.specs[1], on: env, seed: 3).text.split(separator: "\n")[2],
                       #""policy":{"kind":"linear","features":16,"actions":4,"parameter_count":68},"#)
    }

    /// Each corruption of a valid file gives its one error at the value's line and column.
    func testErrorsNameTheFileLineAndColumn() throws {
        let text = Self.checkpoint(PolicySpec(kind: .tabular), on: Bandit.bernoulli([0.2, 0.8]), seed: 1).text
        let cases: [(String, String, String)] = [
            (#""kind":"tabular","states":1,"#, #""kind":"tabular","states":0,"#,
             #"c.json:3:37: "policy.states" must be an integer in 1...100000000, got 0"#),
            (#""actions":2,"parameter_count""#, #""actions":3,"parameter_count""#,
             #"c.json:3:49: "policy.actions" is 3, but "environment.actions" is 2"#),
            (#""parameter_count":2"#, #""parameter_count":3"#,
             #"c.json:3:69: "policy.parameter_count" is 3, but a tabular policy of 1 states x 2 actions has 2"#),
            (#""format_version":1"#, #""format_version":2"#, "c.json:1:44: format_version 2 is newer than this pg reads (1)"),
            (#""status":"completed""#, #""status":"done""#,
             #"c.json:2:24: "status" must be one of running, completed, interrupted, diverged, got the string "done""#),
            (#""kind":"tabular""#, #""kind":"table""#,
             #"c.json:3:18: "policy.kind" must be one of tabular, linear, mlp, got the string "table""#),
            (#""iteration":7,"#, #""iteration":7,"extra":1,"#, #"c.json:2:23: unknown key "extra"; valid: format, format_version"#),
            (#""format":"pg-checkpoint""#, #""format":"pg-log""#,
             #"c.json:1:11: "format" must be "pg-checkpoint" (not a pg checkpoint?), got the string "pg-log""#),
            (#""run":{"type":"config""#, #""run":{"type":"iteration""#, #"c.json:5:7: "run" must be the run's {"type":"config"} line"#),
        ]
        for (old, new, message) in cases {
            XCTAssertTrue(text.contains(old), old)
            XCTAssertThrowsError(try Checkpoint.parse(Array(text.replacingOccurrences(of: old, with: new).utf8), file: "c.json"),
                                 new) { XCTAssertTrue("\($0)".hasPrefix(message), "\($0)") }
        }
        let rows = text.components(separatedBy: "\n")
        var short = rows
        short[6] = "0.5"
        XCTAssertThrowsError(try Checkpoint.parse(Array(short.joined(separator: "\n").utf8), file: "c.json")) {
            XCTAssertEqual("\($0)", #"c.json:6:14: "parameters" holds 1 numbers; the policy has 2"#)
        }
        short[6] = "0.5,\"x\""
        XCTAssertThrowsError(try Checkpoint.parse(Array(short.joined(separator: "\n").utf8), file: "c.json")) {
            XCTAssertEqual("\($0)", #"c.json:7:5: "parameters[1]" must be a finite number, got the string "x""#)
        }
        XCTAssertThrowsError(try Checkpoint.parse(Array(text.dropLast(5).utf8), file: "c.json")) {
            XCTAssertTrue("\($0)".hasPrefix("c.json:7:"), "\($0)")
        }
    }

    func testAPolicyThatDoesNotFitIsRefused() throws {
        let c = Self.checkpoint(PolicySpec(kind: .tabular), on: try Self.frozenLake(), seed: 1)
        XCTAssertThrowsError(try c.makePolicy(for: Bandit.bernoulli([0.2, 0.8, 0.5, 0.1]), file: "c.json")) {
            XCTAssertEqual("\($0)", "c.json: the checkpoint's tabular policy (16 states x 4 actions, trained on "
                           + "FrozenLake-v1-4x4) does not fit bernoulli (1 states x 4 actions)")
        }
        let linear = Self.checkpoint(PolicySpec(kind: .linear), on: Bandit.bernoulli([0.2, 0.8]), seed: 1)
        XCTAssertThrowsError(try linear.makePolicy(for: Bandit.bernoulli([0.2, 0.8, 0.5]))) {
            XCTAssertTrue("\($0)".contains("(1 features x 2 actions, trained on bernoulli) does not fit bernoulli (1 features x 3 actions)"))
        }
        XCTAssertNoThrow(try linear.makePolicy(for: Bandit.bernoulli([0.5, 0.5], id: "other")), "the shape fits: any id")
    }
}
