import Foundation
import PolicyGradient

extension RerunCommand {
    /// Something that changed since the run, found before running again.
    struct Change {
        /// The config line's field that will differ because of it.
        var field: String
        /// One line saying what changed.
        var message: String
    }

    /// What changed since the run: the pg version, the environment file (another file, or
    /// its content hash), and a checkpoint the run read (`--init`, `--at`); and a run that
    /// stopped early (its rerun does not).
    /// - Throws: ``InputError`` when the environment cannot be found any more.
    static func changes(_ h: RunHeader, config: JSONValue, last: JSONValue?, log: String) throws -> [Change] {
        var out: [Change] = []
        if let status = last?["status"]?.stringValue, status != "completed", last?["type"]?.stringValue == "summary" {
            let done = last?["iterations"]?.exactInt.map { " after \($0) of \(h.training.iterations) updates" } ?? ""
            out.append(Change(field: "", message: "the run was \(status)\(done); the rerun makes every update"))
        }
        if h.version != PGVersion.current {
            out.append(Change(field: "version", message: "the log was written by pg \(h.version); this is pg \(PGVersion.current)"))
        }
        let dirs = RunOptions.directories(user: h.environment.directory)
        let descriptor: EnvironmentDescriptor
        do { descriptor = try EnvironmentRegistry.descriptor(h.environment.name, directories: dirs) } catch let e as InputError {
            throw InputError("\(log): its environment cannot be found any more: \(e.message)")
        }
        let now = EnvironmentRegistry.file(of: descriptor, settings: h.environment.settings, directories: dirs)
        let then = config["env_file"]?.stringValue
        if now != then {
            out.append(Change(field: "env_file", message: "the environment is now read from \(now ?? "no file"); "
                              + "the run read \(then ?? "no file")"))
        }
        if let now { out += fileChange("env", path: now, recorded: config["env_sha256"]?.stringValue, what: "the environment file") }
        if h.command == "train", let p = h.commandSettings[TrainCommand.initSetting]?.string {
            out += fileChange("init", path: p, recorded: config["init_sha256"]?.stringValue, what: "the --init checkpoint")
        }
        if h.command == "variance", let at = h.commandSettings[VarianceCommand.atSetting]?.string, at != "initial",
           !at.hasPrefix("after:") {
            out += fileChange("at", path: at, recorded: config["at_sha256"]?.stringValue, what: "the --at checkpoint")
        }
        return out
    }

    /// The change of a file the run read, judged by the content hash the log recorded.
    static func fileChange(_ name: String, path: String, recorded: String?, what: String) -> [Change] {
        guard let digest = try? SHA256.hexDigest(ofFile: path) else { return [] } // the rerun reports why it cannot read it
        guard let recorded else {
            return [Change(field: name + "_sha256", message: "\(what) \(path): the log records no content hash, "
                           + "so an edit would go unnoticed")]
        }
        guard digest != recorded else { return [] }
        return [Change(field: name + "_sha256", message: "\(what) \(path) was edited since the run "
                       + "(sha256 \(recorded.prefix(16))... then, \(digest.prefix(16))... now)")]
    }

    /// Compares the new log with the original and prints the verdict. A log of another pg
    /// version whose every field is equal in the rerun, the rerun having more (fields a newer pg
    /// writes), is told apart from one whose numbers changed.
    /// - Returns: 0 when every line is equal (timing fields and `threads` aside), else 1.
    static func compare(_ original: [JSONLReader.Line], out: String, log: String, notes: [Change], _ output: Output) throws -> Int32 {
        let rerun = try JSONLReader.readLines(path: out)
        let strict = try LogComparison.firstDifference(original, rerun, ignoringInConfig: mayDiffer)
        guard let first = strict else {
            output.line("pg rerun: identical: all \(original.count) lines of \(log) equal those of \(out) "
                        + "(ignoring \(timingList); threads may differ)")
            return 0
        }
        let noted = mayDiffer.union(notes.map(\.field))
        // A log of another pg: the fields it lacks are named apart, the first changed field reported.
        let older = notes.contains { $0.field == "version" } ? original.first?.value["version"]?.stringValue : nil
        if var d = try LogComparison.firstDifference(original, rerun, ignoringInConfig: noted) {
            if let older {
                guard let changed = try LogComparison.firstDifference(original, rerun, ignoringInConfig: noted, ignoringAdditions: true) else {
                    let fields = LogComparison.addedFields(original, rerun), types = LogComparison.addedLineTypes(original, rerun)
                    let added = (fields.isEmpty ? [] : ["the fields " + fields.joined(separator: ", ")])
                        + (types.isEmpty ? [] : ["lines of type " + types.joined(separator: ", ")])
                    output.line("pg rerun: differs only as reported above and by what pg \(older) did not write ("
                                + added.joined(separator: "; ") + "): every field of the original is equal (\(log) vs \(out))")
                    return 1
                }
                d = changed
            }
            output.line("pg rerun: differs: \(d) (\(log) vs \(out))")
        } else {
            output.line("pg rerun: differs only as reported above: \(first) (\(log) vs \(out))")
        }
        return 1
    }
}
