import Foundation

/// The coefficients θ_cv = (log τ, η) of REBAR's and RELAX's control variate η f(σ_τ(·)) and
/// how they adapt between batches.
///
/// As published, both descend the variance of the gradient estimator (Tucker, Mnih, Maddison,
/// Lawson & Sohl-Dickstein, "REBAR", NeurIPS 2017, §3.3; Grathwohl, Choi, Wu, Roeder &
/// Duvenaud, "Backpropagation through the Void", ICLR 2018, §3.3): the estimator ĝ is unbiased
/// for every θ_cv, so ∂Var(ĝ)/∂θ_cv = ∂E‖ĝ‖²/∂θ_cv, estimated from the batch's episodes as
/// (1/N) Σ_i 2 ĝ_iᵀ ∂ĝ_i/∂θ_cv, and θ_cv takes one Adam step (`cv_lr`) after each batch, so a
/// batch never uses coefficients fitted to its own draws. The estimators supply the batch's
/// sums: ĝ_i = A_i + η B_i is affine in η, so ∂‖ĝ_i‖²/∂η = 2⟨ĝ_i, B_i⟩ exactly; the log τ
/// part comes from the estimator, exact where f has a Hessian–vector product
/// (``TwiceDifferentiableReward``), else a central difference in log τ (step ``logTauStep``) at
/// the same noise.
///
/// Today's forms stay available: τ on its `tau` schedule (`tau_mode=schedule`), and η from
/// decayed running moments, η* = −Σ⟨A, B⟩/Σ‖B‖² (`eta_mode=moments`), or held at a given `eta`.
public struct ControlVariateScale: Sendable {
    // MARK: Settings

    /// How τ is set.
    public enum TauMode: String, CaseIterable, Sendable {
        /// log τ descends the estimator's variance, from τ_0 (the published form; the default).
        case adapted
        /// τ follows its schedule (`tau`, `tau_min`, `anneal`).
        case schedule
    }
    /// How η adapts when it is not fixed by `eta`.
    public enum EtaMode: String, CaseIterable, Sendable {
        /// η descends the estimator's variance with log τ (the published form; the default).
        case varianceGradient = "variance-gradient"
        /// η = −Σ⟨A, B⟩/Σ‖B‖², the minimiser of the variance from decayed moments.
        case moments
    }
    /// η where adapting starts (the authors' toy code starts at 1).
    public static let initialEta = 1.0
    /// The default learning rate of (log τ, η) (the authors' toy code: Adam at 0.01).
    public static let defaultLearningRate = 0.01
    /// The step in log τ of the central difference that gives ∂ĝ/∂log τ.
    public static let logTauStep = 1e-4

    /// `tau_mode`: adapted (default) or schedule.
    public static let tauModeSetting = Setting(key: "tau_mode", choice: TauMode.adapted.rawValue, among: TauMode.allCases.map(\.rawValue),
                                               help: "rebar's and relax's tau: adapted (descends the estimator's variance, from tau) or schedule (tau, tau_min, anneal)")
    /// `eta`: a fixed η (default: adapted from ``initialEta`` as `eta_mode` says).
    public static let etaSetting = Setting(key: "eta", number: nil,
                                           defaultText: "adapted as eta_mode says, from \(SettingValue.format(initialEta))", placeholder: "E",
                                           help: "rebar's and relax's control-variate scale eta (given: held fixed)")
    /// `eta_mode`: variance-gradient (default) or moments.
    public static let etaModeSetting = Setting(key: "eta_mode", choice: EtaMode.varianceGradient.rawValue, among: EtaMode.allCases.map(\.rawValue),
                                               help: "how rebar's and relax's eta adapts when eta is not given: variance-gradient (Adam, cv_lr) or moments (-Cov(A,B)/Var(B), eta_decay)")
    /// `eta_decay`: decay per batch of the running moments that set η (default 0.99).
    public static let etaDecaySetting = Setting(key: "eta_decay", number: 0.99, placeholder: "B",
                                                help: "decay per batch of the moments that set eta with eta_mode=moments (0: the last batch only)") {
        $0 >= 0 && $0 < 1 ? nil : "must be in [0, 1)"
    }
    /// `cv_lr`: Adam's step size for log τ and η (default ``defaultLearningRate``).
    public static let learningRateSetting = Setting(key: "cv_lr", number: defaultLearningRate, placeholder: "A",
                                                    help: "learning rate of rebar's and relax's log tau and eta (on the estimator's variance)") {
        $0 > 0 ? nil : "must be positive"
    }
    /// The settings, in help order.
    public static let settings = [tauModeSetting, etaSetting, etaModeSetting, etaDecaySetting, learningRateSetting]

    // MARK: State

