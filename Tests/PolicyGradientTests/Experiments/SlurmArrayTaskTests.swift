@testable import PolicyGradient
import XCTest

/// `--shard auto`: the Slurm array variables, every combination of them present or missing,
/// malformed and inconsistent values, and environments recorded from a real Slurm 22.05.
final class SlurmArrayTaskTests: XCTestCase {
    static let job = "SLURM_ARRAY_JOB_ID", id = "SLURM_ARRAY_TASK_ID", count = "SLURM_ARRAY_TASK_COUNT"
    static let low = "SLURM_ARRAY_TASK_MIN", high = "SLURM_ARRAY_TASK_MAX", step = "SLURM_ARRAY_TASK_STEP"
    /// Task 2 of `sbatch --array=0-3`, job 1234.
    static let task2of4 = [job: "1234", id: "2", count: "4", low: "0", high: "3", step: "1"]

    /// The shard and sweep `--shard text` selects in `environment`, or the error's message.
    func select(_ text: String, _ environment: [String: String]) -> String {
        do {
            let s = try ShardSelection(parsing: text, environment: environment)
            return "\(s.shard) of sweep \(s.sweepID ?? "-")"
        } catch {
            return "\(error)"
        }
    }

    func missing(_ name: String) -> String {
        "--shard auto: \(name) is not set: --shard auto runs inside a Slurm job array (sbatch --array=0-N); elsewhere give --shard i/n"
    }

    /// Each of the 2^6 subsets of the variables of task 2 of `--array=0-3`, for `auto`, `auto/4`,
    /// `auto/3` and `auto/2`. The expected outcome is written from the rules, one line each.
    func testEveryCombinationOfPresentAndMissingVariables() {
        let names = [Self.job, Self.id, Self.count, Self.low, Self.high, Self.step]
        for mask in 0..<(1 << names.count) {
            let env = Dictionary(uniqueKeysWithValues: names.indices.filter { mask & (1 << $0) != 0 }
                .map { (names[$0], Self.task2of4[names[$0]]!) })
            let has = { (name: String) in env[name] != nil }
            var common: String?
            if !has(Self.id) { common = missing(Self.id) }
            else if !has(Self.job) { common = missing(Self.job) }
            else if has(Self.low) && !has(Self.high) { common = "--shard auto: SLURM_ARRAY_TASK_MIN is set but SLURM_ARRAY_TASK_MAX is not" }
            else if has(Self.high) && !has(Self.low) { common = "--shard auto: SLURM_ARRAY_TASK_MAX is set but SLURM_ARRAY_TASK_MIN is not" }
            let whole = common ?? (has(Self.count) || has(Self.low) ? "2/4 of sweep 1234"
                : "--shard auto: neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MIN/MAX is set; give the shard count: --shard auto/n")
            XCTAssertEqual(select("auto", env), whole, "auto with \(env.keys.sorted())")
            XCTAssertEqual(select("auto/4", env), common ?? "2/4 of sweep 1234", "auto/4 with \(env.keys.sorted())")
            let three = has(Self.high) ? "--shard auto/3: SLURM_ARRAY_TASK_MAX is 3, not below the shard count 3"
                : has(Self.count) ? "--shard auto/3: SLURM_ARRAY_TASK_COUNT is 4, more tasks than the 3 shards" : "2/3 of sweep 1234"
            XCTAssertEqual(select("auto/3", env), common ?? three, "auto/3 with \(env.keys.sorted())")
            let two = has(Self.high) ? "--shard auto/2: SLURM_ARRAY_TASK_MAX is 3, not below the shard count 2"
                : "--shard auto/2: SLURM_ARRAY_TASK_ID is 2, not below the shard count 2"
            XCTAssertEqual(select("auto/2", env), common ?? two, "auto/2 with \(env.keys.sorted())")
        }
    }

