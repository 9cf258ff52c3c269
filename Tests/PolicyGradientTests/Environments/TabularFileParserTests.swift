import Foundation
@testable import PolicyGradient
import XCTest

/// Bad tabular MDP files: one ``InputError`` at the value that is wrong (the command-line
/// corpus, PGCommandTests/BadInputCorpus/tabular.json, has many more).
final class TabularFileParserTests: XCTestCase {
    /// Two states, two actions; line 4 is P[0], line 5 is P[1].
    static let valid = """
        {"max_episode_steps": 5,
         "initial_state_distrib": [1, 0],
         "P": [
          [[[1, 1, 0, false]], [[0.5, 0, 1, false], [0.5, 1, 0, true]]],
          [[[1, 1, 0, true]], [[1, 1, 0, true]]]
         ]}
        """

    func error(_ text: String, limits: TabularFileParser.Limits = .init()) -> InputError? {
        do {
            var parser = JSONParser(text, file: "m.json")
            let root = try parser.parse()
            _ = try TabularFileParser(file: "m.json", positions: parser.positions, limits: limits).environment(root)
            return nil
        } catch {
            return error as? InputError
        }
    }

    func assertError(_ text: String, _ line: Int, _ column: Int, _ message: String,
                     limits: TabularFileParser.Limits = .init(), file: StaticString = #filePath, at: UInt = #line) {
        XCTAssertEqual(error(text, limits: limits), InputError(message, file: "m.json", line: line, column: column),
                       file: file, line: at)
    }

    func edited(_ old: String, _ new: String) -> String {
        precondition(Self.valid.contains(old), old)
        return Self.valid.replacingOccurrences(of: old, with: new)
    }

    func testTheValidFileLoads() throws {
        XCTAssertNil(error(Self.valid))
    }

    func testOutcomeProblemsPointAtTheEntry() {
        assertError(edited("[[0.5, 0, 1, false], [0.5", "[[0.5, 0, 1, false], [0.4"), 4, 24,
                    "P[0][1]: the outcome probabilities sum to 0.9; it must be 1 (within 1e-09)")
        assertError(edited("[[[1, 1, 0, true]], [[1", "[[[-1, 1, 0, true]], [[1"), 5, 6,
                    "P[1][0][0][0] (probability) must be a number in [0, 1], got -1")
        assertError(edited("[[[1, 1, 0, false]]", "[[[1, 2, 0, false]]"), 4, 9,
                    "P[0][0][0][1] (next state) must be an integer in 0...1, got 2")
        assertError(edited("[[[1, 1, 0, false]]", "[[[1, 0.5, 0, false]]"), 4, 9,
                    "P[0][0][0][1] (next state) must be an integer in 0...1, got 0.5")
        assertError(edited("[[[1, 1, 0, false]]", "[[[1, \"1\", 0, false]]"), 4, 9,
                    "P[0][0][0][1] (next state) must be an integer in 0...1, got \"1\"")
        assertError(edited("[[[1, 1, 0, false]]", "[[[1, 1, null, false]]"), 4, 12,
                    "P[0][0][0][2] (reward) must be a number, got null")
        assertError(edited("[[[1, 1, 0, false]]", "[[[1, 1, 0, 0]]"), 4, 15,
                    "P[0][0][0][3] (terminated) must be true or false, got 0")
        assertError(edited("[[[1, 1, 0, false]]", "[[[1, 1, 0]]"), 4, 5,
                    "P[0][0][0] must be [probability, next_state, reward, terminated], got a list of 3 entries")
        assertError(edited("[[[1, 1, 0, false]]", "[[]"), 4, 4, "P[0][0] has no outcomes; every action needs at least one")
    }

