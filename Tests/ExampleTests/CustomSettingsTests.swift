import ExampleEnvironments
import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// A registered environment with a setting of its own: in `--help`, in the config line, checked
/// with one error line; and an executable that names itself.
final class CustomSettingsTests: XCTestCase {
    override func setUp() {
        super.setUp()
        PGCommand.register("chain", description: "slippery chain walk", settings: [Chain.lengthSetting]) { o in
            let n = o.settings.integer(Chain.lengthSetting)
            return Chain(length: n, timeLimit: max(4, 2 * (n - 1)))
        }
    }

    override func tearDown() {
        EnvironmentRegistry.unregister(name: "chain")
        PGCommand.name = "pg"
        super.tearDown()
    }

    func run(_ args: [String], name: String = "pg") -> (status: Int32, out: String, err: String) {
        var out = "", err = ""
        let status = PGCommand.run(args, output: Output(out: { out += $0 }, err: { err += $0 }), name: name)
        return (status, out, err)
    }

    func testTheSettingIsInHelpAndEnvs() {
        for command in ["train", "compare", "variance", "check"] {
            XCTAssertTrue(run([command, "--help"]).out.contains("  --chain-length N         number of states of the chain (default 3)\n"),
                          command)
        }
        XCTAssertTrue(run(["envs"]).out.hasPrefix("chain "))
        XCTAssertTrue(run(["envs"]).out.contains("slippery chain walk [--chain-length] (registered)"), run(["envs"]).out)
    }

    func testTheSettingIsRecordedAndUsed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chain-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = run(["--env", "chain", "--chain-length", "5", "--iterations", "2", "--threads", "1", "--quiet", "--out", dir + "/c.jsonl"])
        XCTAssertEqual(r.status, 0, r.err)
        let config = try JSONParser.parse(String(try String(contentsOfFile: dir + "/c.jsonl", encoding: .utf8).split(separator: "\n")[0]))
        XCTAssertEqual(config["env_settings"], .object([("chain_length", .int(5))]))
        XCTAssertEqual(config["states"], .int(5))
        XCTAssertEqual(config["time_limit"], .int(8))
        let d = run(["--env", "chain", "--iterations", "1", "--threads", "1", "--quiet", "--out", dir + "/d.jsonl"])
        XCTAssertEqual(d.status, 0, d.err)
        let defaults = try JSONParser.parse(String(try String(contentsOfFile: dir + "/d.jsonl", encoding: .utf8).split(separator: "\n")[0]))
        XCTAssertEqual(defaults["env_settings"], .object([("chain_length", .int(3))]), "the default is recorded too")
    }

    func testABadValueIsOneErrorLine() {
        let cases: [([String], String)] = [
            (["--env", "chain", "--chain-length", "1"], "pg: error: --chain-length: the chain needs 2...1000 states, got 1\n"),
            (["compare", "--env", "chain", "--chain-length", "x"], "pg: error: --chain-length: expected an integer, got 'x'\n"),
            (["--env", "bandit10", "--chain-length", "4"],
             "pg: error: --chain-length does not apply to bandit10 (its settings: --bandit-mean, --arms)\n"),
            (["--env", "chain", "--arms", "4"], "pg: error: --arms does not apply to chain (its settings: --chain-length)\n"),
        ]
        for (args, line) in cases {
            let r = run(args)
            XCTAssertEqual(r.status, 2, "\(args)")
            XCTAssertEqual(r.err, line, "\(args)")
            XCTAssertEqual(r.out, "")
        }
        XCTAssertEqual(run(["--env", "chain", "--chain-length", "0"], name: "chain-pg").err,
                       "chain-pg: error: --chain-length: the chain needs 2...1000 states, got 0\n")
    }

    /// The example executable passes its own name: help, usage and errors say it.
    func testTheExampleExecutableNamesItself() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [Bundle.main.bundleURL.appendingPathComponent("custom-env-example"),
                          Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("custom-env-example"),
                          root.appendingPathComponent(".build/debug/custom-env-example")]
        guard let exe = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("custom-env-example was not built")
        }
        func launch(_ args: [String]) throws -> (Int32, String, String) {
            let p = Process()
            p.executableURL = exe
            p.arguments = args
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            try p.run()
            let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            return (p.terminationStatus, o, e)
        }
        let help = try launch(["train", "--help"])
        XCTAssertTrue(help.1.hasPrefix("custom-env-example train — "), help.1)
        XCTAssertTrue(help.1.contains("USAGE: custom-env-example [train] --env NAME"), help.1)
        XCTAssertTrue(help.1.contains("--chain-length N"), help.1)
        let bad = try launch(["--env", "chain", "--chain-length", "1"])
        XCTAssertEqual(bad.0, 2)
        XCTAssertEqual(bad.2, "custom-env-example: error: --chain-length: the chain needs 2...1000 states, got 1\n")
        XCTAssertEqual(try launch(["--version"]).1, "custom-env-example \(PGVersion.current)\n")
    }
}