    func testValuesThatAreNotNonNegativeIntegers() {
        let bad = ["x", "", "-1", "+1", "1.0", " 1", "1 ", "0x10", "１", "1234567890123456789"]
        for name in [Self.job, Self.id, Self.count, Self.low, Self.high, Self.step] {
            for value in bad {
                var env = Self.task2of4
                env[name] = value
                let message = "--shard auto: \(name) must be a non-negative integer, got '\(value)'"
                XCTAssertEqual(select("auto", env), message)
                XCTAssertEqual(select("auto/4", env), message)
            }
        }
        var env = Self.task2of4
        env[Self.job] = "123456789012345678"
        XCTAssertEqual(select("auto", env), "2/4 of sweep 123456789012345678", "18 digits still fit")
    }

    func testInconsistentVariables() {
        let p = "--shard auto: "
        let cases: [(String, [String: String], String)] = [
            ("auto", [Self.id: "5", Self.low: "0", Self.high: "3"],
             p + "SLURM_ARRAY_TASK_ID is 5, outside SLURM_ARRAY_TASK_MIN..MAX = 0..3"),
            ("auto/10", [Self.id: "0", Self.low: "1", Self.high: "3"],
             p + "SLURM_ARRAY_TASK_ID is 0, outside SLURM_ARRAY_TASK_MIN..MAX = 1..3"),
            ("auto", [Self.id: "2", Self.low: "3", Self.high: "1"], p + "SLURM_ARRAY_TASK_MIN is 3, above SLURM_ARRAY_TASK_MAX 1"),
            ("auto", [Self.count: "0"], p + "SLURM_ARRAY_TASK_COUNT is 0; an array has at least one task"),
            ("auto/4", [Self.count: "5"], p + "SLURM_ARRAY_TASK_COUNT is 5, more than the 4 ids of SLURM_ARRAY_TASK_MIN..MAX = 0..3"),
            ("auto/4", [Self.step: "0"], p + "SLURM_ARRAY_TASK_STEP is 0; a step is at least 1"),
            ("auto", [Self.step: "2", Self.high: "6", Self.count: "4"],
             p + "SLURM_ARRAY_TASK_STEP is 2; --shard auto needs consecutive task ids (--array=0-N, step 1); "
                + "for other arrays give the shard count: --shard auto/n"),
            ("auto", [Self.low: "1", Self.count: "3"],
             p + "SLURM_ARRAY_TASK_MIN is 1; --shard auto needs an array that starts at 0 (--array=0-N); "
                + "to rerun tasks of an n-shard sweep give --shard auto/n"),
            ("auto", [Self.count: "3"],
             p + "SLURM_ARRAY_TASK_COUNT is 3 but SLURM_ARRAY_TASK_MIN..MAX is 0..3 (4 ids); --shard auto needs the whole "
                + "array 0-N without gaps; otherwise give the shard count: --shard auto/n"),
        ]
        for (text, changes, message) in cases {
            let env = Self.task2of4.merging(changes) { $1 }
            XCTAssertEqual(select(text, env), message, "\(text) \(changes)")
        }
        let countOnly = [Self.job: "7", Self.id: "4", Self.count: "4"]
        XCTAssertEqual(select("auto", countOnly), p + "SLURM_ARRAY_TASK_ID is 4, not below SLURM_ARRAY_TASK_COUNT 4")
        XCTAssertEqual(select("auto", [Self.job: "7", Self.id: "3", Self.count: "4"]), "3/4 of sweep 7")
    }

    func testShardCountSyntax() {
        let env = Self.task2of4
        for text in ["auto/0", "auto/x", "auto/", "auto/-1", "auto/1/2", "auto/+4", "auto/ 4"] {
            XCTAssertEqual(select(text, env), "--shard: expected i/n, auto or auto/n with n >= 1 (for example auto/10), got '\(text)'")
        }
        for text in ["autox", "AUTO", "auto4"] {
            XCTAssertEqual(select(text, env), "--shard: expected i/n with 0 <= i < n (for example 0/4 ... 3/4), got '\(text)'")
        }
        XCTAssertEqual(select("1/3", env), "1/3 of sweep -", "i/n ignores the environment")
        XCTAssertEqual(select("1/3", [:]), "1/3 of sweep -")
        XCTAssertEqual(select("auto/7", env), "2/7 of sweep 1234")
    }

