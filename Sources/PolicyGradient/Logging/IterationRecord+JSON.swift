extension IterationRecord {
    /// The `{"type":"iteration", …}` line (field names documented in the README).
    public var json: JSONValue {
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
        f += [("baseline", .number(baselineValue)),
              ("entropy", .double(entropy)), ("tau", .number(temperature)), ("surrogate", .number(surrogate)), ("lr", .double(learningRate)),
              ("mean_length", .double(meanLength)), ("truncated_fraction", .double(truncatedFraction)),
              ("elapsed", .double(elapsed))]
        return .object(f)
    }
}

extension TrainingConfiguration {
    /// The configuration's fields for the `{"type":"config"}` line.
    public var jsonFields: [(String, JSONValue)] {
        [("estimator", .string(estimator.rawValue)), ("baseline", .string(baseline.rawValue)),
         ("average", .string(average.rawValue)), ("decay", .double(decay)),
         ("batch", .int(batch)), ("samples", .int(samples)), ("iterations", .int(iterations)),
         ("lr", .double(learningRate.initial)), ("lr_min", .double(learningRate.minimum)),
         ("lr_decay", .double(learningRate.rate)), ("optimizer", .string(optimizer.rawValue)),
         ("gamma", .double(gamma)), ("seed", .integer(seed)), ("threads", .int(threads)),
         ("tau", .double(temperature.initial)), ("tau_min", .double(temperature.minimum)),
         ("anneal", .double(temperature.rate)), ("nvil_lr", .double(nvilLearningRate)),
         ("critic_hidden", .array(criticHidden.map { .int($0) })), ("critic_activation", .string(criticActivation.rawValue)), ("critic_steps", .int(criticSteps)),
         ("critic_lr", .double(criticLearningRate))]
    }
}
