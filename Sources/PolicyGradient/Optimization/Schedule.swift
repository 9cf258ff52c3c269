import Foundation

/// A schedule for a positive quantity over iterations k: constant, or
/// x_k = max(x_min, x₀ · exp(−r k)) (used for the learning rate and the temperature τ).
public struct Schedule: Sendable, Equatable {
    /// x₀.
    public var initial: Double
    /// x_min.
    public var minimum: Double
    /// r ≥ 0 (0 = constant).
    public var rate: Double

    /// A decaying schedule without a `minimum` stops at `initial` divided by this (10).
    public static let defaultFloorDivisor = 10.0

    /// How the default floor reads in help, for the quantity `name`: `lr/10 when decaying`.
    public static func defaultFloorText(of name: String, when changing: String) -> String {
        "\(name)/\(SettingValue.format(defaultFloorDivisor)) when \(changing)"
    }

    /// Creates a schedule. Without a `minimum`, a decaying schedule stops at `initial` divided
    /// by ``defaultFloorDivisor`` (a constant one never moves).
    public init(initial: Double, minimum: Double? = nil, rate: Double = 0) {
        self.initial = initial
        self.minimum = minimum ?? (rate > 0 ? initial / Self.defaultFloorDivisor : initial)
        self.rate = rate
    }

    /// x_k.
    public func value(at k: Int) -> Double {
        rate == 0 ? initial : max(minimum, initial * exp(-rate * Double(k)))
    }
}
