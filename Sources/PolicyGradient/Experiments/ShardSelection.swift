/// What a `--shard` value selects: a shard, and the sweep it belongs to when a Slurm job array
/// chose it (the documentation's Slurm article).
///
/// * `i/n`: shard i of n (``SweepShard/init(parsing:)``); no sweep identity.
/// * `auto`: shard `SLURM_ARRAY_TASK_ID` of the array's size; the array must be `--array=0-(n-1)`.
/// * `auto/n`: shard `SLURM_ARRAY_TASK_ID` of n, for arrays that run some of the n shards
///   (`sbatch --array=7` reruns shard 7); every task id must be below n.
///
/// With `auto` the sweep's identity is ``SlurmArrayTask/sweepID`` (`PG_SWEEP_ID`, else
/// `SLURM_ARRAY_JOB_ID`): shards of different arrays are never merged, and default file names
/// carry it (``fileLabel``).
public struct ShardSelection: Sendable, Equatable {
    /// The shard to run.
    public var shard: SweepShard
    /// The sweep's identity when a Slurm array chose the shard; nil for `i/n`.
    public var sweepID: String?

    /// A selection made by other means (a shard read back from a file, say).
    /// - Parameters:
    ///   - shard: the shard.
    ///   - sweepID: the sweep's identity, if any.
    public init(shard: SweepShard, sweepID: String?) {
        self.shard = shard
        self.sweepID = sweepID
    }

    /// Parses a `--shard` value, reading the Slurm variables from `environment` for `auto`.
    /// - Parameters:
    ///   - text: `i/n`, `auto` or `auto/n`.
    ///   - environment: variable name → value (the process environment on the command line; see
    ///     ``SlurmArrayTask`` for the variables).
    /// - Throws: ``InputError`` for a malformed value or a missing or inconsistent variable.
    /// - Complexity: O(1).
    public init(parsing text: String, environment: [String: String]) throws {
        guard text == "auto" || text.hasPrefix("auto/") else {
            shard = try SweepShard(parsing: text)
            sweepID = nil
            return
        }
        var count: Int?
        if text != "auto" {
            guard let n = SlurmArrayTask.decimal(String(text.dropFirst(5))), n >= 1 else {
                throw InputError("--shard: expected i/n, auto or auto/n with n >= 1 (for example auto/10), got '\(text)'")
            }
            count = n
        }
        let task = try SlurmArrayTask(environment: environment)
        shard = try task.shard(count: count)
        sweepID = task.sweepID
    }

    /// The part of a default file name that names the shard: `shard3of10`, or with a sweep
    /// identity `sweep-1234-shard3of10`; empty for the whole sweep.
    public var fileLabel: String {
        guard shard.count > 1 || sweepID != nil else { return "" }
        return (sweepID.map { "sweep-\($0)-" } ?? "") + "shard\(shard.index)of\(shard.count)"
    }
}
