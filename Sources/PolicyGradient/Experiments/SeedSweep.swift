import Dispatch
import Foundation
import Synchronization

/// What a sweep of one variant over many seeds measured, aggregated in memory.
public struct SweepResult: Sendable {
    /// The variant's label.
    public var label: String
    /// Seeds run.
    public var seeds: [UInt64]
    /// Learning curves summed over seeds.
    public var curves: CurveAccumulator
    /// Final exact J (or final mean return when J is unknown) per seed, in seed order.
    public var finals: [Double]
    /// First iteration at which each seed's exact J (or mean return) reached the threshold (nil: never).
    public var iterationsToThreshold: [Int?]
    /// Each seed's trace (level and cost at checkpoints, area under the curve), in seed order.
    public var traces: [SeedTrace] = []
    /// Each seed's finite-horizon optimum J* (NaN where the dynamics are unknown), in seed order.
    public var optima: [Double] = []
    /// Wall-clock seconds.
    public var seconds: Double
    /// Whether ``Cancellation`` stopped the sweep early: then ``seeds`` holds only the seeds
    /// that ran every iteration (a seed stopped part-way is left out of every result).
    public var interrupted = false
}

/// Runs one variant for many seeds in parallel and aggregates the curves in memory.
///
/// Seeds are split into fixed chunks (independent of the thread count); each chunk folds its
/// seeds' records into its own ``CurveAccumulator`` and the chunks are merged in order, so the
/// result is identical for any `threads`. No file is written per seed.
///
/// The sweep polls ``Cancellation`` before every seed and every 64 updates: on a request it
/// abandons the seeds it is on and returns the seeds that completed (``SweepResult/interrupted``).
/// A seed's values join the curves only once it completed, in seed order, so the curves of the
/// completed seeds are exactly those a sweep of just those seeds would give.
public enum SeedSweep {
    /// The most chunks a sweep's seeds are split into.
    public static let maximumChunks = 64

