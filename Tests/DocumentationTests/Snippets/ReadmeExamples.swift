// snippet.begin corridor
import PolicyGradient

/// A corridor of `length` cells: step left or right, reward 1 for reaching the far end.
struct Corridor: Environment {
    let length: Int
    var position = 0
    var id: String { "corridor" }
    var actionCount: Int { 2 }                      // 0 = left, 1 = right
    var stateCount: Int { length }
    var timeLimit: Int { 4 * length }               // pg truncates every episode here

    mutating func reset(using rng: inout RandomStream) -> Int {
        position = 0
        return position
    }

    mutating func step(_ action: Int, using rng: inout RandomStream) -> StepResult {
        let slip = rng.nextUniform() < 0.1          // all randomness from the stream pg passes in
        position = max(0, position + ((action == 1) != slip ? 1 : -1))
        let done = position == length - 1
        return StepResult(state: position, reward: done ? 1 : 0, terminated: done)
    }
}

/// Trains a tabular policy on a corridor of 6 cells with REINFORCE and the NVIL baseline.
func trainCorridor() throws -> Double {
    let corridor = Corridor(length: 6)
    let policy = TabularPolicy(stateCount: corridor.stateCount, actionCount: corridor.actionCount)
    var session = try EstimatorSpec("nvil").makeSession(environment: corridor, policy: policy,
                                                        configuration: TrainingConfiguration())
    var record = try session.step()
    while session.iteration < 200 { record = try session.step() }
    return record.meanReturn                         // the last batch's mean return
}
// snippet.end

// The README's environment example: compiled here, run by ReadmeExampleTests.
