extension PolicyEvaluation {
    /// What evaluation episodes of a fixed policy gave (Stable-Baselines3's `evaluate_policy`,
    /// with the standard error added).
    public struct EpisodeSummary: Sendable, Equatable {
        /// The episodes' discounted returns G = Σ_{t<H} γᵗ r_t: count, mean, sample variance.
        public var returns: RunningMoments
        /// The episodes' lengths in steps.
        public var lengths: RunningMoments
        /// The fraction of episodes cut by the time limit (or truncated by the environment).
        public var truncatedFraction: Double

        /// The mean return.
        public var meanReturn: Double { returns.mean }
        /// The sample standard deviation of the returns (n − 1 in the denominator; 0 for one episode).
        public var standardDeviation: Double { returns.count > 1 ? returns.standardDeviation : 0 }
        /// The standard error of the mean return, s / √n.
        public var standardError: Double { returns.count > 1 ? returns.standardError : 0 }
    }

    /// The greedy policy of `probabilities`: every row replaced by the one-hot vector of its
    /// most probable action, the first on ties (NumPy's `argmax`, as SB3's `deterministic=True`).
    /// - Parameters:
    ///   - probabilities: π(a|s), row-major S × A.
    ///   - actionCount: A.
    /// - Returns: the deterministic policy, row-major S × A.
    /// - Precondition: `actionCount > 0` divides `probabilities.count`.
    /// - Complexity: O(S · A).
    public static func greedy(probabilities: [Double], actionCount: Int) -> [Double] {
        precondition(actionCount > 0 && probabilities.count % actionCount == 0, "probabilities must be row-major S × A")
        var out = [Double](repeating: 0, count: probabilities.count)
        for base in stride(from: 0, to: probabilities.count, by: actionCount) {
            var best = base
            for k in base..<(base + actionCount) where probabilities[k] > probabilities[best] { best = k }
            out[best] = 1
        }
        return out
    }

    /// Runs `count` episodes of the fixed policy `probabilities` in `environment` and
    /// summarises their discounted returns and lengths.
    ///
    /// Episode i draws everything (the environment's randomness and the actions, by inverse
    /// CDF of π(·|s)) from `RandomStream(seed: seed, iteration: 0, episode: i)`, so the
    /// result depends only on the seed. Each episode runs until `terminated`, `truncated`,
    /// or the environment's time limit. For a deterministic policy in deterministic dynamics
    /// every return equals J.
    /// - Parameters:
    ///   - environment: the environment (copied; each episode starts with `reset`).
    ///   - probabilities: π(a|s), row-major S × A (use ``greedy(probabilities:actionCount:)``
    ///     for greedy actions).
    ///   - count: the number of episodes, n ≥ 1.
    ///   - gamma: the discount γ ∈ [0, 1].
    ///   - seed: the seed of the episodes' streams.
    /// - Returns: the summary.
    /// - Throws: ``InputError`` naming the environment when it returns a state out of range.
    /// - Precondition: `probabilities.count == stateCount * actionCount` and `count >= 1`.
    /// - Complexity: O(count · time limit · A); allocates nothing per step.
    public static func episodes<E: Environment>(_ environment: E, probabilities: [Double], count: Int, gamma: Double,
                                                seed: UInt64) throws -> EpisodeSummary {
        let s = environment.stateCount, a = environment.actionCount
        precondition(probabilities.count == s * a && count >= 1, "probabilities must be row-major S × A; count >= 1")
        var cumulative = probabilities
        for base in stride(from: 0, to: cumulative.count, by: a) {
            for k in (base + 1)..<(base + a) { cumulative[k] += cumulative[k - 1] }
            cumulative[base + a - 1] = 1
        }
        var env = environment
        var returns = RunningMoments(), lengths = RunningMoments(), truncated = 0
        for i in 0..<count {
            var rng = RandomStream(seed: seed, iteration: 0, episode: i)
            var state = env.reset(using: &rng), g = 0.0, discount = 1.0, t = 0, cut = true
            while t < env.timeLimit {
                guard (0..<s).contains(state) else {
                    throw InputError("environment \(env.id) returned state \(state) at step \(t) of evaluation episode \(i); "
                                     + "states are 0..<\(s)")
                }
                let u = rng.nextUniform()
                var action = 0
                while action < a - 1 && u >= cumulative[state * a + action] { action += 1 }
                let r = env.step(action, using: &rng)
                g += discount * r.reward
                discount *= gamma
                t += 1
                state = r.state
                if r.terminated { cut = false; break }
                if r.truncated { break }
            }
            returns.add(g)
            lengths.add(Double(t))
            if cut { truncated += 1 }
        }
        return EpisodeSummary(returns: returns, lengths: lengths, truncatedFraction: Double(truncated) / Double(count))
    }
}
