extension IterationRecord {
    /// The `{"type":"iteration", …}` line (field names documented in the LogFormat article), with the
    /// estimator's values named by `estimatorFields` (its ``GradientEstimator/logFields``).
    public func json(estimatorFields: [String] = []) -> JSONValue {
        var f: [(String, JSONValue)] = [
            ("type", .string("iteration")), ("iteration", .int(iteration)), ("episodes", .int(episodes)),
            ("mean_return", .double(meanReturn)), ("std_return", .double(stdReturn)),
            ("exact_j", .number(exactJ)),
        ]
        if let optimalJ { f.append(("optimal_j", .double(optimalJ))) }
        if let regret { f.append(("regret", .double(regret))) }
        if let optimalActionFraction { f.append(("optimal_action", .double(optimalActionFraction))) }
        f.append(("grad_norm", .double(gradientNorm)))
        if let gradientError { f.append(("grad_sq_error", .double(gradientError))) }
        f += [("entropy", .double(entropy)), ("lr", .double(learningRate)),
              ("mean_length", .double(meanLength)), ("truncated_fraction", .double(truncatedFraction))]
        if branchEpisodes > 0 { f += [("branch_episodes", .int(branchEpisodes)), ("branch_steps", .int(branchSteps))] }
        for (i, name) in estimatorFields.enumerated() { f.append((name, .number(estimatorValues[i]))) }
        f.append(("elapsed", .double(elapsed)))
        return .object(f)
    }
}