    func testSweepIdentity() {
        var env = Self.task2of4
        env["PG_SWEEP_ID"] = ""
        XCTAssertEqual(select("auto", env), "2/4 of sweep 1234", "empty PG_SWEEP_ID is unset, as in ${PG_SWEEP_ID:-...}")
        for good in ["1200", "sweep.v2_a-b", String(repeating: "a", count: 64)] {
            env["PG_SWEEP_ID"] = good
            XCTAssertEqual(select("auto/4", env), "2/4 of sweep \(good)")
        }
        for bad in ["a/b", ".x", "-x", "x y", "é", "a$b", String(repeating: "a", count: 65)] {
            env["PG_SWEEP_ID"] = bad
            XCTAssertEqual(select("auto/4", env), "--shard auto: PG_SWEEP_ID must be 1 to 64 letters, digits, '.', '_' or '-' "
                           + "(not starting with '.' or '-'), got '\(bad)'")
        }
    }

    /// The variables as Slurm 22.05 set them on this machine (scripts/slurm-integration.sh
    /// prints them): job ids are the array's first job id; a rerun `--array=2` is an array of its own.
    func testEnvironmentsRecordedFromSlurm() throws {
        func env(_ job: Int, _ task: Int, count: Int, min: Int, max: Int, step: Int) -> [String: String] {
            [Self.job: "\(job)", Self.id: "\(task)", Self.count: "\(count)", Self.low: "\(min)", Self.high: "\(max)",
             Self.step: "\(step)"]
        }
        for t in 0...3 { XCTAssertEqual(select("auto", env(1, t, count: 4, min: 0, max: 3, step: 1)), "\(t)/4 of sweep 1") }
        let rerun = env(2, 2, count: 1, min: 2, max: 2, step: 1)
        XCTAssertTrue(select("auto", rerun).hasPrefix("--shard auto: SLURM_ARRAY_TASK_MIN is 2; --shard auto needs an array"))
        XCTAssertEqual(select("auto/4", rerun.merging(["PG_SWEEP_ID": "1"]) { $1 }), "2/4 of sweep 1")
        XCTAssertEqual(select("auto/4", rerun), "2/4 of sweep 2", "without PG_SWEEP_ID the rerun is a sweep of its own")
        // --array=1,3: Slurm says STEP 1 although the ids have a gap.
        for t in [1, 3] { XCTAssertEqual(select("auto/4", env(3, t, count: 2, min: 1, max: 3, step: 1)), "\(t)/4 of sweep 3") }
        XCTAssertTrue(select("auto", env(3, 1, count: 2, min: 1, max: 3, step: 1)).hasPrefix("--shard auto: SLURM_ARRAY_TASK_MIN is 1"))
        XCTAssertTrue(select("auto", ["SLURM_ARRAY_JOB_ID": "3", "SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "2",
                                      "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "3", "SLURM_ARRAY_TASK_STEP": "1"])
            .hasPrefix("--shard auto: SLURM_ARRAY_TASK_COUNT is 2 but SLURM_ARRAY_TASK_MIN..MAX is 0..3 (4 ids)"), "--array=0,1")
        // --array=0-6:3
        for t in [0, 3, 6] { XCTAssertEqual(select("auto/7", env(4, t, count: 3, min: 0, max: 6, step: 3)), "\(t)/7 of sweep 4") }
        XCTAssertTrue(select("auto", env(4, 3, count: 3, min: 0, max: 6, step: 3)).hasPrefix("--shard auto: SLURM_ARRAY_TASK_STEP is 3"))
    }

    func testFileLabel() throws {
        XCTAssertEqual(ShardSelection(shard: .whole, sweepID: nil).fileLabel, "")
        XCTAssertEqual(ShardSelection(shard: try SweepShard(index: 3, count: 10), sweepID: nil).fileLabel, "shard3of10")
        XCTAssertEqual(try ShardSelection(parsing: "auto", environment: Self.task2of4).fileLabel, "sweep-1234-shard2of4")
        XCTAssertEqual(ShardSelection(shard: .whole, sweepID: "9").fileLabel, "sweep-9-shard0of1")
    }
}
