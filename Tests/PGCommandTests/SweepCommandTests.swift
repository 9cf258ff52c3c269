import Foundation
@testable import PGCommand
import PolicyGradient
import XCTest

/// Runs `pg` with captured streams and `environment` as the process environment it reads.
func runPG(_ args: [String], environment: [String: String]) -> CommandResult {
    let out = TextSink(), err = TextSink()
    let status = PGCommand.run(args, output: Output(out: { out.text += $0 }, err: { err.text += $0 }, environment: environment))
    return CommandResult(status: status, out: out.text, err: err.text)
}

/// `pg sweep --slurm`: the two scripts `--dry-run` prints, bad options, and submission through
/// a stand-in `sbatch` that records what it was given.
final class SweepCommandTests: XCTestCase {
    let compare = ["--env", "bandit10", "--estimators", "none,nvil", "--seeds", "12", "--iterations", "5", "--batch", "4"]

    /// A temporary directory holding an executable file `pg` (the scripts only name it).
    func fakePG() throws -> (dir: String, pg: String) {
        let dir = try temporaryDirectory(self)
        let pg = dir + "/bin/pg"
        try FileManager.default.createDirectory(atPath: dir + "/bin", withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: pg, contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755]))
        return (dir, pg)
    }

    func testDryRunPrintsBothScriptsExactly() throws {
        let (dir, pg) = try fakePG()
        let cwd = FileManager.default.currentDirectoryPath
        let r = runPG(["sweep", "--slurm", "--shards", "3", "--dry-run", "--partition", "short", "--time", "0-00:20",
                       "--mem", "2G", "--cpus", "2", "--job-name", "fl", "--out-dir", dir + "/./sweeps/", "--pg", pg, "--"]
                      + compare + ["--threshold", "0.5", "--plot", dir + "/my plot.svg"])
        XCTAssertEqual(r.status, 0, r.err)
        let out = "\(dir)/sweeps"
        XCTAssertEqual(r.out, """
        # pg sweep --dry-run: nothing submitted. pg sweep --slurm would run
        #   sbatch --parsable < array.sh    (prints the array's job id, J)
        #   sbatch --parsable --dependency=afterok:J --export=ALL,PG_SWEEP_ID=J < merge.sh
        # and keep both scripts in \(out)/J/.
        # ---- array.sh ----
        #!/bin/bash
        #SBATCH --job-name=fl
        #SBATCH --array=0-2
        #SBATCH --cpus-per-task=2
        #SBATCH --output=\(out)/slurm-%A_%a.out
        #SBATCH --partition=short
        #SBATCH --time=0-00:20
        #SBATCH --mem=2G
        # pg sweep: task K runs shard K of 3 of one pg compare sweep and writes
        # \(out)/SWEEP/shard-K.jsonl, SWEEP being PG_SWEEP_ID or else this array's job id.
        # Rerun a failed task K of sweep SWEEP: sbatch --array=K --export=ALL,PG_SWEEP_ID=SWEEP THIS_SCRIPT
        set -euo pipefail
        cd \(SlurmSweep.shellQuoted(cwd))
        sweep="${PG_SWEEP_ID:-$SLURM_ARRAY_JOB_ID}"
        mkdir -p "\(out)/$sweep"
        exec \(pg) compare --env bandit10 --estimators none,nvil --seeds 12 --iterations 5 --batch 4 --threshold 0.5 --threads 2 --quiet \\
            --shard auto/3 --out "\(out)/$sweep/shard-$SLURM_ARRAY_TASK_ID.jsonl"
        # ---- merge.sh ----
        #!/bin/bash
        #SBATCH --job-name=fl-merge
        #SBATCH --cpus-per-task=1
        #SBATCH --output=\(out)/slurm-%j.out
        #SBATCH --partition=short
        #SBATCH --time=0-00:20
        #SBATCH --mem=2G
        # pg sweep: merges the shards of sweep SWEEP into one table, JSONL file and SVG; submitted with
        #   sbatch --dependency=afterok:SWEEP --export=ALL,PG_SWEEP_ID=SWEEP THIS_SCRIPT
        # (after rerunning failed tasks, depend on the rerun's job id; SWEEP stays the first array's).
        # Safe to run again: it replaces an earlier merge of this sweep (never another file), and
        # names missing shards, telling those still in Slurm's queue from those to rerun.
        set -euo pipefail
        cd \(SlurmSweep.shellQuoted(cwd))
        sweep="${PG_SWEEP_ID:?set PG_SWEEP_ID to the sweep (the array job id)}"
        exec \(pg) compare --merge "\(out)/$sweep"/shard-*.jsonl --out "\(out)/$sweep/merged.jsonl" --plot '\(dir)/my plot.svg'

        """)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "--dry-run writes nothing")
    }

    func testCompareOptionsPassThroughVerbatim() throws {
        let (dir, pg) = try fakePG()
        let odd = dir + "/envs it's"
        try FileManager.default.createDirectory(atPath: odd, withIntermediateDirectories: true)
        let r = runPG(["sweep", "--slurm", "--shards", "2", "--dry-run", "--pg", pg, "--out-dir", dir, "--"] + compare
                      + ["--bandit-mean=-1", "--envs-dir", odd, "--threads", "3", "--out", "m.jsonl", "--no-plot", "--force"])
        XCTAssertEqual(r.status, 0, r.err)
        let quoted = "'\(dir)/envs it'\\''s'"
        XCTAssertTrue(r.out.contains("exec \(pg) compare --env bandit10 --estimators none,nvil --seeds 12 --iterations 5 --batch 4 "
                                     + "--bandit-mean=-1 --envs-dir \(quoted) --threads 3 --force --quiet \\\n"
                                     + "    --shard auto/2 --out \"\(dir)/$sweep/shard-$SLURM_ARRAY_TASK_ID.jsonl\"\n"), r.out)
        XCTAssertTrue(r.out.contains("exec \(pg) compare --merge \"\(dir)/$sweep\"/shard-*.jsonl --out m.jsonl --no-plot --force\n"), r.out)
        XCTAssertTrue(r.out.contains("#SBATCH --cpus-per-task=1\n"), "--cpus defaults to \(SweepCommand.defaultCPUs)")
        XCTAssertEqual(SlurmSweep.shellQuoted(""), "''")
        XCTAssertEqual(SlurmSweep.shellQuoted("a;b"), "'a;b'")
        XCTAssertEqual(SlurmSweep.shellQuoted("$x"), "'$x'")
        XCTAssertEqual(SlurmSweep.shellQuoted("0.1,0.4"), "0.1,0.4")
    }

    func testBadOptionsGetOneLineAndStatusTwo() throws {
        let (dir, pg) = try fakePG()
        let base = ["sweep", "--slurm", "--shards", "4", "--dry-run", "--pg", pg, "--out-dir", dir]
        let cases: [([String], String)] = [
            (["sweep", "--shards", "4", "--"] + compare, "pg sweep: give --slurm (a Slurm job array is the one way pg sweep runs a sweep so far)"),
            (["sweep", "--slurm", "--shards", "4"], "pg sweep: give the compare options after --, for example: pg sweep --slurm --shards 4 -- --env bandit10 --seeds 100"),
            (["sweep", "--slurm", "--"] + compare, "pg sweep: give the number of shards, --shards N"),
            (["sweep", "--slurm", "--shards", "0", "--"] + compare, "--shards: must be at least 1, got 0"),
            (["sweep", "--slurm", "--shards", "x", "--"] + compare, "--shards: expected an integer, got 'x'"),
            (["sweep", "--slurm", "--shards", "4", "--seeds", "9"], "unknown option '--seeds' for pg sweep; valid: " + Arguments.names(SweepCommand.flags)),
            (["sweep", "--slurm", "extra", "--"], "unexpected argument 'extra' for pg sweep; options start with -- (see pg sweep --help)"),
            (base + ["--", "--env", "bandit10", "--seeds", "3"], "--shards: 4 shards need at least 4 seeds, got --seeds 3"),
            (base + ["--cpus", "0", "--"] + compare, "--cpus: expected 1 to 4096 CPUs per task, got 0"),
            (base + ["--time", "1:2:3:4", "--"] + compare, "--time: expected MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS or UNLIMITED, got '1:2:3:4'"),
            (base + ["--time", "1-", "--"] + compare, "--time: expected MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS or UNLIMITED, got '1-'"),
            (base + ["--mem", "4X", "--"] + compare, "--mem: expected an integer of megabytes, or with a K, M, G or T suffix (for example 4G), got '4X'"),
            (base + ["--job-name", "a b", "--"] + compare, "--job-name: only letters, digits and _ . - are allowed here (it goes into the job scripts), got 'a b'"),
            (base + ["--partition", "p;q", "--"] + compare, "--partition: only letters, digits and _ . - , are allowed here (it goes into the job scripts), got 'p;q'"),
            (base + ["--out-dir", "/tmp/a b", "--"] + compare, "--out-dir: only letters, digits and _ . - / + , = @ : are allowed here (it goes into the job scripts), got '/tmp/a b'"),
            (base + ["--pg", "/nonexistent/pg", "--"] + compare, "--pg: '/nonexistent/pg' is not an executable file"),
            (base + ["--"] + compare + ["--shard", "0/2"], "pg sweep: --shard is not one of the sweep's compare options (pg sweep gives each task --shard auto/N)"),
            (base + ["--"] + compare + ["--merge"], "pg sweep: --merge is not one of the sweep's compare options (the merge job runs it)"),
            (base + ["--"] + compare + ["--help"], "pg sweep: --help is not one of the sweep's compare options (pg compare --help lists the compare options)"),
            (base + ["--"] + compare + ["file.jsonl"], "pg sweep: unexpected argument 'file.jsonl' among the compare options"),
            (base + ["--"] + compare + ["--metric", "reward"], "--metric: unknown value 'reward'; valid: mean_return, exact_j, optimal_action, grad_norm, grad_sq_error, entropy"),
            (base + ["--", "--env", "nowhere"], ""),
            (base + ["--"] + compare + ["--out", pg], "\(pg) exists; pass --force to overwrite it or --out to choose another file"),
            (base + ["--", "--baseline", "nvil"], "unknown option '--baseline' for pg compare; valid: " + Arguments.names(CompareCommand.flags)),
        ]
        for (args, message) in cases {
            let r = runPG(args, environment: [:])
            XCTAssertEqual(r.status, 2, "\(args)")
            XCTAssertEqual(r.out, "", "\(args)")
            if message.isEmpty {
                XCTAssertTrue(r.err.hasPrefix("pg: error: ") && r.err.hasSuffix("\n") && r.err.filter { $0 == "\n" }.count == 1, r.err)
            } else {
                XCTAssertEqual(r.err, "pg: error: \(message)\n", "\(args)")
            }
        }
        let help = runPG(["sweep", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.out.contains("  --shards N               array tasks, one shard of the seeds each: --array=0-(N-1)"), help.out)
        XCTAssertTrue(runPG(["--help"]).out.contains("  sweep       a compare sweep as a Slurm job array plus a merge job"))
    }

    // MARK: - Submission

    /// A stand-in `sbatch` in `dir/bin` that records its arguments and standard input per call
    /// and prints the job ids `replies` (one per call), exiting with `status`.
    func fakeSbatch(in dir: String, replies: [String], status: Int = 0, complaint: String = "") throws {
        let cases = replies.enumerated().map { "\($0.offset + 1)) echo '\($0.element)' ;;" }.joined(separator: " ")
        let script = """
        #!/bin/sh
        n=$(cat "\(dir)/calls" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "\(dir)/calls"
        printf '%s\\n' "$@" > "\(dir)/args$n"; cat > "\(dir)/stdin$n"
        case $n in \(cases) esac
        [ -n '\(complaint)' ] && echo '\(complaint)' >&2
        exit \(status)

        """
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/bin/sbatch", contents: Data(script.utf8), attributes: [.posixPermissions: 0o755]))
    }

    func testSubmitsTheArrayThenTheMergeWithTheDependency() throws {
        let (dir, pg) = try fakePG()
        try fakeSbatch(in: dir, replies: ["4242", "4243;cluster"])
        let args = ["sweep", "--slurm", "--shards", "3", "--pg", pg, "--out-dir", dir + "/s", "--"] + compare
        let dry = runPG(["sweep", "--dry-run"] + args.dropFirst()).out
        let r = runPG(args, environment: ["PATH": dir + "/bin:/usr/bin:/bin"])
        XCTAssertEqual(r.status, 0, r.err)
        let read = { (name: String) in try String(contentsOfFile: dir + "/" + name, encoding: .utf8) }
        XCTAssertEqual(try read("args1"), "--parsable\n")
        XCTAssertEqual(try read("args2"), "--parsable\n--dependency=afterok:4242\n--export=ALL,PG_SWEEP_ID=4242\n")
        XCTAssertEqual(try read("s/4242/array.sh"), try read("stdin1"), "the kept script is the one submitted")
        XCTAssertEqual(try read("s/4242/merge.sh"), try read("stdin2"))
        XCTAssertTrue(dry.contains("# ---- array.sh ----\n" + (try read("stdin1")) + "# ---- merge.sh ----\n" + (try read("stdin2"))),
                      "--dry-run prints exactly what is submitted")
        XCTAssertTrue(r.out.hasPrefix("pg sweep: submitted array job 4242 (--array=0-2) and merge job 4243 (--dependency=afterok:4242)\n"
                                      + "  scripts: \(dir)/s/4242/array.sh, \(dir)/s/4242/merge.sh\n"), r.out)
        XCTAssertTrue(r.out.contains("  a task K failed? sbatch --array=K --export=ALL,PG_SWEEP_ID=4242 \(dir)/s/4242/array.sh, then\n"))
    }

    func testSubmissionFailuresExitWithStatusOne() throws {
        let (dir, pg) = try fakePG()
        let args = ["sweep", "--slurm", "--shards", "3", "--pg", pg, "--out-dir", dir + "/s", "--"] + compare
        let none = runPG(args, environment: ["PATH": dir + "/nothing"])
        XCTAssertEqual(none.status, 1)
        XCTAssertEqual(none.err, "pg: error: pg sweep: sbatch not found on PATH (run pg sweep where Slurm's commands are, "
                       + "or print the scripts with --dry-run)\n")
        try fakeSbatch(in: dir, replies: [], status: 1, complaint: "sbatch: error: invalid partition specified: nope")
        let refused = runPG(args, environment: ["PATH": dir + "/bin:/usr/bin:/bin"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(refused.err, "pg: error: pg sweep: \(dir)/bin/sbatch --parsable failed (exit status 1): "
                       + "sbatch: error: invalid partition specified: nope\n")
        try? FileManager.default.removeItem(atPath: dir + "/calls")
        try fakeSbatch(in: dir, replies: ["77", "Submitted batch job 78"])
        let garbled = runPG(args, environment: ["PATH": dir + "/bin:/usr/bin:/bin"])
        XCTAssertEqual(garbled.status, 1)
        XCTAssertEqual(garbled.err, "pg: error: pg sweep: \(dir)/bin/sbatch printed 'Submitted batch job 78', not a job id; "
                       + "array job 77 is submitted: cancel it with scancel 77 or merge by hand\n")
        let stale = runPG(args, environment: ["PATH": dir + "/bin", "PG_SWEEP_ID": "12"])
        XCTAssertEqual(stale.status, 2)
        XCTAssertEqual(stale.err, "pg: error: pg sweep: PG_SWEEP_ID is set (to '12') and sbatch would pass it to every task; "
                       + "unset it: the array job's id names a new sweep\n")
    }
}
