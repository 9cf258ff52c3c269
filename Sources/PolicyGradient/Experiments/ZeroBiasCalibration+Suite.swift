import Foundation

extension ZeroBiasCalibration {
    /// The suite's cases: on each problem the initial (uniform) policy, policies after some
    /// updates of `ema` (batch 16, Adam, lr 0.1), random tabular logits, and near-deterministic
    /// policies that put 1 − ε on one action per state (the trained policy's choice) and ε/(A − 1)
    /// on each other: ε from 10⁻² down to 10⁻¹² (never drawn). Problems: the binary toy (t = 0.45,
    /// 0.499), the 3-class toy, bandit10 (two testbeds), a Bernoulli bandit with equal arms (∇J = 0
    /// exactly), FrozenLake 4x4 (slippery and not), CliffWalking, FourRooms and Taxi.
    /// - Parameters:
    ///   - size: ``Size/quick`` (50 cases) or ``Size/full`` (63: more trained and sharper policies).
    ///   - options: where the environment files are (`directories`).
    /// - Throws: ``InputError`` if a shipped environment file is missing.
    public static func suite(_ size: Size, options: EnvironmentOptions) throws -> [Case] {
        let full = size == .full
        var cases: [Case] = []
        func add(_ problem: String, _ env: any Environment, episodes: Int, trained: [Int], random: [Double], sharp: [Double],
                 sharpFrom: Int) throws {
            let initial = TabularPolicy(stateCount: env.stateCount, actionCount: env.actionCount)
            cases.append(Case(problem: problem, policyLabel: "initial", environment: env, policy: initial, episodes: episodes))
            var base: any Policy = initial
            for k in trained {
                let p = try trainedPolicy(env, updates: k)
                cases.append(Case(problem: problem, policyLabel: "trained \(k)", environment: env, policy: p, episodes: episodes))
                if k == sharpFrom { base = p }
            }
            for (i, sigma) in random.enumerated() {
                cases.append(Case(problem: problem, policyLabel: "random \(String(format: "%g", sigma))",
                                  environment: env, policy: randomPolicy(env, scale: sigma, seed: UInt64(17 + i)),
                                  episodes: episodes))
            }
            for eps in sharp {
                cases.append(Case(problem: problem, policyLabel: "near-deterministic \(String(format: "%g", eps))",
                                  environment: env, policy: nearDeterministic(base, actions: env.actionCount, epsilon: eps),
                                  episodes: episodes))
            }
        }
        let tiny: [Double] = [1e-2, 1e-4, 1e-12], oneStep = 64
        try add("toy t=0.45", Toy(binaryTarget: 0.45), episodes: oneStep, trained: [30], random: [2], sharp: tiny, sharpFrom: 30)
        try add("toy t=0.499", Toy(binaryTarget: 0.499), episodes: oneStep, trained: [30], random: [], sharp: [1e-3], sharpFrom: 30)
        try add("toy 3-class", Toy(targets: [0.2, 0.3, 0.5]), episodes: oneStep, trained: [30], random: [2],
                sharp: [1e-3, 1e-6], sharpFrom: 30)
        for seed: UInt64 in full ? [3, 4, 5] : [3, 4] {
            try add("bandit10 seed \(seed)", Bandit.tenArmedTestbed(seed: seed), episodes: oneStep, trained: full ? [30, 200] : [100],
                    random: [2], sharp: tiny, sharpFrom: full ? 200 : 100)
        }
        try add("bernoulli 0.5,0.5,0.5", Bandit.bernoulli([0.5, 0.5, 0.5]), episodes: oneStep, trained: [], random: [1], sharp: [1e-3],
                sharpFrom: 0)
        let grids: [(String, Int, [Int], [Double], Int)] = [
            ("FrozenLake-v1-4x4", 8, full ? [50, 300, 1000] : [300, 1000], full ? [1e-2, 1e-3, 1e-6] : [1e-2, 1e-3], 1000),
            ("FrozenLake-v1-4x4-deterministic", 8, [100], [1e-2, 1e-4], 100),
            ("CliffWalking-v1", 8, full ? [100, 300] : [300], [1e-2, 1e-3], 300),
            ("FourRooms-v0", 8, [200], [1e-2], 200),
            ("Taxi-v4", 4, full ? [100, 300] : [100], [1e-2], 100),
        ]
        for (name, episodes, trained, sharp, from) in grids {
            let env = try EnvironmentRegistry.make(name, options: options)
            try add(name, env, episodes: episodes, trained: trained, random: name.hasPrefix("FrozenLake") ? [1] : [],
                    sharp: sharp, sharpFrom: from)
        }
        return cases
    }

    /// The policy after `updates` updates of `ema` from the uniform one (batch 16, Adam, lr 0.1, seed 3).
    static func trainedPolicy(_ env: any Environment, updates: Int) throws -> any Policy {
        var c = TrainingConfiguration()
        c.episodes = 16
        c.seed = 3
        c.threads = 1
        let start = TabularPolicy(stateCount: env.stateCount, actionCount: env.actionCount)
        return try VarianceStudy.trainedPolicy(environment: env, policy: start,
                                               variant: SweepVariant(estimator: EstimatorSpec("ema"), configuration: c),
                                               iterations: updates)
    }

    /// Tabular logits drawn N(0, scale²).
    static func randomPolicy(_ env: any Environment, scale: Double, seed: UInt64) -> TabularPolicy {
        var p = TabularPolicy(stateCount: env.stateCount, actionCount: env.actionCount)
        var rng = RandomStream(seed: seed)
        p.parameters = p.parameters.map { _ in scale * rng.nextGaussian() }
        return p
    }

    /// π(a*|s) = 1 − ε for the action a* the tabular `base` prefers in s, ε/(A − 1) for each other.
    static func nearDeterministic(_ base: any Policy, actions a: Int, epsilon: Double) -> TabularPolicy {
        let logits = base.parameters
        var p = TabularPolicy(stateCount: logits.count / a, actionCount: a)
        let top = log((1 - epsilon) * Double(a - 1) / epsilon)
        for s in 0..<p.stateCount {
            var best = 0
            for k in 1..<a where logits[s * a + k] > logits[s * a + best] { best = k }
            p.parameters[s * a + best] = top
        }
        return p
    }
}