    func testShapeProblems() {
        assertError(edited("[[[1, 1, 0, true]], [[1, 1, 0, true]]]", "[[[1, 1, 0, true]]]"), 5, 3,
                    "P[1] has 1 actions but P[0] has 2; every state needs the same number of actions")
        assertError(#"{"max_episode_steps": 5, "initial_state_distrib": [], "P": []}"#, 1, 60, "P has no states")
        assertError(#"{"max_episode_steps": 5, "initial_state_distrib": [1], "P": [[]]}"#, 1, 62, "P[0] has no actions")
        assertError(#"{"max_episode_steps": 5, "initial_state_distrib": [1], "P": 3}"#, 1, 61,
                    "P must be a list with one entry per state, got 3")
        assertError(#"{"max_episode_steps": 5, "initial_state_distrib": [1], "P": {"1": [[[1, 0, 0, true]]]}}"#, 1, 67,
                    "P has the key \"1\"; written as an object it needs the keys \"0\" to \"0\", one per state")
        assertError(#"{"max_episode_steps": 5, "initial_state_distrib": [1], "P": {"0": {"00": [[1, 0, 0, true]]}}}"#, 1, 74,
                    "P[0] has the key \"00\"; written as an object it needs the keys \"0\" to \"0\", one per action")
    }

    func testKeysStartAndTimeLimit() {
        assertError(edited("[1, 0]", "[1, 0, 0]"), 2, 27, "initial_state_distrib has 3 entries but P has 2 states")
        assertError(edited("[1, 0]", "[0.5, 0.25]"), 2, 27,
                    "initial_state_distrib sums to 0.75; it must be 1 (within 1e-09)")
        assertError(edited("[1, 0]", "[1.5, -0.5]"), 2, 28, "initial_state_distrib[0] must be a probability in [0, 1], got 1.5")
        assertError(edited(" \"initial_state_distrib\": [1, 0],\n", ""), 1, 1,
                    "missing key \"initial_state_distrib\" (required: P, initial_state_distrib, max_episode_steps)")
        assertError(edited(": 5,", ": null,"), 1, 23, "max_episode_steps is null (the environment has no time limit); pg "
                    + "computes exact gradients for a finite horizon: give a positive integer")
        assertError(edited(": 5,", ": 0,"), 1, 23, "max_episode_steps must be an integer in 1...1000000, got 0")
        assertError(edited(": 5,", ": 1e300,"), 1, 23, "max_episode_steps must be an integer in 1...1000000, got 1e+300")
        assertError(edited("{\"max", "{\"nS\": 2, \"max"), 1, 8,
                    "unknown key \"nS\"; valid keys: type, name, description, P, initial_state_distrib, max_episode_steps, "
                    + "action_names, action_meanings, state_names")
        assertError(edited("{\"max", "{\"type\": \"bandit\", \"max"), 1, 10, "type must be \"tabular\" in a file with \"P\", got \"bandit\"")
        assertError(edited("{\"max", "{\"name\": \"my taxi\", \"max"), 1, 10, "name 'my taxi' differs from the file name 'm': an environment file's id is its file name (drop the name key or rename the file)")
        assertError(edited("{\"max", "{\"action_names\": [\"a\"], \"max"), 1, 18,
                    "action_names must be a list of 2 names, one per action, got a list of 1 entry")
        assertError(edited("{\"max", "{\"action_names\": [\"a\", \"a\"], \"max"), 1, 24, "action_names[1]: action \"a\" is named twice")
        assertError(edited("{\"max", "{\"action_names\": [\"a\", \"b\"], \"action_meanings\": [\"a\", \"b\"], \"max"), 1, 49,
                    "give action_names or action_meanings, not both")
        assertError(edited("{\"max", "{\"state_names\": [\"a\", 2], \"max"), 1, 23, "state_names[1] must be a non-empty string, got 2")
        assertError("[1, 2]", 1, 1, "a tabular MDP file is a JSON object with \"P\", \"initial_state_distrib\" and \"max_episode_steps\"")
    }

    /// Numbers too large for an Int are refused with their value, not a trap.
    func testHugeNumbersAreRefusedWithoutATrap() {
        assertError(edited("[[[1, 1, 0, false]]", "[[[1, 99999999999999999999, 0, false]]"), 4, 9,
                    "P[0][0][0][1] (next state) must be an integer in 0...1, got 1e+20")
        assertError(edited("[[[1, 1, 0, false]]", "[[[1, -1e300, 0, false]]"), 4, 9,
                    "P[0][0][0][1] (next state) must be an integer in 0...1, got -1e+300")
    }

    func testSizeLimitsAreCheckedBeforeTheTableIsBuilt() {
        var limits = TabularFileParser.Limits()
        limits.states = 1
        assertError(Self.valid, 3, 7, "P has 2 states; pg reads at most 1", limits: limits)
        limits = .init()
        limits.actions = 1
        assertError(Self.valid, 4, 3, "P[0] has 2 actions; pg reads at most 1", limits: limits)
        limits = .init()
        limits.outcomes = 3
        assertError(Self.valid, 5, 4, "P lists more than 3 outcomes in all (the most pg reads) by P[1][0]", limits: limits)
        limits = .init()
        limits.stateSteps = 9
        assertError(Self.valid, 1, 23, "max_episode_steps 5 * 2 states is more than 9: exact J keeps a probability for "
                    + "every step and state; give a shorter time limit", limits: limits)
    }

    /// A file over ``TabularEnvironment/maximumFileBytes`` is refused before it is read (a
    /// sparse file: nothing is written).
    func testAFileOverTheSizeLimitIsRefusedUnread() throws {
        let path = NSTemporaryDirectory() + "pg-huge-\(ProcessInfo.processInfo.processIdentifier).json"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(TabularEnvironment.maximumFileBytes + 1))
        try handle.close()
        XCTAssertThrowsError(try TabularEnvironment.load(path: path)) {
            XCTAssertEqual($0 as? InputError, InputError("the file has 16777217 bytes; environment files are at most 16 MiB", file: path))
        }
        XCTAssertThrowsError(try EnvironmentRegistry.load(path: path)) {
            XCTAssertEqual(($0 as? InputError)?.message, "the file has 16777217 bytes; environment files are at most 16 MiB")
        }
    }
}
