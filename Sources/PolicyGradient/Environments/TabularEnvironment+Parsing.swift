import Foundation

extension TabularEnvironment {
    /// Parses a tabular MDP file: a JSON object in Gymnasium's own layout.
    ///
    /// ```json
    /// {"type": "tabular", "name": "chain-v0", "description": "a three-state chain",
    ///  "action_names": ["left", "right"], "max_episode_steps": 10,
    ///  "initial_state_distrib": [1, 0, 0],
    ///  "P": [[[[1, 0, 0, false]], [[1, 1, 0, false]]],
    ///        [[[1, 0, 0, false]], [[0.9, 2, 1, true], [0.1, 1, 0, false]]],
    ///        [[[1, 2, 0, true]],  [[1, 2, 0, true]]]]}
    /// ```
    ///
    /// | key | value |
    /// |---|---|
    /// | `P` (required) | `P[s][a]` = list of outcomes `[probability, next_state, reward, terminated]`, in order, not merged. `P` and each `P[s]` may be arrays or objects keyed `"0"`…`"n-1"` (what `json.dump` writes for Gymnasium's dict `env.unwrapped.P`) |
    /// | `initial_state_distrib` (required) | one probability per state, as Gymnasium's attribute of that name |
    /// | `max_episode_steps` (required) | the time limit, a positive integer (`env.spec.max_episode_steps`; `null` is refused: exact gradients need a finite horizon) |
    /// | `action_names` or `action_meanings` | one distinct non-empty string per action; default `"0"`, `"1"`, … |
    /// | `state_names` | one string per state |
    /// | `name` | the environment id, one word; default the file name without `.json` |
    /// | `description` | one line for `pg envs` |
    /// | `type` | `"tabular"`; marks the file as a tabular MDP even without `P` (a `.json` file without `P` or this is a bandit spec) |
    ///
    /// Every `P[s]` has the same number of actions, at least one; every `P[s][a]` at least one
    /// outcome. Probabilities are numbers in [0, 1] and sum to 1 within
    /// ``probabilityTolerance`` per `P[s][a]` and over the start distribution; next states
    /// are integers in `0..<S` (`3.0` is accepted, `2.5` is not); rewards are numbers;
    /// `terminated` is `true` or `false`. Probabilities are kept bit for bit, never renormalised.
    /// Other keys are refused. Sizes are checked before the table is built: at most
    /// ``maximumStates`` states, ``maximumActions`` actions, ``maximumOutcomes`` outcomes in
    /// all, ``maximumEpisodeSteps`` steps and ``maximumStateSteps`` states × steps
    /// (``load(path:)`` also refuses files over ``maximumFileBytes`` before reading them).
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - file: the file name, for error messages and the default `name`.
    /// - Throws: ``InputError`` with the file, line and column of the first problem, naming
    ///   the entry (`P[3][1][0]`) and what is wrong.
    /// - Complexity: O(length of the text).
    public init(parsing text: String, file: String) throws {
        var parser = JSONParser(text, file: file)
        let root = try parser.parse()
        self = try TabularEnvironment(json: root, positions: parser.positions, file: file)
    }

    /// Reads an already parsed tabular MDP file (see ``init(parsing:file:)``).
    init(json root: JSONValue, positions: JSONPositions, file: String) throws {
        self = try TabularFileParser(file: file, positions: positions).environment(root)
    }

    /// Whether a parsed `.json` environment file is a tabular MDP: it has `P` or `"type": "tabular"`.
    static func isTabularFile(_ root: JSONValue) -> Bool {
        root["P"] != nil || root["type"]?.stringValue == "tabular"
    }

    /// `description`, or the table's size when the file has none, for `pg envs`.
    var summary: String {
        description.isEmpty
            ? "tabular MDP: \(stateCount) states, \(actionCount) actions, time limit \(timeLimit)"
            : description
    }
}
