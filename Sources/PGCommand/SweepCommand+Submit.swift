import Foundation
import PolicyGradient

/// sbatch could not be run, failed, or printed no job id: the sweep is not (fully) submitted.
struct SubmissionError: Error {
    var message: String
}

extension SlurmSweep {
    /// Submits the array job, keeps both scripts in `outDir/J/`, submits the merge job with
    /// `--dependency=afterok:J`, and prints what went where.
    ///
    /// The one place pg runs another program: `sbatch`, found on the `PATH` of
    /// `output.environment`, which it also gets as its environment.
    /// - Returns: 0, or 1 (after one `pg: error:` line) when sbatch fails.
    func submit(_ output: Output) -> Int32 {
        var arrayJob: Int?
        do {
            let sbatch = try SlurmSweep.find("sbatch", path: output.environment["PATH"] ?? "")
            let j = try SlurmSweep.run(sbatch, ["--parsable"], script: arrayScript, environment: output.environment)
            arrayJob = j
            let dir = "\(outDir)/\(j)"
            try save(arrayScript, to: dir + "/array.sh")
            try save(mergeScript, to: dir + "/merge.sh")
            let m = try SlurmSweep.run(sbatch, ["--parsable", "--dependency=afterok:\(j)", "--export=ALL,PG_SWEEP_ID=\(j)"],
                                       script: mergeScript, environment: output.environment)
            output.out(summary(arrayJob: j, mergeJob: m))
            return 0
        } catch {
            let message = (error as? SubmissionError)?.message ?? "\(error)"
            let cancel = arrayJob.map { "; array job \($0) is submitted: cancel it with scancel \($0) or merge by hand" } ?? ""
            output.err("\(PGCommand.name): error: \(PGCommand.oneLine(PGCommand.renamed("pg sweep: \(message)\(cancel)")))\n")
            return 1
        }
    }

    /// What `pg sweep --slurm` prints after submitting.
    func summary(arrayJob j: Int, mergeJob m: Int) -> String {
        let dir = "\(outDir)/\(j)"
        let merged = mergedOut ?? "\(dir)/merged.jsonl"
        return """
        pg sweep: submitted array job \(j) (--array=0-\(shards - 1)) and merge job \(m) (--dependency=afterok:\(j))
          scripts: \(dir)/array.sh, \(dir)/merge.sh
          shards:  \(dir)/shard-K.jsonl, K = 0...\(shards - 1) (logs \(outDir)/slurm-\(j)_K.out)
          merged:  \(merged) and its table in \(outDir)/slurm-\(m).out, once every task has succeeded
          a task K failed? sbatch --array=K --export=ALL,PG_SWEEP_ID=\(j) \(dir)/array.sh, then
            scancel \(m); sbatch --dependency=afterok:RERUN_JOB_ID --export=ALL,PG_SWEEP_ID=\(j) \(dir)/merge.sh

        """
    }

    /// Writes `text` to a new file `path` (creating its directory), refusing to replace one
    /// (see ``OutputFile``); any failure is one readable line.
    private func save(_ text: String, to path: String) throws {
        do { try OutputFile.write(text, to: path, replacing: false) } catch {
            throw SubmissionError(message: "cannot keep the script: \(error)")
        }
    }

    /// The first executable `name` in the colon-separated `path`.
    static func find(_ name: String, path: String) throws -> String {
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        throw SubmissionError(message: "\(name) not found on PATH (run pg sweep where Slurm's commands are, or print the scripts with --dry-run)")
    }

    /// Runs `executable arguments` with `script` on its standard input and reads the job id
    /// that `sbatch --parsable` prints (`ID` or `ID;CLUSTER`). The three streams are temporary
    /// files, not pipes: nothing can block on a full pipe or die of SIGPIPE.
    static func run(_ executable: String, _ arguments: [String], script: String, environment: [String: String]) throws -> Int {
        let fm = FileManager.default
        let dir = NSTemporaryDirectory() + "pg-sweep-" + UUID().uuidString
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: dir) }
        let files = ["in", "out", "err"].map { dir + "/" + $0 }
        guard fm.createFile(atPath: files[0], contents: Data(script.utf8)), fm.createFile(atPath: files[1], contents: nil),
              fm.createFile(atPath: files[2], contents: nil), let input = FileHandle(forReadingAtPath: files[0]),
              let out = FileHandle(forWritingAtPath: files[1]), let err = FileHandle(forWritingAtPath: files[2]) else {
            throw SubmissionError(message: "cannot create temporary files in \(dir)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        (process.standardInput, process.standardOutput, process.standardError) = (input, out, err)
        do { try process.run() } catch { throw SubmissionError(message: "cannot run \(executable): \(error)") }
        process.waitUntilExit()
        for h in [input, out, err] { try? h.close() }
        let printed = (try? String(contentsOfFile: files[1], encoding: .utf8)) ?? ""
        let complaint = (try? String(contentsOfFile: files[2], encoding: .utf8)) ?? ""
        let first = printed.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let why = complaint.split(whereSeparator: \.isNewline).first.map { ": " + $0 } ?? ""
        guard process.terminationStatus == 0 else {
            throw SubmissionError(message: "\(executable) \(arguments.joined(separator: " ")) failed (exit status \(process.terminationStatus))\(why)")
        }
        guard let id = first.split(separator: ";").first.flatMap({ Int(String($0)) }), id > 0 else {
            throw SubmissionError(message: "\(executable) printed '\(first.prefix(200))', not a job id\(why)")
        }
        return id
    }
}
