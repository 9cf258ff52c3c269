// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "pg",
    products: [
        .library(name: "PolicyGradient", targets: ["PolicyGradient"]),
        .library(name: "PGCommand", targets: ["PGCommand"]),
        .executable(name: "pg", targets: ["pg"]),
    ],
    targets: [
        .target(name: "PolicyGradient"),
        .target(name: "PGCommand", dependencies: ["PolicyGradient"]),
        .executableTarget(name: "pg", dependencies: ["PGCommand"]),
        .testTarget(name: "PolicyGradientTests", dependencies: ["PolicyGradient"], exclude: ["Fixtures"]),
        .testTarget(name: "PGCommandTests", dependencies: ["PGCommand", "PolicyGradient"]),
    ],
    swiftLanguageModes: [.v5]
)
