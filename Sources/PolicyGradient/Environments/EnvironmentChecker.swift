/// The outcome of one check of ``EnvironmentChecker``.
public struct CheckResult: Sendable, Equatable, CustomStringConvertible {
    /// A short stable name, e.g. `steps-match-table`.
    public var name: String
    /// Whether the environment passed.
    public var passed: Bool
    /// What was checked and, on failure, the first problem found.
    public var detail: String

    /// Creates a result.
    public init(_ name: String, passed: Bool, detail: String) {
        self.name = name
        self.passed = passed
        self.detail = detail
    }

    /// `PASS  name: detail` or `FAIL  name: detail`.
    public var description: String { (passed ? "PASS" : "FAIL") + "  " + name + ": " + detail }
}

/// Checks that an environment keeps the ``Environment`` contract, like Gymnasium's
/// `check_env`: run it on a new environment before training on it (`pg check --env NAME`).
///
/// Checks, in order (each gives one ``CheckResult``):
/// * `spaces`: at least one action and one state, a positive time limit and feature length,
///   one action name per action; the other checks run only if this passes.
/// * `features`: for ``CustomFeatures``, `features(of:into:)` writes every entry, finite, and
///   the same twice (one-hot features are implicit and pass).
/// * `reset`, `step-states`, `rewards-finite`, `episodes`: over episodes with uniformly random
///   actions, start and next states are in range, rewards are finite, and episodes end.
/// * `determinism`: two copies driven by equal ``RandomStream``s give identical episodes.
/// * `reset-restarts`: the longest of many episodes, replayed again and again on one copy after
///   other episodes, are identical to the same episodes on fresh copies (nothing leaks from one
///   episode into the next; see ``resetRestarts(_:seed:)``).
/// * A NaN or infinite reward is reported by `rewards-finite` only: episodes are compared
///   reward bit for bit, so a NaN reward fails neither `determinism` nor `reset-restarts`.
/// * For ``KnownDynamics``: `model-shape`,
///   `start-distribution`, `probabilities`, `table-values`, `reset-matches-start`,
///   `steps-match-table` and `rewards-match-table`.
/// * For ``DifferentiableReward``: `relaxed-reward` (finite, matches a finite difference and,
///   with known dynamics, the table's rewards at one-hot actions).
public enum EnvironmentChecker {
    /// Sampled frequencies may differ from the table by this many standard errors.
    public static let tolerance = 5.0
    /// A state-action pair is compared with the table once it was sampled this many times.
    public static let minimumVisits = 30

    /// Environment steps sampled with random actions by default (`pg check --steps`).
    public static let defaultSteps = 20_000
    /// `steps`: environment steps to sample with random actions (default ``defaultSteps``).
    public static let stepsSetting = Setting(key: "steps", integer: defaultSteps, placeholder: "N",
                                             help: "environment steps to sample with random actions") {
        (1...100_000_000).contains($0) ? nil : "must be between 1 and 100000000"
    }

    /// Runs every check that applies to `environment`.
    /// - Parameters:
    ///   - seed: seeds every random draw, so the report is reproducible.
    ///   - steps: the number of environment steps to sample (more steps compare more
    ///     state-action pairs with the table, and more precisely).
    /// - Returns: one result per check; the environment is fine if all passed. If
    ///   ``Cancellation`` is requested while steps are sampled, the results end early with a
    ///   failing `interrupted`.
    /// - Complexity: O(steps + states · features + table size).
    public static func check(_ environment: any Environment, seed: UInt64 = 1, steps: Int = defaultSteps) -> [CheckResult] {
        checkOpened(environment, seed: seed, steps: max(steps, 1))
    }

    /// Whether every check passed.
    public static func passes(_ environment: any Environment, seed: UInt64 = 1, steps: Int = defaultSteps) -> Bool {
        check(environment, seed: seed, steps: steps).allSatisfy(\.passed)
    }

    static func checkOpened<E: Environment>(_ env: E, seed: UInt64, steps: Int) -> [CheckResult] {
        let shape = spaces(env)
        guard shape.passed else { return [shape] }
        let known = env as? any KnownDynamics
        let sample = CheckSample(env, seed: seed, steps: steps, tally: known != nil)
        var results = [shape, features(env)] + sample.contractResults(env)
        if sample.interrupted {
            return results + [CheckResult("interrupted", passed: false,
                                          detail: "stopped on request after \(sample.steps) steps; the other checks did not run")]
        }
        results.append(determinism(env, seed: seed))
        results.append(resetRestarts(env, seed: seed))
        var model: TabularModel?
        if let known {
            model = known.model
            results += checkDynamics(env, model: model!, sample: sample)
        }
        if let d = env as? any DifferentiableReward {
            let shapeOK = model.map { $0.stateCount == env.stateCount && $0.actionCount == env.actionCount } ?? false
            results.append(relaxedReward(d, model: shapeOK ? model : nil))
        }
        return results
    }

    // MARK: Spaces and features

    static func spaces<E: Environment>(_ env: E) -> CheckResult {
        let a = env.actionCount, s = env.stateCount, h = env.timeLimit, f = env.featureLength
        let problem: String? =
            a < 1 ? "actionCount is \(a); it must be at least 1" :
            s < 1 ? "stateCount is \(s); it must be at least 1" :
            h < 1 ? "timeLimit is \(h); it must be at least 1" :
            h > 10_000_000 ? "timeLimit is \(h); at most 10,000,000 (pg keeps K x timeLimit steps per worker)" :
            f < 1 ? "featureCount is \(f); it must be at least 1" :
            env.actionNames.count != a ? "actionNames has \(env.actionNames.count) names for \(a) actions" : nil
        return CheckResult("spaces", passed: problem == nil,
                           detail: problem ?? "\(s) states, \(a) actions, \(f) features, time limit \(h)")
    }

