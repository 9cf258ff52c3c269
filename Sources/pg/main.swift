import Foundation
import PGCommand

exit(PGCommand.main(Array(CommandLine.arguments.dropFirst())))
