// snippet.begin fixed-baseline
import PolicyGradient

/// REINFORCE with a fixed baseline c, written against `GradientEstimator` itself: each step of
/// each episode adds w (G_t − c) ∇log π(a_t|s_t) to the batch's logit cotangents, w = γᵗ/N.
struct FixedBaselineReinforce: GradientEstimator {
    /// `fixed_baseline`, the flag `--fixed-baseline X`.
    static let baselineSetting = Setting(key: "fixed_baseline", number: 0, help: "fixed-baseline's constant c")
    let c: Double

    // The sampler is the default, inversion: actions drawn as REINFORCE draws them.
    func accumulate(_ group: EpisodeGroup, scratch: inout Void, into out: inout LogitCotangents) {
        for j in 0..<group.samples {
            var weight = group.weight                            // 1/N at t = 0
            for t in 0..<group.length(j) {
                out.addScore(state: group.state(j, t), action: group.action(j, t),
                             coefficient: ScoreFunction.coefficient(returnToGo: group.returnToGo(j, t), baseline: c,
                                                                    weight: weight))
                weight *= group.gamma
            }
        }
    }

    var logFields: [String] { ["fixed_baseline"] }             // one more field in every iteration line
    func logValues(of batch: BatchAccumulator) -> EstimatorValues { EstimatorValues(c) }

    static let descriptor = EstimatorDescriptor(
        name: "fixed-baseline", summary: "REINFORCE with a fixed baseline c (contract example)",
        claim: .unbiased, settings: [baselineSetting]) { _, values in FixedBaselineReinforce(c: values.number(baselineSetting)) }
}
// snippet.end

import ExampleEnvironments  // (after the snippet above, which is a file of its own in the article)

/// A session of `state-ema` at decay 0.5 from Swift: the settings an estimator declares, by key.
func stateEMASession() throws -> any TrainingSession {
    EstimatorRegistry.register(StateEMABaseline.descriptor)
    let chain = Chain()
    // snippet.begin spec-with-settings
    let spec = EstimatorSpec("state-ema", settings: SettingValues(["state_decay": .number(0.5)]))
    var session = try spec.makeSession(environment: chain, policy: TabularPolicy(stateCount: chain.stateCount,
                                                                               actionCount: chain.actionCount),
                                       configuration: TrainingConfiguration())
    _ = try session.step()
    // snippet.end
    return session
}