    static func features<E: Environment>(_ env: E) -> CheckResult {
        guard let custom = env as? any CustomFeatures else {
            return CheckResult("features", passed: true, detail: "one-hot features (implicit)")
        }
        return customFeatures(custom)
    }

    static func customFeatures<E: CustomFeatures>(_ env: E) -> CheckResult {
        let f = env.featureCount, states = min(env.stateCount, 100_000)
        guard f >= 1 else { return CheckResult("features", passed: false, detail: "featureCount is \(f); it must be at least 1") }
        var first = [Double](repeating: .nan, count: f), second = first
        for s in 0..<states {
            for i in 0..<f { first[i] = .nan; second[i] = .infinity }
            var a = first.mutableSpan, b = second.mutableSpan
            env.features(of: s, into: &a)
            env.features(of: s, into: &b)
            if let i = first.firstIndex(where: { !$0.isFinite }) {
                return CheckResult("features", passed: false,
                                   detail: "state \(s): entry \(i) of \(f) is \(first[i]) (not written, or not finite)")
            }
            if first != second {
                return CheckResult("features", passed: false, detail: "state \(s): two calls gave different features")
            }
        }
        return CheckResult("features", passed: true, detail: "\(states) states x \(f) finite features")
    }

    // MARK: Determinism

    /// An episode as the checker records it: the reset state and the step results.
    typealias Episode = (start: Int, steps: [StepResult])

    /// One episode (at most 1000 steps) with actions drawn from `actions`.
    static func episode<E: Environment>(_ env: inout E, stream: RandomStream, actions: RandomStream) -> Episode {
        var rng = stream, act = actions
        let start = env.reset(using: &rng)
        var steps: [StepResult] = []
        guard (0..<env.stateCount).contains(start) else { return (start, steps) }
        while steps.count < min(env.timeLimit, 1000) {
            let r = env.step(act.nextInt(below: env.actionCount), using: &rng)
            steps.append(r)
            if r.terminated || r.truncated || !(0..<env.stateCount).contains(r.state) { break }
        }
        return (start, steps)
    }

    /// Whether two episodes are the same, rewards compared bit for bit (a NaN reward equals
    /// itself here: a non-finite reward is the `rewards-finite` check's to report, not a
    /// difference between two runs).
    static func same(_ x: Episode, _ y: Episode) -> Bool {
        x.start == y.start && x.steps.count == y.steps.count && zip(x.steps, y.steps).allSatisfy { a, b in
            a.state == b.state && a.terminated == b.terminated && a.truncated == b.truncated
                && a.reward.bitPattern == b.reward.bitPattern
        }
    }

    static func determinism<E: Environment>(_ env: E, seed: UInt64) -> CheckResult {
        var a = env, b = env
        for e in 0..<20 {
            let stream = RandomStream(seed: seed, iteration: 1, episode: e), acts = stream.split(1)
            let x = episode(&a, stream: stream, actions: acts), y = episode(&b, stream: stream, actions: acts)
            if !same(x, y) {
                return CheckResult("determinism", passed: false,
                                   detail: "episode \(e) differs between two copies given equal random streams"
                                       + " (randomness must come only from the stream passed in)")
            }
        }
        return CheckResult("determinism", passed: true, detail: "20 episodes identical under equal random streams")
    }

    /// Candidate episodes, replayed episodes and rounds of the `reset-restarts` check.
    static let restartCandidates = 64, restartEpisodes = 8, restartRounds = 8

    /// `reset-restarts`: nothing leaks from one episode into the next.
    ///
    /// Of ``restartCandidates`` episodes, each run on a fresh copy of the environment, the
    /// ``restartEpisodes`` longest are replayed ``restartRounds`` times on one copy, in an order
    /// rotated by one each round, and every replay must equal the fresh copy's episode. A reset
    /// that leaves anything behind (a step or episode counter, the last state) shows in some
    /// replay whatever the seed: the replays are the longest episodes (a leak has the most steps
    /// to show in), and each is replayed after 0…63 other episodes, with every count of
    /// preceding episodes modulo ``restartEpisodes``.
    /// - Complexity: at most (``restartCandidates`` + ``restartEpisodes`` · ``restartRounds``) · 1000 steps.
    static func resetRestarts<E: Environment>(_ env: E, seed: UInt64) -> CheckResult {
        let streams = (0..<restartCandidates).map { RandomStream(seed: seed, iteration: 2, episode: $0) }
        let fresh = streams.map { s -> Episode in
            var copy = env
            return episode(&copy, stream: s, actions: s.split(1))
        }
        let chosen = fresh.indices.sorted { (fresh[$1].steps.count, $0) < (fresh[$0].steps.count, $1) }.prefix(restartEpisodes)
        let replayed = Array(chosen)
        var e = env, played = 0
        for round in 0..<restartRounds {
            for k in replayed.indices {
                let i = replayed[(k + round) % replayed.count]
                let again = episode(&e, stream: streams[i], actions: streams[i].split(1))
                if !same(again, fresh[i]) {
                    return CheckResult("reset-restarts", passed: false,
                                       detail: "an episode replayed after \(played) others on one copy differs from the same "
                                           + "episode on a fresh copy: reset must clear all episode state")
                }
                played += 1
            }
        }
        return CheckResult("reset-restarts", passed: true,
                           detail: "\(replayed.count) episodes replayed \(restartRounds) times each after others, "
                               + "identical to a fresh copy's")
    }
}