    /// Runs `variant` for every seed.
    /// - Parameters:
    ///   - environment: builds the environment for a seed (bandit10 draws its q* per seed).
    ///   - threshold: J (or return) level for "iterations to threshold", if any.
    ///   - measureGradientError: also record ‖ĝ − ∇J‖² each update (costs an exact gradient).
    ///   - usesKernels: run each seed of the gradient bandit's shape as one loop
    ///     (``GradientBanditKernel``), two seeds of a chunk at a time in lockstep where they
    ///     agree in shape; the same numbers either way, which the tests check.
    ///   - progress: called now and then (from any thread) with the number of updates done so
    ///     far over all seeds.
    /// - Throws: the first error building an environment or a trainer, or of a rollout.
    public static func run(_ variant: SweepVariant, seeds: [UInt64], threads: Int, threshold: Double? = nil,
                           measureGradientError: Bool = false, usesKernels: Bool = true,
                           environment: @escaping @Sendable (UInt64) throws -> any Environment,
                           progress: (@Sendable (Int) -> Void)? = nil) throws -> SweepResult {
        let started = Date()
        let iterations = variant.configuration.iterations
        let chunks = max(1, min(seeds.count, maximumChunks))
        let per = (seeds.count + chunks - 1) / chunks
        // Each chunk writes only its own slot, and the slots are read after the workers join.
        nonisolated(unsafe) let parts = UnsafeMutablePointer<ChunkResult>.allocate(capacity: chunks)
        parts.initialize(repeating: ChunkResult(iterations: iterations), count: chunks)
        defer { parts.deinitialize(count: chunks); parts.deallocate() }
        let workers = max(1, min(threads, chunks))
        let firstError = Mutex<(any Error)?>(nil)
        let counter = ProgressCounter(report: progress)
        let body = { @Sendable (c: Int) in
            do {
                let mine = Array(seeds[min(seeds.count, c * per)..<min(seeds.count, (c + 1) * per)])
                parts[c] = try runChunk(variant, seeds: mine, threshold: threshold, measure: measureGradientError,
                                        kernels: usesKernels, environment: environment, counter: counter)
            } catch {
                firstError.withLock { if $0 == nil { $0 = error } }
            }
        }
        if workers == 1 {
            for c in 0..<chunks { body(c) }
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var c = w
                while c < chunks { body(c); c += workers }
            }
        }
        if let error = firstError.withLock({ $0 }) { throw error }
        var curves = CurveAccumulator(iterations: iterations)
        var finals: [Double] = [], hits: [Int?] = [], done: [UInt64] = [], interrupted = false
        var traces: [SeedTrace] = [], optima: [Double] = []
        for c in 0..<chunks {
            curves.merge(parts[c].curves)
            finals += parts[c].finals
            hits += parts[c].hits
            traces += parts[c].traces
            optima += parts[c].optima
            done += parts[c].seeds
            interrupted = interrupted || parts[c].interrupted
        }
        return SweepResult(label: variant.label, seeds: done, curves: curves, finals: finals,
                           iterationsToThreshold: hits, traces: traces, optima: optima,
                           seconds: Date().timeIntervalSince(started), interrupted: interrupted)
    }

    struct ChunkResult {
        var curves: CurveAccumulator
        var seeds: [UInt64] = []
        var finals: [Double] = []
        var hits: [Int?] = []
        var traces: [SeedTrace] = []
        var optima: [Double] = []
        var interrupted = false
        init(iterations: Int) { curves = CurveAccumulator(iterations: iterations) }
    }

    static func runChunk(_ v: SweepVariant, seeds: [UInt64], threshold: Double?, measure: Bool, kernels: Bool,
                         environment: (UInt64) throws -> any Environment, counter: ProgressCounter) throws -> ChunkResult {
        let iterations = v.configuration.iterations
        var out = ChunkResult(iterations: iterations)
        var values = CurveAccumulator.SeedValues(iterations: iterations)
        var pairValues: CurveAccumulator.SeedValues?  // the second seed of a lockstep pair
        /// Adds a completed seed's values and outcome.
        func add(_ seed: UInt64, _ o: LockstepOutcome, _ values: CurveAccumulator.SeedValues, optimum: Double?) {
            out.curves.add(values)
            out.seeds.append(seed)
            out.finals.append(o.finalJ)
            out.hits.append(o.hit)
            out.traces.append(SeedTrace.oneStep(values, iterations: iterations, episodes: v.configuration.episodes,
                                                exact: optimum != nil))
            out.optima.append(optimum ?? .nan)
            counter.add(iterations & 63)
        }
        var index = 0
        while index < seeds.count {
            let seed = seeds[index]
            index += 1
            if Cancellation.isRequested { out.interrupted = true; break }
            var session = try v.makeSession(environment: try environment(seed), seed: seed)
            session.measuresGradientError = measure
            var hit: Int?
            var lastMeanReturn: Double?
            let exactKnown = session.exactJSchedule != nil
            if kernels, let first = (session as? ErasedSession)?.makeKernel() {
                // The gradient bandit's seeds, two at a time in SIMD lanes when the next seed is of
                // the same shape: the same update, the same numbers, without the per-update
                // machinery of a general trainer.
                let secondSession = index < seeds.count && !measure
                    ? try v.makeSession(environment: try environment(seeds[index]), seed: seeds[index]) : nil
                if let second = (secondSession as? ErasedSession)?.makeKernel(), BanditSeed.canShareLanes(first, second) {
                    if pairValues == nil { pairValues = CurveAccumulator.SeedValues(iterations: iterations) }
                    var lockstep = BanditLockstep<SIMD2<Double>>(seeds: [first, second])
                    let o = runLockstep(&lockstep, iterations: iterations, threshold: threshold, into: &values, &pairValues!,
                                        counter: counter)
                    guard o[0].completed else { out.interrupted = true; break }
                    add(seed, o[0], values, optimum: session.optimalJ)
                    add(seeds[index], o[1], pairValues!, optimum: secondSession?.optimalJ)
                    index += 1
                    continue
                }
                var lockstep = BanditLockstep<Double>(seeds: [first])
                var unused = values
                let o = runLockstep(&lockstep, iterations: iterations, threshold: threshold, into: &values, &unused, counter: counter)
                guard o[0].completed else { out.interrupted = true; break }
                add(seed, o[0], values, optimum: session.optimalJ)
                continue
            }
            values.clear()  // (a lockstep writes every value of every update)
            var trace = SeedTrace.Recorder(iterations: iterations)
            for k in 0..<iterations {
                if k & 63 == 63 {
                    counter.add(64)
                    if Cancellation.isRequested { out.interrupted = true; break }
                }
                let r = try session.step()
                values.record(r)
                trace.record(r, exact: exactKnown)
                // Exact J where the dynamics are known (on the updates that carry it), else the mean return.
                let level = exactKnown ? r.exactJ : r.meanReturn
                if hit == nil, let t = threshold, let level, level >= t { hit = r.iteration }
                lastMeanReturn = r.meanReturn
            }
            if out.interrupted { break }  // this seed did not complete: leave it out
            out.curves.add(values)
            out.seeds.append(seed)
            out.finals.append(session.exactJ() ?? lastMeanReturn ?? .nan)
            out.hits.append(hit)
            out.traces.append(trace.finish())
            out.optima.append(session.optimalJ ?? .nan)
            counter.add(iterations & 63)
        }
        return out
    }
}

