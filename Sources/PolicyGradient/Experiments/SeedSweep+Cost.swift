import Dispatch

extension SeedSweep {
    /// Seconds one update of `variant` takes, measured the way ``run(_:seeds:threads:threshold:measureGradientError:usesKernels:environment:progress:)``
    /// would run it (through the gradient bandit's lockstep where that applies, else
    /// through the trainer), on one seed and one thread: after one update that is not timed (it
    /// pays for first-time costs), `updates` updates. Progress bars weight each variant's
    /// seed × update by it, so that an ETA covers estimators of very different costs.
    /// - Parameters:
    ///   - variant: the variant.
    ///   - seed: the seed to measure on.
    ///   - measureGradientError: whether the sweep records ‖ĝ − ∇J‖² (an exact gradient per update).
    ///   - usesKernels: whether the sweep may use the gradient bandit's lockstep.
    ///   - environment: builds the seed's environment.
    ///   - updates: the updates timed (at least 1).
    /// - Returns: seconds per update, positive.
    /// - Throws: the error of building the session or of an update.
    public static func secondsPerUpdate(_ variant: SweepVariant, seed: UInt64, measureGradientError: Bool = false,
                                        usesKernels: Bool = true, environment: (UInt64) throws -> any Environment,
                                        updates: Int = 4) throws -> Double {
        let n = max(1, updates)
        var session = try variant.makeSession(environment: try environment(seed), seed: seed)
        session.measuresGradientError = measureGradientError
        let start: UInt64
        if usesKernels, let seedState = (session as? ErasedSession)?.makeKernel() {
            var lockstep = BanditLockstep<Double>(seeds: [seedState])
            defer { lockstep.deallocate() }
            _ = try lockstep.update(iteration: 0)
            start = DispatchTime.now().uptimeNanoseconds
            for k in 1...n { _ = try lockstep.update(iteration: k) }
        } else {
            _ = try session.step()
            start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<n { _ = try session.step() }
        }
        return max(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(n), 1e-9)
    }
}
