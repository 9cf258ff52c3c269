import PolicyGradient

/// A baseline with a setting of its own, the custom-estimator article's example: b(s), an
/// exponential moving average over batches of the mean return-to-go seen from state s, that
/// keeps the fraction `state_decay` of its value each batch (0 until s has been visited).
public struct StateEMABaseline: Baseline {
    /// `state_decay`, the flag `--state-decay X` of every command: default, help and check.
    public static let decaySetting = Setting(key: "state_decay", number: 0.9, help: "state-ema's decay of b(s) per batch") {
        $0 >= 0 && $0 < 1 ? nil : "the decay must be in [0, 1)"
    }
    /// b(s), and whether s has been visited.
    var values: [Double], visited: [Bool]
    let decay: Double

    /// b(s) = 0 for `stateCount` states, keeping `decay` of b(s) per batch.
    public init(stateCount: Int, decay: Double) {
        values = [Double](repeating: 0, count: stateCount)
        visited = [Bool](repeating: false, count: stateCount)
        self.decay = decay
    }

    /// b(s_t) for step t of episode j.
    public func value(in group: EpisodeGroup, episode j: Int, step t: Int) -> Double { values[group.state(j, t)] }

    /// Moves b(s) towards the batch's mean return-to-go from s, for every state the batch visited.
    public mutating func update(after batch: BatchAccumulator, table: PolicyTable) {
        let a = batch.visits.count / values.count
        for s in values.indices {
            let n = batch.visits[(s * a)..<(s * a + a)].reduce(0, +), sum = batch.returnSum[(s * a)..<(s * a + a)].reduce(0, +)
            guard n > 0 else { continue }
            values[s] = visited[s] ? decay * values[s] + (1 - decay) * sum / n : sum / n
            visited[s] = true
        }
    }

    /// The sums ``update(after:table:)`` reads.
    public var statistics: BatchStatistics { [.visits, .returnSums] }

    /// `state-ema`, with its setting: `values` holds the value of every setting it declares.
    public static let descriptor = EstimatorDescriptor(
        name: "state-ema", summary: "REINFORCE, per-state moving average of returns as baseline (settings example)",
        isBaseline: true, claim: .unbiased, settings: [decaySetting]) { context, values in
        Reinforce(baseline: StateEMABaseline(stateCount: context.environment.stateCount, decay: values.number(decaySetting)))
    }
}
