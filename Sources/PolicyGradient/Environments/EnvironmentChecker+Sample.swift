/// What ``EnvironmentChecker`` saw in episodes with uniformly random actions: the first
/// contract violation of each kind, episode counts, and per state-action tallies of outcomes
/// and rewards (for comparison with a ``TabularModel``).
struct CheckSample {
    /// Outcomes of one state-action pair.
    struct Tally {
        var visits = 0
        /// How many of the rewards were finite.
        var finiteRewards = 0
        /// Welford's running mean and sum of squared deviations of the finite rewards.
        var rewardMean = 0.0, rewardSquares = 0.0
        /// (next state, terminated) → count.
        var outcomes: [OutcomeKey: Int] = [:]
    }

    struct OutcomeKey: Hashable {
        var next: Int
        var terminated: Bool
    }

    var starts: [Int: Int] = [:]
    var tallies: [Int: Tally] = [:]
    var episodes = 0, steps = 0, terminated = 0, truncated = 0, cut = 0
    var badStart: String?, badState: String?, badReward: String?
    /// Whether sampling stopped early because ``Cancellation`` was requested.
    var interrupted = false

    /// Samples episodes until `steps` steps were taken and, within one more time limit, an
    /// episode has ended, or until ``Cancellation`` is requested (polled every episode and
    /// every 4096 steps).
    init<E: Environment>(_ env: E, seed: UInt64, steps budget: Int, tally: Bool) {
        var env = env
        var actions = RandomStream(seed: seed).split(0xC4EC)
        let (states, a) = (env.stateCount, env.actionCount)
        let limit = budget + env.timeLimit
        var e = 0
        while steps < budget || (episodes == 0 && steps < limit) {
            if Cancellation.isRequested { interrupted = true; break }
            var rng = RandomStream(seed: seed, iteration: 0, episode: e)
            e += 1
            var s = env.reset(using: &rng)
            guard (0..<states).contains(s) else {
                badStart = badStart ?? "episode \(e - 1): reset returned state \(s), not in 0..<\(states)"
                if e >= 100 && starts.isEmpty { break }
                continue
            }
            starts[s, default: 0] += 1
            var t = 0
            while steps < limit {
                if steps & 4095 == 4095, Cancellation.isRequested { interrupted = true; break }
                let action = actions.nextInt(below: a)
                let r = env.step(action, using: &rng)
                t += 1
                steps += 1
                if !(0..<states).contains(r.state) {
                    badState = badState ?? "state \(s), action \(action): step returned state \(r.state), not in 0..<\(states)"
                    break
                }
                if !r.reward.isFinite {
                    badReward = badReward ?? "state \(s), action \(action): step returned reward \(r.reward)"
                }
                if tally { record(state: s * a + action, r) }
                if r.terminated { terminated += 1; episodes += 1; break }
                if r.truncated { truncated += 1; episodes += 1; break }
                if t >= env.timeLimit { cut += 1; episodes += 1; break }
                s = r.state
            }
        }
    }

    mutating func record(state sa: Int, _ r: StepResult) {
        var t = tallies[sa] ?? Tally()
        t.visits += 1
        if r.reward.isFinite {
            t.finiteRewards += 1
            let d = r.reward - t.rewardMean
            t.rewardMean += d / Double(t.finiteRewards)
            t.rewardSquares += d * (r.reward - t.rewardMean)
        }
        t.outcomes[OutcomeKey(next: r.state, terminated: r.terminated), default: 0] += 1
        tallies[sa] = t
    }

    /// `reset`, `step-states`, `rewards-finite` and `episodes`.
    func contractResults<E: Environment>(_ env: E) -> [CheckResult] {
        let resets = starts.values.reduce(0, +)
        return [
            CheckResult("reset", passed: badStart == nil,
                        detail: badStart ?? "\(resets) resets, start states in 0..<\(env.stateCount)"),
            CheckResult("step-states", passed: badState == nil,
                        detail: badState ?? "\(steps) steps with random actions, next states in 0..<\(env.stateCount)"),
            CheckResult("rewards-finite", passed: badReward == nil, detail: badReward ?? "\(steps) rewards, all finite"),
            CheckResult("episodes", passed: episodes > 0,
                        detail: episodes > 0
                            ? "\(episodes) episode\(episodes == 1 ? "" : "s"): \(terminated) terminated, \(truncated) truncated by the environment, "
                                + "\(cut) cut at the time limit (\(env.timeLimit))"
                            : "no episode ended within \(steps) steps (time limit \(env.timeLimit))"),
        ]
    }
}
