import Foundation
import PolicyGradient

/// `pg bench`: throughput of the hot paths (run it from a release build).
enum BenchCommand {
    static let flags = [
        Flag("quick", nil, "a shorter run (about a tenth of the work) for smoke tests"),
        Flag("only", "GROUP", "run one group: memory, bandit, single, frozenlake, gumbel, figure, critic-gumbel, "
             + "critic-st-gumbel, relax-toy or mlp-frozenlake"),
        Flag("threads", "N", "threads for the parallel rows (default: all cores)"),
        Flag("out", "FILE", "JSON results path (default runs/bench-TIMESTAMP.json)"),
        Flag("peers", "FILE", "the peers' results that scripts/bench-peers.sh wrote (runs/bench-peers-TIMESTAMP.json): "
             + "the target column then shows JAX's figure and a verdict"),
        Flag("force", nil, "overwrite --out if it exists"),
        Flag("help", nil, "show this help"),
    ]

    /// One row of the table; `id` is a stable machine-readable key (`bandit-1t`, `gumbel-2t`, …)
    /// that scripts/bench-peers.sh matches against the peers' workloads.
    struct Row {
        let id: String
        let name: String
        let value: Double
        let unit: String
        var target: Target = .none
    }

    static func run(_ args: [String], _ output: Output) throws -> Int32 {
        let a = try Arguments(args, flags: flags, command: "bench")
        if a.has("help") {
            output.out(PGCommand.help("pg bench — throughput of sampling, stepping and gradient accumulation",
                                      usage: "swift run -c release pg bench [--quick] [--threads N]",
                                      sections: [("OPTIONS", flags)]))
            return 0
        }
        try a.rejectPositionals(command: "bench")
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let threads = try a.int("threads") ?? cores
        if threads < 1 { throw InputError("--threads: must be at least 1, got \(threads)") }
        let out = a.string("out")
        try OutputFlag.checkFile(a, "out", replacing: a.has("force"))  // before the benchmark, not after it
        let peers = try a.string("peers").map { try PeerFigures(path: $0) }
        let scale = a.has("quick") ? 0.1 : 1.0
        let groups: [(String, () throws -> [Row])] = [
            ("memory", memoryRows), ("bandit", { try banditRows(threads: threads, scale: scale) }),
            ("single", { try singleSampleRows(scale: scale) }),
            ("frozenlake", { try frozenLakeRows(threads: threads, scale: scale) }),
            ("gumbel", { try gumbelRows(threads: threads, scale: scale) }),
            ("figure", { try figureRows(threads: threads, scale: scale) }),
        ] + learnedSweeps.map { spec in (spec.group, { try learnedRows(spec.group, threads: threads, scale: scale) }) }
          + [("mlp-frozenlake", { try mlpRows(threads: threads, scale: scale) })]
        let only = a.string("only")
        if let only, !groups.contains(where: { $0.0 == only }) {
            throw InputError("--only: unknown group '\(only)'; valid: \(groups.map(\.0).joined(separator: ", "))")
        }
        #if DEBUG
        output.err("pg bench: this is a debug build; numbers are many times lower than release (swift run -c release pg bench)\n")
        #endif
        var rows: [Row] = []
        for (name, body) in groups where only == nil || only == name { rows += try body() }
        var table = TextTable(headers: ["benchmark", "value", "unit", "target"])
        for r in rows {
            table.addRow([r.name, NumberFormat.significant(r.value), r.unit, r.target.column(r.value, jax: peers?.jax[r.id])])
        }
        output.line("pg bench — \(counted(cores, "core")), \(counted(threads, "thread"))" + (scale < 1 ? " (quick)" : ""))
        output.out(table.render())
        let json = JSONValue.object([
            ("cores", .int(cores)), ("threads", .int(threads)), ("quick", .bool(scale < 1)),
            ("rows", .array(rows.map { r in
                var fields: [(String, JSONValue)] = [("id", .string(r.id)), ("name", .string(r.name)), ("value", .double(r.value)),
                                                     ("unit", .string(r.unit)), ("target", .string(r.target.text))]
                if let j = peers?.jax[r.id] { fields.append(("jax", .double(j))) }
                if let v = r.target.verdict(r.value, jax: peers?.jax[r.id]) { fields.append(("verdict", .string(v))) }
                return .object(fields)
            })),
            ("peers", peers.map { .string($0.path) } ?? .null),
        ])
        // The default name takes the next free -N when two runs start in the same second.
        let path: String
        if let out {
            try OutputFlag.under("out") { try OutputFile.write(json.text + "\n", to: out, replacing: a.has("force")) }
            path = out
        } else {
            path = try OutputFile.writeWithSuffix(json.text + "\n", to: "runs/bench-\(Int(Date().timeIntervalSince1970)).json")
        }
        if let peers {
            output.line("peers: \(peers.path) (\(peers.date), \(peers.cpu)): JAX's median figure beside each target")
        } else {
            output.line("targets: multiples of the JAX peer's figure; scripts/bench-peers.sh measures pg, JAX and C side by side "
                        + "and writes the file that --peers reads")
        }
        output.line("results: \(path)")
        return 0
    }

    /// Seconds taken by `body`.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    }

    /// A session of `env` with the estimator `estimator` (its settings at their defaults, or
    /// `settings`) and `configure` applied to the default configuration.
    static func session(_ env: any Environment, estimator: String, settings: SettingValues = SettingValues(),
                        _ configure: (inout TrainingConfiguration) -> Void) throws -> any TrainingSession {
        var c = TrainingConfiguration()
        configure(&c)
        return try EstimatorSpec(estimator, settings: settings)
            .makeSession(environment: env, policy: PolicySpec().make(for: env, seed: c.seed), configuration: c)
    }
}
