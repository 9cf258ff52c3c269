// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "my-envs",
    dependencies: [.package(path: "../pg")],   // or .package(url: "…/pg.git", branch: "main")
    targets: [
        .target(name: "MyEnvironments", dependencies: [.product(name: "PolicyGradient", package: "pg")]),
        .executableTarget(name: "my-pg", dependencies: [
            "MyEnvironments",
            .product(name: "PGCommand", package: "pg"),
            .product(name: "PolicyGradient", package: "pg"),
        ]),
        .testTarget(name: "MyEnvironmentsTests", dependencies: ["MyEnvironments"]),
    ]
)