    /// τ_k, used as is with `schedule`; its initial value starts the adapted τ.
    public let temperature: Schedule
    /// Whether log τ descends the variance.
    public let adaptsTau: Bool
    /// How η is set: nil when fixed.
    public let etaMode: EtaMode?
    /// Adam's step size for (log τ, η).
    public let learningRate: Double
    /// Decay per batch of the running moments (`moments`).
    public let momentDecay: Double
    /// τ of the current batch.
    public private(set) var tau: Double
    /// η of the current batch.
    public private(set) var eta: Double
    /// The running Σ ⟨A, B⟩ and Σ ‖B‖² (decayed) of the batches so far (`moments`).
    public private(set) var crossMoment = 0.0, squareMoment = 0.0
    private var coefficients: [Double]
    private var optimizer = Optimizer(kind: .adam, parameterCount: 2)

    /// Coefficients with the given rules.
    /// - Parameters:
    ///   - temperature: τ's schedule (its initial value starts an adapted τ).
    ///   - adaptsTau: whether log τ descends the variance.
    ///   - eta: a fixed η, or nil to adapt it from ``initialEta`` by `etaMode`.
    ///   - etaMode: how η adapts when not fixed.
    ///   - learningRate: Adam's step size, > 0.
    ///   - momentDecay: the running moments' decay per batch, in [0, 1).
    public init(temperature: Schedule, adaptsTau: Bool, eta: Double?, etaMode: EtaMode, learningRate: Double, momentDecay: Double) {
        self.temperature = temperature
        self.adaptsTau = adaptsTau
        self.etaMode = eta == nil ? etaMode : nil
        self.learningRate = learningRate
        self.momentDecay = momentDecay
        tau = temperature.initial
        self.eta = eta ?? Self.initialEta
        coefficients = [Foundation.log(temperature.initial), self.eta]
    }

    /// The coefficients of `values`.
    /// - Throws: ``InputError`` from the temperature settings.
    public init(settings values: SettingValues) throws {
        self.init(temperature: try Temperature.schedule(values),
                  adaptsTau: values.text(Self.tauModeSetting) == TauMode.adapted.rawValue,
                  eta: values.optionalNumber(Self.etaSetting), etaMode: EtaMode(rawValue: values.text(Self.etaModeSetting))!,
                  learningRate: values.number(Self.learningRateSetting), momentDecay: values.number(Self.etaDecaySetting))
    }

    /// Whether η changes between batches.
    public var adaptsEta: Bool { etaMode != nil }

    /// τ for update `iteration` (the schedule's value, unless τ is adapted).
    public mutating func prepare(iteration: Int) {
        if !adaptsTau { tau = temperature.value(at: iteration) }
    }

    /// τ·e^{±h}, the temperatures of the central difference in log τ.
    public var shiftedTemperatures: (up: Double, down: Double) {
        (tau * Foundation.exp(Self.logTauStep), tau * Foundation.exp(-Self.logTauStep))
    }

    /// ∂/∂η of (1/N) Σ_i ‖A_i + η B_i‖² from (1/N) Σ_i ⟨A_i, B_i⟩ and (1/N) Σ_i ‖B_i‖²: 2(cross + η square).
    /// - Complexity: O(1).
    public static func etaGradient(cross: Double, square: Double, eta: Double) -> Double { 2 * (cross + eta * square) }

    /// η* = −cross/square, the minimiser of Var(A + ηB) from E⟨A, B⟩ and E‖B‖² (nil when
    /// the square moment is 0 or either is not finite).
    /// - Complexity: O(1).
    public static func optimalScale(cross: Double, square: Double) -> Double? {
        guard square > 0, square.isFinite, cross.isFinite else { return nil }
        return -cross / square
    }

    /// Learns from a batch: its (1/N) Σ ⟨A_i, B_i⟩, (1/N) Σ ‖B_i‖² and ∂/∂log τ of (1/N) Σ ‖ĝ_i‖².
    /// Non-finite gradients are skipped (the coefficients stay).
    public mutating func update(cross: Double, square: Double, tauGradient: Double) {
        var gradient = [0.0, 0.0]
        if adaptsTau, tauGradient.isFinite { gradient[0] = -tauGradient }
        switch etaMode {
        case .moments?:
            crossMoment = momentDecay * crossMoment + cross
            squareMoment = momentDecay * squareMoment + square
            if let next = Self.optimalScale(cross: crossMoment, square: squareMoment) { eta = next }
        case .varianceGradient?:
            let g = Self.etaGradient(cross: cross, square: square, eta: eta)
            if g.isFinite { gradient[1] = -g }
        case nil:
            break
        }
        guard gradient != [0, 0] else { return }
        coefficients[1] = eta
        optimizer.step(&coefficients, gradient: gradient, learningRate: learningRate)
        if adaptsTau { tau = Foundation.exp(coefficients[0]) }
        if etaMode == .varianceGradient { eta = coefficients[1] }
    }
}
