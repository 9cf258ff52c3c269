import Foundation
@testable import PolicyGradient

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

// Pointer-based conveniences for the tests, over the library's Span-based requirements.
extension Policy {
    func logits(state: Int, features: FeatureRow, into out: UnsafeMutableBufferPointer<Double>) {
        var span = out.mutableSpan
        logits(state: state, features: features, into: &span)
    }
    func backpropagate(state: Int, features: FeatureRow, logitCotangent c: UnsafeBufferPointer<Double>,
                       into gradient: UnsafeMutableBufferPointer<Double>) {
        var span = gradient.mutableSpan
        backpropagate(state: state, features: features, logitCotangent: c.span, into: &span)
    }
    func logProbabilities(state: Int, features: FeatureRow, into out: UnsafeMutableBufferPointer<Double>) {
        var span = out.mutableSpan
        logProbabilities(state: state, features: features, into: &span)
    }
    func accumulateScore(state: Int, features: FeatureRow, action: Int, scale: Double,
                         into gradient: UnsafeMutableBufferPointer<Double>) {
        var span = gradient.mutableSpan
        accumulateScore(state: state, features: features, action: action, scale: scale, into: &span)
    }
}

extension DifferentiableReward {
    func reward(relaxed x: UnsafeBufferPointer<Double>, state: Int) -> Double { reward(relaxed: x.span, state: state) }
    func rewardGradient(relaxed x: UnsafeBufferPointer<Double>, state: Int, into gradient: UnsafeMutableBufferPointer<Double>) {
        var span = gradient.mutableSpan
        rewardGradient(relaxed: x.span, state: state, into: &span)
    }
}
