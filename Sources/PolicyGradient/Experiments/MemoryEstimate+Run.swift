extension MemoryEstimate {
    /// The environment's own tables: a known-dynamics transition table, a gridworld's cells and
    /// a dense feature matrix (already built when a command estimates a run: environment files
    /// bound their own size while they are read).
    /// - Parameter file: the environment's file, if it was read from one (blamed for its size).
    /// - Complexity: O(1) (reads the sizes of the tables).
    public static func environment(_ env: any Environment, file: String?) -> MemoryEstimate {
        var e = MemoryEstimate()
        let name = file == nil ? " of \(env.id)" : ""
        if let m = (env as? any KnownDynamics)?.model {
            let outcomes = Double(m.probability.count)
            e.add("the transition table\(name): \(m.stateCount) states x \(m.actionCount) actions, \(m.probability.count) outcomes",
                  bytes: 8 * Double(m.offsets.count + m.start.count) + 25 * outcomes, file: file)
        }
        if let g = env as? Gridworld {
            e.add("the map's cells\(name): \(g.rows) x \(g.columns)",
                  bytes: Double(g.map.cells.count * MemoryLayout<GridCell>.stride), file: file)
        }
        if let f = env as? any CustomFeatures {
            e.add("the feature matrix\(name): \(env.stateCount) states x \(f.featureCount) features",
                  doubles: Double(env.stateCount) * Double(f.featureCount), file: file)
        }
        return e
    }

    /// One training session: the policy with its gradient and optimiser state, the policy tables
    /// and batch statistics, the rollout's per-chunk workspaces (at most
    /// ``RolloutEngine/maximumChunks`` chunks of 3·S·A + 2·S statistics and a block of groups'
    /// episode buffers, B·K·H·(4 + W), W ≤ A the sampler's record width), a critic's weights and memory,
    /// relax's surrogate (its weights, Adam's moments and one gradient per chunk), and exact J's
    /// dynamic programme over (time, state) when the dynamics are known.
    /// - Parameters:
    ///   - environment: the environment (its sizes).
    ///   - file: the environment's file, if any (blamed for what its sizes make large).
    ///   - policy: the policy.
    ///   - configuration: the training configuration (N, the optimiser).
    ///   - estimator: the estimator (K episodes per context, its sampling, a critic's shape).
    /// - Throws: ``InputError`` for an unknown estimator.
    /// - Complexity: O(1); allocates nothing large.
    public static func session(environment env: any Environment, file: String?, policy: PolicySpec,
                               configuration c: TrainingConfiguration, estimator: EstimatorSpec) throws -> MemoryEstimate {
        let d = try estimator.descriptor()
        let s = Double(env.stateCount), a = Double(env.actionCount), h = Double(env.timeLimit)
        let sa = s * a, name = file == nil ? " (\(env.id))" : ""
        var e = MemoryEstimate()
        let parameters = Double(policy.parameterCount(states: env.stateCount, actions: env.actionCount, features: env.featureLength))
        let copies = c.optimizer == .adam ? 5.0 : 3.0
        e.add("the \(policy.kind.rawValue) policy: \(Int(parameters)) parameters x \(Int(copies)) copies (with its gradients"
              + (c.optimizer == .adam ? " and Adam's moments)" : ")"), doubles: parameters * copies,
              field: policy.kind == .mlp ? PolicySpec.hiddenSetting.key : nil, file: policy.kind == .mlp ? nil : file)
        let known = env is any KnownDynamics
        e.add("the policy tables and batch statistics\(name): \(known ? 11 : 7) x \(Int(s)) states x \(Int(a)) actions",
              doubles: (known ? 11 : 7) * sa + (known ? 4 : 3) * s, file: file)
        let k = Double(d.groupSize(estimator.settings))
        let groups = max(1, c.episodes / Int(k)), chunkCount = RolloutEngine<Bandit>.chunkCount(groups: groups)
        let chunks = Double(chunkCount)
        e.add("the rollout's per-chunk statistics\(name): \(Int(chunks)) chunks x 3 x \(Int(s)) states x \(Int(a)) actions",
              doubles: chunks * (3 * sa + 2 * s), file: file)
        // A block of groups per chunk (at least one group of K × H steps, at most about
        // WorkspaceShape.blockStepLimit steps), and the sampler's W record values per step.
        let perChunk = (groups + chunkCount - 1) / chunkCount
        let block = Double(WorkspaceShape.blockGroups(groupsPerChunk: perChunk, samples: Int(k), horizon: env.timeLimit)) * k * h
        let width = Double(d.recordWidth(env.actionCount))
        e.add("the rollout's episode buffers: \(Int(chunks)) chunks x \(Int(block)) steps (K \(Int(k)) x time limit \(Int(h))\(name) "
              + "per group) x \(Int(4 + width)) values per step", doubles: chunks * block * (4 + width),
              field: k > 1 ? d.groupSizeSetting?.key : nil, file: k > 1 ? nil : file)
        if d.settings.contains(where: { $0.key == Critic.hiddenSetting.key }), !(env is any DifferentiableReward) {
            let values = estimator.settings.completed(with: Critic.settings)
            let weights = Double(Critic.parameterCount(featureCount: env.featureLength, actionCount: env.actionCount, settings: values))
            e.add("the critic: \(Int(weights)) weights x 4 copies and its memory of 2 x \(Int(sa)) state-action pairs",
                  doubles: 4 * weights + 2 * sa, field: Critic.hiddenSetting.key)
        }
        if d.settings.contains(where: { $0.key == Surrogate.hiddenSetting.key }) {
            let values = estimator.settings.completed(with: Surrogate.settings)
            let weights = Double(Surrogate.parameterCount(featureCount: env.featureLength, actionCount: env.actionCount,
                                                          settings: values))
            e.add("relax's surrogate: \(Int(weights)) weights x (4 copies + 1 gradient per chunk, \(Int(chunks)) chunks)",
                  doubles: weights * (4 + chunks), field: Surrogate.hiddenSetting.key)
        }
        if known {
            e.add("exact J's dynamic programme: time limit \(Int(h)) x \(Int(s)) states\(name)", doubles: exactProgrammeDoubles(
                states: env.stateCount, horizon: env.timeLimit), file: file)
        }
        return e
    }

    /// The doubles exact J and ∇J keep (``ExactGradient``): the occupancy d_t(s) for every step
    /// t < H and state s, H · S, plus O(S · A).
    public static func exactProgrammeDoubles(states: Int, horizon: Int) -> Double {
        Double(max(horizon, 1)) * Double(states)
    }

    /// A sweep's per-iteration curves (``CurveAccumulator``): one per variant plus one per chunk
    /// of seeds (at most 64) while a variant runs, ``CurveAccumulator/metrics`` × iterations
    /// ``RunningMoments`` each, plus one seed's buffered values per worker.
    /// - Complexity: O(1).
    public static func curves(iterations: Int, variants: Int, seeds: Int, workers: Int) -> MemoryEstimate {
        var e = MemoryEstimate()
        let metrics = Double(CurveAccumulator.metrics.count), i = Double(iterations)
        let accumulators = Double(variants + min(seeds, SeedSweep.maximumChunks))
        e.add("the learning curves: \(iterations) iterations x \(Int(metrics)) metrics x \(Int(accumulators)) accumulators",
              bytes: accumulators * i * metrics * Double(MemoryLayout<RunningMoments>.stride)
                + Double(workers) * i * metrics * 8, field: TrainingConfiguration.iterationsSetting.key)
        return e
    }

    /// A sweep's per-seed results: seed, index, final value and iterations to the threshold per
    /// seed and variant, its trace (``SeedTrace``, one point per checkpoint of a run of
    /// `iterations` updates), and the text and values of one variant's `{"type":"final"}` line
    /// (about 20 bytes a number).
    /// - Complexity: O(1).
    public static func seeds(_ seeds: Int, variants: Int, iterations: Int, field: String) -> MemoryEstimate {
        var e = MemoryEstimate()
        // Per seed and variant: the finals (48 bytes) and a trace (three rows of one number per
        // checkpoint, their array headers, and an optimum).
        let points = Double(min(SeedTrace.checkpointCount, max(iterations, 0)))
        let trace = 3 * points * 8 + 3 * 24 + 16
        e.add("the per-seed results: \(seeds) seeds x \(variants) variants",
              bytes: Double(seeds) * ((48 + trace) * Double(variants) + 300 + 3 * points * 20),
              field: field)
        return e
    }

    /// A variance study's estimates: R gradient estimates of d parameters, kept for one
    /// estimator at a time.
    /// - Complexity: O(1).
    public static func estimates(replicates: Int, parameters: Int, field: String) -> MemoryEstimate {
        var e = MemoryEstimate()
        e.add("the gradient estimates: \(replicates) replicates x \(parameters) parameters",
              doubles: Double(replicates) * Double(parameters + 2), field: field)
        return e
    }
}
