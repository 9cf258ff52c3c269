import PolicyGradient

/// A slippery walk along a chain of states, the worked example of a custom environment.
///
/// - Actions: 0 = left, 1 = right.
/// - States: positions `0..<length`; episodes start at 0, the goal is `length − 1`.
/// - Rewards: 1 on reaching the goal, 0 otherwise.
/// - Termination: at the goal; truncated after `timeLimit` steps. With probability `slip`
///   the walker moves the other way; moving left at 0 stays at 0.
public struct Chain: KnownDynamics {
    public var id: String { "chain" }
    public var actionCount: Int { 2 }
    public var stateCount: Int { length }
    /// Number of states, probability of moving the other way, and steps before truncation.
    public let length: Int, slip: Double, timeLimit: Int

    /// `chain_length`: the number of states (default 3), the environment's own setting: the
    /// flag `--chain-length N` of the example executable.
    public static let lengthSetting = Setting(key: "chain_length", integer: 3, help: "number of states of the chain") {
        (2...1000).contains($0) ? nil : "the chain needs 2...1000 states"
    }
    var position = 0

    /// A chain of `length` states (at least 2), slip probability `slip`, time limit `timeLimit`.
    public init(length: Int = 3, slip: Double = 0.1, timeLimit: Int = 4) {
        (self.length, self.slip, self.timeLimit) = (length, slip, timeLimit)
    }

    /// Where `right` (or left) leads from `s`.
    func move(_ s: Int, right: Bool) -> Int { right ? s + 1 : max(s - 1, 0) }

    public mutating func reset(using rng: inout RandomStream) -> Int { position = 0; return 0 }

    public mutating func step(_ action: Int, using rng: inout RandomStream) -> StepResult {
        position = move(position, right: (action == 1) != (rng.nextUniform() < slip))
        let goal = position == length - 1
        return StepResult(state: position, reward: goal ? 1 : 0, terminated: goal)
    }

    public var model: TabularModel {
        TabularModel(start: [1] + Array(repeating: 0, count: length - 1), outcomes: (0..<length).map { s in
            (0..<2).map { a in [(a == 1, 1 - slip), (a == 0, slip)].map { right, p in
                let n = s == length - 1 ? s : move(s, right: right)
                return Outcome(probability: p, next: n, reward: n == length - 1 ? 1 : 0, terminated: n == length - 1)
            } }
        })
    }
}
