import ExampleEnvironments
import Foundation
import PGCommand
import PolicyGradient

// Add `chain` to pg's command line, then run it: `swift run custom-env-example --env chain`.
EnvironmentRegistry.register(name: "chain", description: "slippery 3-state chain walk (worked example)") { _ in
    Chain()
}
exit(PGCommand.main(Array(CommandLine.arguments.dropFirst())))
