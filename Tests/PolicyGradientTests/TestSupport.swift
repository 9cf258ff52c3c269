import Foundation
import PolicyGradient

/// The repository's root (this file is Tests/PolicyGradientTests/TestSupport.swift).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The shipped `envs/`.
let shippedEnvs = repositoryRoot.appendingPathComponent("envs").path

/// Gymnasium's reference tables for the tests.
let gymFixtures = repositoryRoot.appendingPathComponent("Tests/PolicyGradientTests/Fixtures/gym")

/// Environment options that find the shipped files.
let testEnvironmentOptions: EnvironmentOptions = {
    var o = EnvironmentOptions()
    o.directories = [shippedEnvs]
    return o
}()
