/// One task of a Slurm job array (`sbatch --array=...`), read from the variables Slurm sets in
/// the task's environment, with the sweep it belongs to.
///
/// Variables read (every one a non-negative decimal integer, as Slurm writes them):
/// * `SLURM_ARRAY_JOB_ID`: the array's job id (required); names the sweep unless `PG_SWEEP_ID` is set.
/// * `SLURM_ARRAY_TASK_ID`: this task's index (required).
/// * `SLURM_ARRAY_TASK_COUNT`: the number of tasks in the array.
/// * `SLURM_ARRAY_TASK_MIN`, `SLURM_ARRAY_TASK_MAX`: the smallest and largest index (both or neither).
/// * `SLURM_ARRAY_TASK_STEP`: the stride of `--array=a-b:s`.
/// * `PG_SWEEP_ID` (pg's, not Slurm's): the sweep a task belongs to when it is not the array
///   that started the sweep, i.e. a failed task rerun with
///   `sbatch --array=K --export=ALL,PG_SWEEP_ID=<first array's job id>`. Empty means unset.
///
/// Shard indices are 0-based: task K runs shard K. An array `--array=0-(n-1)` is a whole sweep of
/// n shards (``shard(count:)`` with `nil`); any other set of indices is part of a sweep whose
/// shard count is given (`shard(count: n)`, the command line's `--shard auto/n`).
public struct SlurmArrayTask: Sendable, Equatable {
    /// `SLURM_ARRAY_JOB_ID`.
    public var arrayJobID: Int
    /// `SLURM_ARRAY_TASK_ID`.
    public var taskID: Int
    /// `SLURM_ARRAY_TASK_COUNT`, if set.
    public var taskCount: Int?
    /// `SLURM_ARRAY_TASK_MIN` and `SLURM_ARRAY_TASK_MAX`, if set.
    public var taskRange: ClosedRange<Int>?
    /// `SLURM_ARRAY_TASK_STEP`, if set.
    public var taskStep: Int?
    /// The sweep's identity: `PG_SWEEP_ID` if set, else `SLURM_ARRAY_JOB_ID` in decimal.
    public var sweepID: String

    /// Reads the task from an environment (pass `ProcessInfo.processInfo.environment`; tests pass
    /// their own) and checks that the variables agree with each other.
    ///
    /// Checked, in this order: the job and task ids are set; every variable that is set is a
    /// non-negative integer (at most 18 digits); `PG_SWEEP_ID` is 1 to 64 letters, digits, `.`,
    /// `_` or `-` not starting with `.` or `-`; MIN and MAX are set together; MIN ≤ task id ≤ MAX;
    /// 1 ≤ COUNT ≤ MAX − MIN + 1; STEP ≥ 1.
    /// - Parameter environment: variable name → value.
    /// - Throws: ``InputError`` (one line starting `--shard auto:`) naming the first variable
    ///   that is missing, not an integer, or inconsistent.
    /// - Complexity: O(1).
    public init(environment: [String: String]) throws {
        func value(_ name: String) throws -> Int? {
            guard let text = environment[name] else { return nil }
            guard let v = SlurmArrayTask.decimal(text) else {
                throw SlurmArrayTask.error("\(name) must be a non-negative integer, got '\(text)'")
            }
            return v
        }
        for name in ["SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_JOB_ID"] where environment[name] == nil {
            throw SlurmArrayTask.error("\(name) is not set: --shard auto runs inside a Slurm job array "
                                       + "(sbatch --array=0-N); elsewhere give --shard i/n")
        }
        arrayJobID = try value("SLURM_ARRAY_JOB_ID")!
        taskID = try value("SLURM_ARRAY_TASK_ID")!
        taskCount = try value("SLURM_ARRAY_TASK_COUNT")
        let low = try value("SLURM_ARRAY_TASK_MIN"), high = try value("SLURM_ARRAY_TASK_MAX")
        taskStep = try value("SLURM_ARRAY_TASK_STEP")
        sweepID = try SlurmArrayTask.sweepID(environment["PG_SWEEP_ID"]) ?? String(arrayJobID)
        switch (low, high) {
        case let (l?, h?): taskRange = try SlurmArrayTask.range(l, h, task: taskID)
        case (nil, nil): taskRange = nil
        case (.some, nil): throw SlurmArrayTask.error("SLURM_ARRAY_TASK_MIN is set but SLURM_ARRAY_TASK_MAX is not")
        case (nil, .some): throw SlurmArrayTask.error("SLURM_ARRAY_TASK_MAX is set but SLURM_ARRAY_TASK_MIN is not")
        }
        try checkCountAndStep()
    }

