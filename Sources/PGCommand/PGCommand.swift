import Foundation
import PolicyGradient

/// The `pg` command line: parsing, subcommands and printing (no mathematics).
///
/// `main(_:name:)` is what the `pg` executable calls; tests call ``run(_:output:name:)``
/// directly. A user's own package can call ``main(_:name:)`` from its `main.swift`, with its
/// executable's name, after registering its environments with
/// ``register(_:description:settings:make:)`` (or
/// `EnvironmentRegistry.register(name:description:settings:make:)`).
public enum PGCommand {
    /// The executable's name in help, usage and error lines (`pg`, or the name a user's own
    /// executable passes to ``main(_:name:)``).
    nonisolated(unsafe) static var name = "pg"

    /// The subcommands and their one-line help.
    static let subcommands: [(name: String, help: String)] = [
        ("train", "train a policy (the default): pg --env bandit10 --baseline nvil"),
        ("compare", "several estimators x seeds on one environment: table, JSONL and SVG plot"),
        ("sweep", "a compare sweep as a Slurm job array plus a merge job: pg sweep --slurm --shards N -- ..."),
        ("variance", "bias / variance / SNR of each estimator against the exact gradient"),
        ("rerun", "run a train, compare or variance log again and compare the logs line by line"),
        ("eval", "a checkpoint's exact J and mean return over evaluation episodes"),
        ("envs", "list the built-in environments and the files in envs/"),
        ("estimators", "list the estimators, with what each claims of its mean and its settings"),
        ("check", "check that an environment keeps the contract (like Gymnasium's env checker)"),
        ("plot", "SVG learning curves from JSONL logs"),
        ("bench", "throughput benchmark (use a release build: swift run -c release pg bench)"),
    ]

    /// Runs `pg` with `arguments` (without the program name) on the process's streams and
    /// returns the exit status. The very first thing it does is install pg's signal handling
    /// (``Interruption``) and make sure descriptors 0–2 are open, so that nothing is created
    /// before a SIGINT/SIGTERM is handled; a failed standard stream sets the status
    /// (``Output/finish(_:)``).
    /// - Parameters:
    ///   - arguments: the command line without the program name.
    ///   - name: the executable's name, used in help, usage and error lines (default `pg`).
    public static func main(_ arguments: [String], name: String = "pg") -> Int32 {
        Interruption.install()
        StandardStream.reserveClosedDescriptors()
        PGCommand.name = name
        let output = Output.standard
        return output.finish(run(arguments, output: output, name: name))
    }

    /// Runs `pg` with `arguments`; returns the exit status (0 success, 1 run failure such as
    /// divergence or an output that could not be written, 2 bad input, 130 interrupted).
    /// - Parameter name: the executable's name in help, usage and error lines (default `pg`).
    public static func run(_ arguments: [String], output: Output, name: String = "pg") -> Int32 {
        PGCommand.name = name
        var args = arguments
        if args == ["--help"] || args == ["-h"] {
            output.out(renamed(usage) + "\n")
            args = ["--help"]
        }
        var command = "train"
        if let first = args.first, !first.hasPrefix("-") {
            command = first
            args.removeFirst()
        }
        if args == ["--version"], command == "train" || extraCommands[command] != nil || command == "envs"
            || command == "estimators" {
            output.out("\(name) \(PGVersion.current)\n")
            return 0
        }
        do {
            switch command {
            case "train": return try TrainCommand.run(args, output: output)
            case "envs": return try EnvsCommand.run(args, output: output)
            case "estimators": return try EstimatorsCommand.run(args, output: output)
            case "help":
                if args == ["--markdown"] {
                    output.out(markdownReference())
                    return 0
                }
                if let extra = args.first {
                    throw InputError("pg help: unexpected argument '\(extra)'; valid: --markdown (the command reference "
                                     + "as Markdown), or none")
                }
                output.out(renamed(usage))
                return 0
            default:
                if let extra = extraCommands[command] { return try extra(args, output) }
                let names = subcommands.map(\.name).joined(separator: ", ")
                throw InputError("unknown command '\(command)'; valid: \(names) (or --help)")
            }
        } catch let e as InputError {
            output.err("\(name): error: \(oneLine(renamed(FlagNames.render(e))))\n")
            return 2
        } catch let stop as Cancelled {  // long work stopped by SIGINT/SIGTERM before it had a result
            output.err("\(name): \(oneLine(stop.description))\n")
            return 130
        } catch let e as OutputError {
            output.err("\(name): error: \(oneLine(renamed("\(e)")))\n")
            return 1
        } catch {
            output.err("\(name): error: \(oneLine(renamed("\(error)")))\n")
            return 2
        }
    }

    /// Subcommands implemented in other files register here.
    nonisolated(unsafe) static var extraCommands: [String: ([String], Output) throws -> Int32] = [
        "compare": CompareCommand.run, "variance": VarianceCommand.run, "plot": PlotCommand.run,
        "bench": BenchCommand.run, "check": CheckCommand.run, "sweep": SweepCommand.run,
        "rerun": RerunCommand.run, "eval": EvalCommand.run,
    ]

    /// The top-level help.
    static var usage: String {
        var s = "pg — policy-gradient estimators for discrete actions\n\n"
        s += "USAGE: pg [COMMAND] [OPTIONS]\n\nCOMMANDS:\n"
        let width = (subcommands.map(\.name.count).max() ?? 0) + 2
        for c in subcommands { s += "  " + c.name.padding(toLength: width, withPad: " ", startingAt: 0) + c.help + "\n" }
        s += "\nRun 'pg COMMAND --help' (or -h) for a command's options, 'pg --version' for the version,\n"
            + "'pg help --markdown' for every command's options as Markdown.\n"
        return s
    }

    /// Formats a flag list for `--help` (with the executable's name, see ``renamed(_:)``).
    static func help(_ title: String, usage: String, sections: [(String, [Flag])]) -> String {
        recordedHelp?.append(HelpPage(title: title, usage: usage, sections: sections))
        return renamed(plainHelp(title, usage: usage, sections: sections))
    }

    /// The help text as ``help(_:usage:sections:)`` formats it, always naming `pg`.
    static func plainHelp(_ title: String, usage: String, sections: [(String, [Flag])]) -> String {
        var s = title + "\n\nUSAGE: " + usage + "\n"
        for (name, flags) in sections {
            s += "\n\(name):\n"
            for f in flags {
                let left = "--" + f.name + (f.value.map { " " + $0 } ?? "")
                // A flag too long for the column keeps its whole name; its help goes on the next line.
                s += left.count > 24 ? "  " + left + "\n" + String(repeating: " ", count: 27) + f.help + "\n"
                    : "  " + left.padding(toLength: 24, withPad: " ", startingAt: 0) + " " + f.help + "\n"
            }
        }
        return s
    }
}
