import PGCommand
import Foundation
exit(PGCommand.main(Array(CommandLine.arguments.dropFirst())))
