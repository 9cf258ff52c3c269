extension ExactGradient {
    /// J and the gradient with respect to the logits of every state (row-major S × A) of the
    /// table's policy on an environment that computes its own objective (``ExactObjective``):
    /// c(a|s) = π(a|s) (∂J/∂π(a|s) − Σ_b π(b|s) ∂J/∂π(b|s)), the softmax's Jacobian applied to
    /// the environment's partial derivatives.
    public static func logitCotangent(table: PolicyTable, objective: any ExactObjective,
                                      gamma: Double) -> (value: Double, cotangent: [Double]) {
        let a = table.actionCount, p = table.probabilities
        let (value, partial) = objective.exactObjective(probabilities: p, gamma: gamma)
        var cot = [Double](repeating: 0, count: p.count)
        for s in 0..<table.stateCount {
            var mean = 0.0
            for k in (s * a)..<((s + 1) * a) { mean += p[k] * partial[k] }
            for k in (s * a)..<((s + 1) * a) { cot[k] = p[k] * (partial[k] - mean) }
        }
        return (value, cot)
    }

    /// J(φ) and ∇_φ J of any categorical policy on an environment that computes its own objective.
    public static func evaluate<P: Policy>(policy: P, objective: any ExactObjective, features: StateFeatures,
                                           gamma: Double) -> (value: Double, gradient: [Double]) {
        var table = PolicyTable(stateCount: objective.stateCount, actionCount: objective.actionCount)
        table.update(from: policy, features: features)
        let cot = logitCotangent(table: table, objective: objective, gamma: gamma)
        var grad = [Double](repeating: 0, count: policy.parameterCount)
        policy.backpropagate(logitCotangents: cot.cotangent, features: features, into: &grad)
        return (cot.value, grad)
    }

    /// J(φ) and ∇_φ J from whatever the environment knows: its transition table
    /// (``KnownDynamics``, over the horizon its time limit sets) or else its own objective
    /// (``ExactObjective``); nil when it has neither.
    public static func evaluate<P: Policy>(policy: P, environment: any Environment, features: StateFeatures,
                                           gamma: Double) -> (value: Double, gradient: [Double])? {
        if let known = environment as? any KnownDynamics {
            return evaluate(policy: policy, model: known.model, features: features, horizon: environment.timeLimit, gamma: gamma)
        }
        if let objective = environment as? any ExactObjective {
            return evaluate(policy: policy, objective: objective, features: features, gamma: gamma)
        }
        return nil
    }

    /// Whether exact J and ∇J are known on `environment` (known dynamics or its own objective).
    public static func isKnown(for environment: any Environment) -> Bool {
        environment is any KnownDynamics || environment is any ExactObjective
    }

    /// The best J within the time limit, from the transition table or the environment's own
    /// objective, when known.
    public static func optimalValue(environment: any Environment, gamma: Double) -> Double? {
        if let known = environment as? any KnownDynamics {
            return optimalValue(model: known.model, horizon: environment.timeLimit, gamma: gamma)
        }
        return (environment as? any ExactObjective)?.optimalObjective(gamma: gamma)
    }
}