/// What a seed run in lockstep ended with: whether it completed every update, the first
/// update whose exact J reached the threshold, and exact J after the last update.
struct LockstepOutcome {
    var completed = true
    var hit: Int?
    var finalJ = Double.nan
}

extension SeedSweep {
    /// Runs `iterations` updates of the seeds of `lockstep` (``UpdateStages/update(iteration:)``),
    /// holding each update's curve values in the seeds' buffers (lane 0 in `values`, lane 1 in
    /// `second`) as ``CurveAccumulator/SeedValues/record(_:)`` holds a record's; polls
    /// ``Cancellation`` every 64 updates, as the general loop does, and reports progress.
    /// - Complexity: O(iterations · A); allocates nothing per update.
    static func runLockstep<L: Lanes>(_ lockstep: inout BanditLockstep<L>, iterations: Int, threshold: Double?,
                                      into values: inout CurveAccumulator.SeedValues, _ second: inout CurveAccumulator.SeedValues,
                                      counter: ProgressCounter) -> [LockstepOutcome] {
        // A local copy for the loop (its fields then live in registers), the only one used.
        var ls = lockstep
        defer { ls.deallocate() }
        var hits = (Int?.none, Int?.none), completed = true
        let metrics = CurveAccumulator.metrics.count, two = L.laneCount > 1
        values.withUnsafeMutableValues { v0 in
            second.withUnsafeMutableValues { v1 in
                var rows = (v0.baseAddress!, v1.baseAddress!)
                // A copy local to this closure (its fields then live in registers: `ls` itself is
                // captured by the closures), stored back after the loop.
                var lockstep = ls
                defer { ls = lockstep }
                for k in 0..<iterations {
                    if k & 63 == 63 {
                        counter.add(64 * L.laneCount)
                        if Cancellation.isRequested { completed = false; break }
                    }
                    // The stages cannot throw here: a bandit's states are always in range.
                    guard let m = try? lockstep.update(iteration: k) else { preconditionFailure("a bandit's update cannot fail") }
                    /// Lane l's curve values at update k (as SeedValues.record lays out a record).
                    @inline(__always) func write(_ row: UnsafeMutablePointer<Double>, _ l: Int) {
                        row[0] = m.meanReturn[lane: l]
                        row[1] = m.exactJ[lane: l]
                        row[2] = m.optimalAction[lane: l]
                        row[3] = m.gradientNorm[lane: l]
                        row[4] = .nan
                        row[5] = m.entropy[lane: l]
                    }
                    write(rows.0, 0)
                    rows.0 += metrics
                    if two {
                        write(rows.1, 1)
                        rows.1 += metrics
                    }
                    if let threshold {
                        if hits.0 == nil, m.exactJ[lane: 0] >= threshold { hits.0 = k }
                        if two, hits.1 == nil, m.exactJ[lane: 1] >= threshold { hits.1 = k }
                    }
                }
            }
        }
        var outcomes = [LockstepOutcome(completed: completed, hit: hits.0)]
        if two { outcomes.append(LockstepOutcome(completed: completed, hit: hits.1)) }
        guard outcomes[0].completed else { return outcomes }
        let j = ls.finalExactJ()
        for l in 0..<L.laneCount { outcomes[l].finalJ = j[lane: l] }
        return outcomes
    }
}

/// Updates done so far over the threads of a sweep, reported to a progress callback.
final class ProgressCounter: @unchecked Sendable {
    private let done = Atomic<Int>(0)
    private let report: (@Sendable (Int) -> Void)?

    init(report: (@Sendable (Int) -> Void)?) { self.report = report }

    /// Adds `n` updates and reports the total.
    func add(_ n: Int) {
        guard let report, n > 0 else { return }
        report(done.add(n, ordering: .relaxed).newValue)
    }
}
