import Foundation
@testable import PolicyGradient
import XCTest

/// ARM, DisARM and stick-breaking DisARM: their arithmetic by hand, their exact means (by
/// exact integration over u and enumeration of the pair's outcomes) against the exact gradient,
/// the sampler's joint law, and the episode form on a hand-made group and a binary MDP.
final class AntitheticPairTests: XCTestCase {
    // MARK: Helpers

    private static func sigmoid(_ x: Double) -> Double { x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)) }

    /// ∇_logits Σ_k softmax(l)_k f_k = π_k (f_k − Σ π f).
    private static func exactGradient(logits l: [Double], values f: [Double]) -> [Double] {
        let p = CV.softmax(l), mean = zip(p, f).reduce(0) { $0 + $1.0 * $1.1 }
        return (0..<l.count).map { p[$0] * (f[$0] - mean) }
    }

    /// The central difference of l ↦ Σ_k softmax(l)_k f_k.
    private static func finiteDifferenceGradient(logits l: [Double], values f: [Double], h: Double = 1e-6) -> [Double] {
        (0..<l.count).map { k in
            var up = l, down = l
            up[k] += h
            down[k] -= h
            let e = { (x: [Double]) in zip(CV.softmax(x), f).reduce(0) { $0 + $1.0 * $1.1 } }
            return (e(up) - e(down)) / (2 * h)
        }
    }

    /// The pieces of [0, 1] on which the binary pair (b from u, b̃ from 1 − u) is constant, with
    /// the pair of actions on each: b = 1[u > π₀], b̃ = 1[u < π₁].
    private static func binaryPieces(p1: Double) -> [(lo: Double, hi: Double, actions: (Int, Int))] {
        let p0 = 1 - p1, cuts = [0, min(p0, p1), max(p0, p1), 1]
        return (0..<3).compactMap { i in
            let lo = cuts[i], hi = cuts[i + 1]
            guard hi > lo else { return nil }
            let u = (lo + hi) / 2
            return (lo, hi, (u > p0 ? 1 : 0, u < p1 ? 1 : 0))
        }
    }

    /// P(a₀ = i, a₁ = j) of the stick-breaking pair at π, exactly: at each node both sequences
    /// stop (measure max(0, 2σ − 1)), one stops (min(σ, 1 − σ) each way; the other continues
    /// with fresh uniforms), or both go on (max(0, 1 − 2σ)); σ = π_i / R_i.
    private static func pairLaw(_ p: [Double]) -> [[Double]] {
        let a = p.count
        var law = [[Double]](repeating: [Double](repeating: 0, count: a), count: a)
        var alive = 1.0, rest = 1.0
        for i in 0..<(a - 1) {
            let sigma = p[i] / rest, after = rest - p[i]
            law[i][i] += alive * max(0, 2 * sigma - 1)
            let parted = alive * min(sigma, 1 - sigma)
            for j in (i + 1)..<a where after > 0 {
                law[i][j] += parted * p[j] / after
                law[j][i] += parted * p[j] / after
            }
            alive *= max(0, 1 - 2 * sigma)
            rest = after
        }
        law[a - 1][a - 1] += alive
        return law
    }

    /// Stick-breaking DisARM's logit cotangent for a pair of actions at logits l.
    private static func stickBreakingCotangent(logits l: [Double], actions: (Int, Int), returns f: (Double, Double)) -> [Double] {
        let p = CV.softmax(l)
        var r = [Double](repeating: 0, count: p.count), row = r
        do {
            var suffix = r.mutableSpan
            StickBreakingDisARM.suffixSums(p.span, into: &suffix)
        }
        do {
            var out = row.mutableSpan
            StickBreakingDisARM.addLogitCotangent(actions, returns: f, probabilities: p.span, suffix: r.span, scale: 1, into: &out)
        }
        return row
    }

    // MARK: ARM and DisARM by hand

    func testARMAndDisARMHandComputed() {
        // (f₀ − f₁)(u − ½) = (1 − (−2)) (0.3 − 0.5) = −0.6; on the logits (0.6, −0.6).
        XCTAssertEqual(ARM.logitGradient(uniform: 0.3, returns: (1, -2)), -0.6, accuracy: 1e-15)
        let c = ARM.logitCotangent(uniform: 0.3, returns: (1, -2))
        XCTAssertEqual(c.0, 0.6, accuracy: 1e-15)
        XCTAssertEqual(c.1, -0.6, accuracy: 1e-15)
        // Actions (1, 0), returns (4, 1), π₁ = 0.3: ½ · 0.7 · (4 − 1) = 1.05; the symmetric case agrees.
        XCTAssertEqual(DisARM.logitGradient(actions: (1, 0), returns: (4, 1), probabilityOfOne: 0.3), 1.05, accuracy: 1e-15)
        XCTAssertEqual(DisARM.logitGradient(actions: (0, 1), returns: (1, 4), probabilityOfOne: 0.3), 1.05, accuracy: 1e-15)
        XCTAssertEqual(DisARM.logitGradient(actions: (1, 1), returns: (4, 1), probabilityOfOne: 0.3), 0)
    }

    /// E_u[g_ARM] = ∂E[f]/∂φ = π₀π₁ (f(1) − f(0)) exactly: the integrand is (u − ½) times a
    /// constant on each piece where the pair is fixed, integrated in closed form; and on pg's
    /// logits (−g, g) is the finite-difference gradient of E[f] = Σ π_k f_k.
    func testARMMeanIsTheExactGradient() {
        for phi in [-2.0, -0.4, 0.0, 0.7, 3.1] {
            for f in [(0.0, 1.0), (-0.2025, -0.3025), (2.5, -1.0)] {
                let p1 = Self.sigmoid(phi)
                var mean = 0.0
                for piece in Self.binaryPieces(p1: p1) {
                    let values = (piece.actions.0 == 1 ? f.1 : f.0, piece.actions.1 == 1 ? f.1 : f.0)
                    let integral = 0.5 * (piece.hi * piece.hi - piece.lo * piece.lo) - 0.5 * (piece.hi - piece.lo)
                    mean += (values.0 - values.1) * integral
                }
                let exact = p1 * (1 - p1) * (f.1 - f.0)
                XCTAssertEqual(mean, exact, accuracy: 1e-14, "phi \(phi), f \(f)")
                let fd = Self.finiteDifferenceGradient(logits: [0.3, 0.3 + phi], values: [f.0, f.1])
                XCTAssertEqual(-mean, fd[0], accuracy: 1e-8)
                XCTAssertEqual(mean, fd[1], accuracy: 1e-8)
            }
        }
    }

    /// DisARM is ARM's mean given the pair: on each outcome (b, b̃) the exact integral of g_ARM
    /// over the u that give it, divided by its probability, is g_DisARM; and enumerating the
    /// outcomes gives the exact gradient.
    func testDisARMIsARMIntegratedGivenThePair() {
        for phi in [-2.0, -0.4, 0.0, 0.7, 3.1] {
            let p1 = Self.sigmoid(phi), f = (-0.7, 1.3)
            var mean = 0.0
            for piece in Self.binaryPieces(p1: p1) {
                let values = (piece.actions.0 == 1 ? f.1 : f.0, piece.actions.1 == 1 ? f.1 : f.0)
                let integral = 0.5 * (piece.hi * piece.hi - piece.lo * piece.lo) - 0.5 * (piece.hi - piece.lo)
                let armGivenPair = (values.0 - values.1) * integral / (piece.hi - piece.lo)
                let disarm = DisARM.logitGradient(actions: piece.actions, returns: values, probabilityOfOne: p1)
                XCTAssertEqual(disarm, armGivenPair, accuracy: 1e-14, "phi \(phi), pair \(piece.actions)")
                mean += (piece.hi - piece.lo) * disarm
            }
            XCTAssertEqual(mean, p1 * (1 - p1) * (f.1 - f.0), accuracy: 1e-14)
        }
    }

    // MARK: Stick-breaking DisARM

    /// With two actions it is DisARM, outcome by outcome.
    func testStickBreakingWithTwoActionsIsDisARM() {
        let l = [0.4, -0.9], p1 = CV.softmax(l)[1]
        for actions in [(0, 0), (0, 1), (1, 0), (1, 1)] {
            let f = (2.0, -0.5)
            let g = DisARM.logitGradient(actions: actions, returns: f, probabilityOfOne: p1)
            let c = Self.stickBreakingCotangent(logits: l, actions: actions, returns: f)
            XCTAssertEqual(c[0], -g, accuracy: 1e-15, "\(actions)")
            XCTAssertEqual(c[1], g, accuracy: 1e-15, "\(actions)")
        }
    }

    /// Node gradients by hand at π = (0.1, 0.2, 0.3, 0.4), actions (3, 1), returns (2, 5):
    /// m = 1, M = 3; R = (1, 0.9, 0.7, 0.4); node 1: ½ max(0.2, 0.7)/0.9 (5 − 2) = 7/6;
    /// node 2: ½ (2 − 5)(0 − 0.3/0.7) = 9/14; node 0: 0.
    func testStickBreakingNodeGradientsHandComputed() {
        let p = [0.1, 0.2, 0.3, 0.4], r = [1.0, 0.9, 0.7, 0.4]
        let g = (0..<3).map { StickBreakingDisARM.nodeGradient($0, actions: (3, 1), returns: (2, 5), probabilities: p.span, suffix: r.span) }
        XCTAssertEqual(g[0], 0)
        XCTAssertEqual(g[1], 7.0 / 6, accuracy: 1e-14)
        XCTAssertEqual(g[2], 9.0 / 14, accuracy: 1e-14)
    }

    /// The cotangent c_k = g_k − π_k Σ_{i<k} g_i / R_{i+1} is the vector–Jacobian product of the
    /// stick-breaking logits φ_i = l_i − log Σ_{j>i} exp(l_j), checked by finite differences.
    func testStickBreakingChainRuleByFiniteDifferences() {
        let l = [0.3, -1.2, 0.8, 0.1, -0.4]
        func phi(_ x: [Double]) -> [Double] {
            (0..<(x.count - 1)).map { i in x[i] - log(x[(i + 1)...].reduce(0) { $0 + exp($1) }) }
        }
        for actions in [(0, 3), (4, 1), (2, 4), (1, 2)] {
            let f = (1.7, -0.6)
            let p = CV.softmax(l)
            let r = p.indices.map { k in p[k...].reduce(0, +) }
            let g = (0..<(l.count - 1)).map {
                StickBreakingDisARM.nodeGradient($0, actions: actions, returns: f, probabilities: p.span, suffix: r.span)
            }
            let c = Self.stickBreakingCotangent(logits: l, actions: actions, returns: f)
            for k in l.indices {
                var up = l, down = l
                up[k] += 1e-6
                down[k] -= 1e-6
                let d = zip(phi(up), phi(down)).map { ($0 - $1) / 2e-6 }
                XCTAssertEqual(c[k], zip(d, g).reduce(0) { $0 + $1.0 * $1.1 }, accuracy: 1e-8, "k \(k), actions \(actions)")
            }
        }
    }

    /// Its mean over the pair's exact joint law is the exact gradient ∇_l Σ π_k f_k, for several
    /// A, logits and f.
    func testStickBreakingMeanIsTheExactGradient() {
        var rng = RandomStream(seed: 23)
        for a in [2, 3, 4, 6] {
            for _ in 0..<5 {
                let l = (0..<a).map { _ in 4 * rng.nextUniform() - 2 }, f = (0..<a).map { _ in 6 * rng.nextUniform() - 3 }
                let law = Self.pairLaw(CV.softmax(l))
                XCTAssertEqual(law.joined().reduce(0, +), 1, accuracy: 1e-12)
                var mean = [Double](repeating: 0, count: a)
                for i in 0..<a {
                    for j in 0..<a where law[i][j] > 0 {
                        let c = Self.stickBreakingCotangent(logits: l, actions: (i, j), returns: (f[i], f[j]))
                        for k in 0..<a { mean[k] += law[i][j] * c[k] }
                    }
                }
                let exact = Self.exactGradient(logits: l, values: f), fd = Self.finiteDifferenceGradient(logits: l, values: f)
                for k in 0..<a {
                    XCTAssertEqual(mean[k], exact[k], accuracy: 1e-12, "A \(a), k \(k)")
                    XCTAssertEqual(exact[k], fd[k], accuracy: 1e-8)
                }
            }
        }
    }

    // MARK: The sampler

    /// The pair's actions follow the stick-breaking law (each marginal π, jointly `pairLaw`),
    /// within 4.5 standard errors per cell; with A = 2 they are ARM's b = 1[u > σ(−φ)] and
    /// b̃ = 1[u < σ(φ)] for the recorded u.
    func testSamplerDrawsTheStickBreakingPair() {
        for p in [[0.15, 0.35, 0.1, 0.4], [0.8, 0.2], [0.05, 0.9, 0.05]] {
            let a = p.count, n = 40_000, law = Self.pairLaw(p)
            var counts = [[Int]](repeating: [Int](repeating: 0, count: a), count: a)
            var rng = RandomStream(seed: 7).split(UInt64(a))
            p.withUnsafeBufferPointer { pp in
                for _ in 0..<n {
                    let (x, y, u) = AntitheticPairSampler.pair(pp, using: &rng)
                    counts[x][y] += 1
                    if a == 2 {
                        XCTAssertEqual(x, u > p[0] ? 1 : 0)
                        XCTAssertEqual(y, u < p[1] ? 1 : 0)
                    }
                }
            }
            for i in 0..<a {
                for j in 0..<a {
                    let q = law[i][j], se = (q * (1 - q) / Double(n)).squareRoot()
                    XCTAssertEqual(Double(counts[i][j]) / Double(n), q, accuracy: 4.5 * se + 1e-12, "π \(p), (\(i), \(j))")
                }
            }
        }
    }

    func testSamplerRefusesGroupsOtherThanPairs() {
        XCTAssertNil(AntitheticPairSampler().problem(groupSize: 2, actionCount: 5))
        XCTAssertEqual(AntitheticPairSampler().problem(groupSize: 3, actionCount: 2), "draws antithetic pairs, so K must be 2, got K = 3")
    }

    /// Through the rollout on the binary toy at the uniform policy, u and 1 − u fall on opposite
    /// sides of ½, so every pair holds one action of each.
    func testRolloutRecordsTheCoupledUniforms() throws {
        var c = TrainingConfiguration()
        c.episodes = 64
        c.threads = 1
        var session = try DisARM.descriptor.makeSession(environment: Toy(binaryTarget: 0.45),
                                                        policy: TabularPolicy(stateCount: 1, actionCount: 2), configuration: c)
        let r = try session.step()
        // At the uniform policy u and 1 − u fall on opposite sides of ½, so each pair holds both actions.
        XCTAssertEqual(r.meanReturn, (-(0.0 - 0.45) * (0.0 - 0.45) - (1.0 - 0.45) * (1.0 - 0.45)) / 2, accuracy: 1e-12)
    }

    // MARK: Binary estimators need two actions

    func testBinaryEstimatorsRefuseOtherActionCounts() throws {
        var c = TrainingConfiguration()
        c.episodes = 2
        let env = Toy(targets: [0.1, 0.6, 0.3])
        let context = try EstimatorContext(environment: env, configuration: c)
        for d in [ARM.descriptor, DisARM.descriptor] {
            XCTAssertThrowsError(try d.makeEstimator(context: context)) { error in
                let name = d.name == "arm" ? "ARM" : "DisARM"
                XCTAssertEqual("\(error)", "\(d.name) cannot run on toy: \(name) is defined for binary actions (A = 2), and this environment has A = 3")
            }
        }
        XCTAssertNoThrow(try StickBreakingDisARM.descriptor.makeEstimator(context: context))
    }

    // MARK: In episodes

    /// A hand-made pair: coupled at steps 0 and 1 (same states), apart at step 2, episode 1
    /// alone at step 3. DisARM adds 2w γᵗ (−g, g) at the coupled steps and the leave-one-out
    /// REINFORCE term w γᵗ (G_t − G'_t)(e_a − π) elsewhere; ARM uses the recorded u instead.
    func testEpisodesCoupledWhileTogetherThenLeaveOneOut() {
        typealias Step = EpisodeGroupFixture.Step
        let logits: [[Double]] = [[0.2, -0.3], [1.0, 0.0], [-0.5, 0.5]]
        let episodes: [[Step]] = [
            [Step(state: 0, action: 1, reward: 0, record: [0.8, 1]), Step(state: 1, action: 0, reward: 1, record: [0.3, 1]),
             Step(state: 2, action: 1, reward: 2, record: [0.6, 0])],
            [Step(state: 0, action: 0, reward: 0.5, record: [0.2, 1]), Step(state: 1, action: 1, reward: -1, record: [0.7, 1]),
             Step(state: 0, action: 0, reward: 3, record: [0.1, 0]), Step(state: 1, action: 1, reward: 1, record: [0.4, 0])],
        ]
        let gamma = 0.9, w = 0.25
        let fixture = EpisodeGroupFixture(logits: logits, episodes: episodes, gamma: gamma, weight: w, auxiliaryCount: 0)
        let g0 = fixture.returns(0), g1 = fixture.returns(1)
        let p = logits.map(CV.softmax)
        for rule in ["disarm", "arm"] {
            var expected = [Double](repeating: 0, count: 6)
            for t in 0..<2 {
                let s = episodes[0][t].state, a = (episodes[0][t].action, episodes[1][t].action)
                let g = rule == "disarm" ? DisARM.logitGradient(actions: a, returns: (g0[t], g1[t]), probabilityOfOne: p[s][1])
                    : ARM.logitGradient(uniform: episodes[0][t].record[0], returns: (g0[t], g1[t]))
                let scale = 2 * w * pow(gamma, Double(t))
                expected[s * 2] -= scale * g
                expected[s * 2 + 1] += scale * g
            }
            func score(_ s: Int, _ a: Int, _ c: Double) { for k in 0..<2 { expected[s * 2 + k] += c * ((k == a ? 1 : 0) - p[s][k]) } }
            score(2, 1, w * gamma * gamma * (g0[2] - g1[2]))
            score(0, 0, w * gamma * gamma * (g1[2] - g0[2]))
            score(1, 1, w * pow(gamma, 3) * g1[3])
            if rule == "disarm" { fixture.run(AntitheticPairs(rule: DisARM())) } else { fixture.run(AntitheticPairs(rule: ARM())) }
            for (x, y) in zip(fixture.logitCotangents, expected) { XCTAssertEqual(x, y, accuracy: 1e-13, rule) }
        }
    }

    /// A binary MDP whose pairs meet again after they part (three states, stochastic moves,
    /// five steps): ARM, DisARM and stick-breaking DisARM in their episode form pass the
    /// conformance check's zero-bias test against the exact gradient.
    func testEpisodeFormIsUnbiasedOnABinaryMDP() throws {
        let o = { (p: Double, n: Int, r: Double, t: Bool) in Outcome(probability: p, next: n, reward: r, terminated: t) }
        let model = TabularModel(start: [1, 0, 0], outcomes: [
            [[o(0.7, 1, 0, false), o(0.3, 2, 0, false)], [o(0.7, 2, 0.1, false), o(0.3, 1, 0.1, false)]],
            [[o(1, 1, 1, true)], [o(0.6, 0, 0, false), o(0.4, 1, -0.5, true)]],
            [[o(0.5, 0, 0.2, false), o(0.5, 2, 0, true)], [o(0.5, 1, 2, true), o(0.5, 1, 0, false)]],
        ])
        let env = TabularEnvironment(id: "binary-chain", model: model, timeLimit: 5)
        let problem = EstimatorConformance.Problem(name: "binary chain", environment: env, replicates: 3000)
        for d in [ARM.descriptor, DisARM.descriptor, StickBreakingDisARM.descriptor] {
            let report = try EstimatorConformance.check(d, problems: [problem])
            XCTAssertTrue(report.holds, "\(d.name): " + report.measurements.map(EstimatorConformance.Report.describe).joined())
        }
    }

    /// The coupled draws (group streams) and IndeCateR's branches give the same estimates for
    /// one thread and two.
    func testSameEstimatesForAnyThreadCount() throws {
        let env = try EstimatorConformance.problems()[2].environment
        for d in [StickBreakingDisARM.descriptor, IndeCateR.descriptor] {
            func estimates(threads: Int) throws -> [Double] {
                var c = TrainingConfiguration()
                c.episodes = 16
                c.threads = threads
                var session = try d.makeSession(environment: env, policy: TabularPolicy(stateCount: env.stateCount,
                                                actionCount: env.actionCount), configuration: c)
                return try (0..<3).flatMap { try session.estimate(replicate: $0, normalised: false) }
            }
            XCTAssertEqual(try estimates(threads: 1), try estimates(threads: 2), d.name)
        }
    }
}
