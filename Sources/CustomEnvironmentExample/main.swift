import ExampleEnvironments
import Foundation
import PGCommand
import PolicyGradient

// Add `chain` to pg's command line, with its own setting --chain-length, then run it under this
// executable's own name: `swift run custom-env-example --env chain --chain-length 5`.
EnvironmentRegistry.register(name: "chain", description: "slippery chain walk (worked example)",
                             settings: [Chain.lengthSetting]) { options in
    let n = options.settings.integer(Chain.lengthSetting)
    return Chain(length: n, timeLimit: max(4, 2 * (n - 1)))
}
// And estimators of its own: `--estimators state-mean,state-ema,antithetic,ema` in pg train,
// compare and variance; state-ema has a setting, the flag `--state-decay X`.
EstimatorRegistry.register(StateMeanBaseline.descriptor)
EstimatorRegistry.register(StateEMABaseline.descriptor)
EstimatorRegistry.register(AntitheticReinforce.descriptor)
exit(PGCommand.main(Array(CommandLine.arguments.dropFirst()), name: "custom-env-example"))