    /// The shard this task runs: shard `SLURM_ARRAY_TASK_ID` of `count`, or, when `count` is nil,
    /// of the array's own size (the array must then be exactly `0-(n-1)`: MIN 0 if set, STEP 1
    /// if set, COUNT = MAX − MIN + 1 if all are set; n = COUNT, else MAX + 1).
    /// - Parameter count: the sweep's shard count (`--shard auto/n`), or nil (`--shard auto`).
    /// - Returns: shard `taskID` of n.
    /// - Throws: ``InputError`` naming the variable that does not fit.
    /// - Complexity: O(1).
    public func shard(count: Int?) throws -> SweepShard {
        guard let count else { return try wholeArrayShard() }
        let prefix = "--shard auto/\(count):"
        guard count >= 1 else { throw InputError("\(prefix) the shard count must be at least 1") }
        if let r = taskRange, r.upperBound >= count {
            throw InputError("\(prefix) SLURM_ARRAY_TASK_MAX is \(r.upperBound), not below the shard count \(count)")
        }
        if taskID >= count { throw InputError("\(prefix) SLURM_ARRAY_TASK_ID is \(taskID), not below the shard count \(count)") }
        if let c = taskCount, c > count {
            throw InputError("\(prefix) SLURM_ARRAY_TASK_COUNT is \(c), more tasks than the \(count) shards")
        }
        return try SweepShard(index: taskID, count: count)
    }

    // MARK: - Checks

    private func wholeArrayShard() throws -> SweepShard {
        if let s = taskStep, s != 1 {
            throw SlurmArrayTask.error("SLURM_ARRAY_TASK_STEP is \(s); --shard auto needs consecutive task ids "
                                       + "(--array=0-N, step 1); for other arrays give the shard count: --shard auto/n")
        }
        if let r = taskRange, r.lowerBound != 0 {
            throw SlurmArrayTask.error("SLURM_ARRAY_TASK_MIN is \(r.lowerBound); --shard auto needs an array that starts "
                                       + "at 0 (--array=0-N); to rerun tasks of an n-shard sweep give --shard auto/n")
        }
        let n: Int
        switch (taskCount, taskRange) {
        case let (c?, r?) where c != r.count:
            throw SlurmArrayTask.error("SLURM_ARRAY_TASK_COUNT is \(c) but SLURM_ARRAY_TASK_MIN..MAX is "
                                       + "\(r.lowerBound)..\(r.upperBound) (\(r.count) ids); --shard auto needs the whole "
                                       + "array 0-N without gaps; otherwise give the shard count: --shard auto/n")
        case let (c?, _): n = c
        case let (nil, r?): n = r.count
        case (nil, nil):
            throw SlurmArrayTask.error("neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MIN/MAX is set; "
                                       + "give the shard count: --shard auto/n")
        }
        if taskID >= n { throw SlurmArrayTask.error("SLURM_ARRAY_TASK_ID is \(taskID), not below SLURM_ARRAY_TASK_COUNT \(n)") }
        return try SweepShard(index: taskID, count: n)
    }

    private func checkCountAndStep() throws {
        if let c = taskCount {
            if c < 1 { throw SlurmArrayTask.error("SLURM_ARRAY_TASK_COUNT is 0; an array has at least one task") }
            if let r = taskRange, c > r.count {
                throw SlurmArrayTask.error("SLURM_ARRAY_TASK_COUNT is \(c), more than the \(r.count) ids of "
                                           + "SLURM_ARRAY_TASK_MIN..MAX = \(r.lowerBound)..\(r.upperBound)")
            }
        }
        if taskStep == 0 { throw SlurmArrayTask.error("SLURM_ARRAY_TASK_STEP is 0; a step is at least 1") }
    }

    private static func range(_ low: Int, _ high: Int, task: Int) throws -> ClosedRange<Int> {
        guard low <= high else {
            throw error("SLURM_ARRAY_TASK_MIN is \(low), above SLURM_ARRAY_TASK_MAX \(high)")
        }
        guard (low...high).contains(task) else {
            throw error("SLURM_ARRAY_TASK_ID is \(task), outside SLURM_ARRAY_TASK_MIN..MAX = \(low)..\(high)")
        }
        return low...high
    }

    /// `PG_SWEEP_ID`, checked (it becomes part of file names); nil when unset or empty.
    private static func sweepID(_ text: String?) throws -> String? {
        guard let text, !text.isEmpty else { return nil }
        let allowed = text.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 46 || c == 95 || c == 45
        }
        guard allowed, text.utf8.count <= 64, let first = text.first, first != ".", first != "-" else {
            throw error("PG_SWEEP_ID must be 1 to 64 letters, digits, '.', '_' or '-' (not starting with '.' or '-'), "
                        + "got '\(text)'")
        }
        return text
    }

    /// A non-negative decimal integer of at most 18 digits (so it fits an Int) in pg's one
    /// number grammar (``NumberSyntax``: no sign, no leading zeros, no spaces), or nil.
    static func decimal(_ text: String) -> Int? {
        guard text.utf8.count <= 18, !text.hasPrefix("-") else { return nil }
        return NumberSyntax.int(text)
    }

    private static func error(_ message: String) -> InputError { InputError("--shard auto: " + message) }
}
