import PolicyGradient

extension TrainCommand {
    /// What pg train writes, pg reads back: refuses, before the log is created, a run whose log
    /// could exceed what `pg plot` and `pg rerun` read (``JSONLReader/maximumFileSize``). The
    /// bound is its config line, `iterations` iteration lines of the session's shape (every
    /// optional field and the estimator's own fields present) and the summary, every number at
    /// its widest (``LogSize``).
    static func checkLogSize(header: JSONValue, session: any TrainingSession, configuration c: TrainingConfiguration) throws {
        var r = IterationRecord()
        (r.exactJ, r.optimalJ, r.optimalActionFraction, r.gradientError) = (0, 0, 0, 0)
        let line = LogSize.lineBound(r.json(estimatorFields: session.logFields))
        let summary = LogSize.lineBound(summaryLine(status: "interrupted", problem: "iteration \(Int.max): a policy parameter is not finite",
                                                    session: session, last: r, finalJ: 0))
        let bound = Double(LogSize.lineBound(header)) + Double(c.iterations) * Double(line) + Double(summary)
        try LogSize.check(bound, what: "--iterations: the log of \(counted(c.iterations, "iteration")) x \(line) bytes",
                          limit: JSONLReader.maximumFileSize, readers: "pg plot and pg rerun",
                          remedy: "give at most \((JSONLReader.maximumFileSize - LogSize.lineBound(header) - summary) / line) iterations")
    }

    /// Refuses, before the policy is made, a run whose checkpoint could exceed what its readers
    /// read (``Checkpoint/maximumFileSize``): ``Checkpoint/sizeBound(policy:environment:run:)``
    /// with `header` (the run's config line, without the facts only the session knows; 256 bytes
    /// are added for them).
    static func checkCheckpointSize(policy: PolicySpec, environment env: any Environment, header: JSONValue) throws {
        guard let bound = Checkpoint.sizeBound(policy: policy, environment: Checkpoint.EnvironmentShape(env), run: header) else { return }
        try LogSize.check(bound + 256, what: "the checkpoint of this \(policy.kind.rawValue) policy on \(env.id)",
                          limit: Checkpoint.maximumFileSize, readers: "pg eval, --init, --at and pg plot --policy",
                          remedy: "give a smaller policy" + (policy.kind == .mlp ? " (--hidden)" : "") + " or environment")
    }
}
