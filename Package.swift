// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "pg",
    products: [
        .library(name: "PolicyGradient", targets: ["PolicyGradient"]),
        .library(name: "PGCommand", targets: ["PGCommand"]),
        .executable(name: "pg", targets: ["pg"]),
        .executable(name: "custom-env-example", targets: ["CustomEnvironmentExample"]),
    ],
    targets: [
        .target(name: "PolicyGradient"),
        .target(name: "PGCommand", dependencies: ["PolicyGradient"]),
        .executableTarget(name: "pg", dependencies: ["PGCommand"]),
        .target(name: "ExampleEnvironments", dependencies: ["PolicyGradient"]),
        .executableTarget(name: "CustomEnvironmentExample", dependencies: ["ExampleEnvironments", "PGCommand", "PolicyGradient"]),
        .testTarget(name: "PolicyGradientTests", dependencies: ["PolicyGradient"], exclude: ["Fixtures"]),
        .testTarget(name: "PGCommandTests", dependencies: ["PGCommand", "PolicyGradient"], exclude: ["BadInputCorpus", "HelpText"]),
        .testTarget(name: "ExampleTests", dependencies: ["ExampleEnvironments", "PGCommand", "PolicyGradient"]),
        .testTarget(name: "DocumentationTests", dependencies: ["ExampleEnvironments", "PGCommand", "PolicyGradient"],
                    exclude: ["ExamplePackage"]),
    ],
    swiftLanguageModes: [.v6]
)
