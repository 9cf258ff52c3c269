extension SweepAggregate {
    /// The `{"type":"curve"}` lines, one per iteration: for every metric some seed reported,
    /// `METRIC` (mean), `METRIC_se` (standard error of the mean; null with one seed),
    /// `METRIC_n` (seeds), `METRIC_m2` (Σ (x − mean)², Welford's M₂) — the last two make the
    /// file mergeable.
    public var curveLines: [JSONValue] { (0..<curves.iterations).map(curveLine) }

    /// The `{"type":"curve"}` line of iteration `k` (see ``curveLines``), for writing a long
    /// curve one line at a time.
    /// - Precondition: `0 <= k < curves.iterations`.
    public func curveLine(_ k: Int) -> JSONValue {
        var f: [(String, JSONValue)] = [("type", .string("curve")), ("variant", .string(label)), ("iteration", .int(k))]
        for (i, metric) in CurveAccumulator.metrics.enumerated() {
            let m = curves.moments[i * curves.iterations + k]
            guard m.count > 0 else { continue }
            f += [(metric, .double(m.mean)), (metric + "_se", .number(m.count > 1 ? m.standardError : nil)),
                  (metric + "_n", .int(m.count)), (metric + "_m2", .double(m.sumOfSquaredDeviations))]
        }
        return .object(f)
    }

    /// The `{"type":"final"}` line: summary statistics and the per-seed values (with
    /// `optimum`, `area` and the traces' `trace_level`, `trace_episodes`, `trace_steps` and, where
    /// reported, `trace_evaluations` when recorded; NaN is written as null).
    public var finalLine: JSONValue {
        let summary = finalSummary
        var traceFields: [(String, JSONValue)] = []
        if !optima.isEmpty { traceFields.append(("optimum", .array(optima.map { .double($0) }))) }
        if !traces.isEmpty {
            let rows = { (f: (SeedTrace) -> [Double]) in JSONValue.array(self.traces.map { .array(f($0).map { .double($0) }) }) }
            traceFields += [("area", .array(traces.map { .double($0.area) })), ("trace_level", rows(\.level)),
                            ("trace_episodes", rows(\.episodes)), ("trace_steps", rows(\.steps))]
            if traces.allSatisfy({ $0.evaluations != nil }) { traceFields.append(("trace_evaluations", rows { $0.evaluations! })) }
        }
        return .object([
            ("type", .string("final")), ("variant", .string(label)), ("seeds", .int(seeds.count)),
            ("final_mean", .number(seeds.isEmpty ? nil : summary.mean)),
            ("final_se", .number(seeds.count > 1 ? summary.standardError : nil)),
            ("reached_fraction", .number(seeds.isEmpty ? nil : reachedFraction)),
            ("median_iterations_to_threshold", .number(medianIterationsToThreshold)),
            ("seconds", .double(seconds)),
            ("seed_index", .array(seedIndices.map { .int($0) })),
            ("seed", .array(seeds.map { .integer($0) })),
            ("final", .array(finals.map { .double($0) })),
            ("iterations_to_threshold", .array(iterationsToThreshold.map { $0.map { .int($0) } ?? .null })),
        ] + traceFields)
    }

    /// Rebuilds the aggregates of a compare file's lines (other line types are ignored), in
    /// order of first appearance. Every number is range-checked (no conversion can trap): counts
    /// and indices are exact non-negative integers, seeds exact `UInt64`s, means finite.
    /// - Parameters:
    ///   - lines: the file's values.
    ///   - lineNumbers: their 1-based line numbers in the file, for errors (nil: unknown).
    ///   - iterations: the curve length (the config line's `iterations`); at most one per line
    ///     of the file, since every iteration has a curve line.
    ///   - file: names the file in errors.
    /// - Throws: ``InputError`` for a missing, malformed or out-of-range field, naming the key
    ///   (and the file and line).
    public static func read(_ lines: [JSONValue], lineNumbers: [Int]? = nil, iterations: Int,
                            file: String? = nil) throws -> [SweepAggregate] {
        precondition(lineNumbers == nil || lineNumbers!.count == lines.count, "one line number per line")
        guard iterations >= 0, iterations <= lines.count else {
            throw InputError("malformed compare file: \"iterations\" is \(iterations) but the file has \(lines.count) lines",
                             file: file)
        }
        var order: [String] = []
        var curves: [String: CurveAccumulator] = [:]
        var finals: [String: (JSONValue, Int?)] = [:]
        for (n, line) in lines.enumerated() {
            let number = lineNumbers?[n]
            guard let type = line["type"]?.stringValue, type == "curve" || type == "final" else { continue }
            guard let label = line["variant"]?.stringValue else {
                throw InputError("malformed compare file: a \(type) line without \"variant\"", file: file, line: number)
            }
            if curves[label] == nil { order.append(label); curves[label] = CurveAccumulator(iterations: iterations) }
            if type == "final" { finals[label] = (line, number); continue }
            try readCurve(line, into: &curves[label]!, file: file, line: number)
        }
        return try order.map { label in
            guard let (f, number) = finals[label] else {
                throw InputError("malformed compare file: no final line for '\(label)'", file: file)
            }
            return try aggregate(label: label, curves: curves[label]!, final: f, file: file, line: number)
        }
    }

    /// The largest per-iteration seed count read back (2^31 − 1): far beyond any sweep, and
    /// small enough that merging any number of files cannot overflow a count.
    public static let maximumCount = Int(Int32.max)

    /// Adds one `{"type":"curve"}` line's moments to `curves`.
    static func readCurve(_ line: JSONValue, into curves: inout CurveAccumulator, file: String?, line number: Int?) throws {
        let k = try line.int("iteration", in: 0...Int.max, file: file, line: number)
        guard k < curves.iterations else {
            throw InputError("\"iteration\" must be below the config line's \"iterations\" (\(curves.iterations)), got \(k)",
                             file: file, line: number)
        }
        for metric in CurveAccumulator.metrics where !line.isAbsent(metric + "_n") {
            let n = try line.int(metric + "_n", in: 0...maximumCount, file: file, line: number)
            guard n > 0 else { continue }
            let mean = try line.finiteDouble(metric, file: file, line: number)
            let m2 = try line.finiteDouble(metric + "_m2", file: file, line: number)
            guard m2 >= 0 else {
                throw InputError("\"\(metric)_m2\" must be >= 0 (a sum of squares), got \(m2)", file: file, line: number)
            }
            curves.merge(RunningMoments(count: n, mean: mean, sumOfSquaredDeviations: m2), metric: metric, iteration: k)
        }
    }

    static func aggregate(label: String, curves: CurveAccumulator, final f: JSONValue,
                          file: String?, line: Int?) throws -> SweepAggregate {
        func array(_ key: String) throws -> [JSONValue] {
            guard case let .array(items) = try f.required(key, file: file, line: line) else {
                throw JSONValue.mismatch(key, "an array", f[key], file: file, line: line)
            }
            return items
        }
        func element(_ key: String, _ i: Int) -> String { "\(key)[\(i)]" }
        let indices = try array("seed_index").enumerated().map {
            try $1.asInt(in: 0...Int.max, name: element("seed_index", $0), file: file, line: line)
        }
        let seeds = try array("seed").enumerated().map { try $1.asUInt64(name: element("seed", $0), file: file, line: line) }
        let finals = try array("final").enumerated().map { i, v in
            v == .null ? .nan : try v.asFiniteDouble(name: element("final", i), file: file, line: line)
        }
        let hits = try array("iterations_to_threshold").enumerated().map { i, v in
            v == .null ? nil : try v.asInt(in: 0...Int.max, name: element("iterations_to_threshold", i), file: file, line: line)
        }
        guard seeds.count == indices.count, finals.count == indices.count, hits.count == indices.count else {
            throw InputError("malformed compare file: the per-seed arrays of '\(label)' have different lengths",
                             file: file, line: line)
        }
        guard Set(indices).count == indices.count else {
            throw InputError("malformed compare file: a seed_index appears twice in '\(label)'", file: file, line: line)
        }
        let seconds = f.isAbsent("seconds") ? 0 : try f.finiteDouble("seconds", file: file, line: line)
        let (traces, optima) = try readTraces(f, label: label, seeds: seeds.count, iterations: curves.iterations,
                                              file: file, line: line)
        return SweepAggregate(label: label, curves: curves, seedIndices: indices, seeds: seeds, finals: finals,
                              iterationsToThreshold: hits, traces: traces, optima: optima, seconds: seconds)
    }

    /// The per-seed traces and optima of a final line (empty where absent: files of earlier versions).
    static func readTraces(_ f: JSONValue, label: String, seeds n: Int, iterations: Int, file: String?,
                           line: Int?) throws -> ([SeedTrace], [Double]) {
        func numbers(_ v: JSONValue, _ name: String) throws -> [Double] {
            guard case let .array(items) = v else { throw JSONValue.mismatch(name, "an array", v, file: file, line: line) }
            return try items.enumerated().map { i, x in x == .null ? .nan : try x.asFiniteDouble(name: "\(name)[\(i)]", file: file, line: line) }
        }
        func rows(_ key: String) throws -> [[Double]]? {
            guard !f.isAbsent(key) else { return nil }
            guard case let .array(items) = try f.required(key, file: file, line: line) else {
                throw JSONValue.mismatch(key, "an array", f[key], file: file, line: line)
            }
            return try items.enumerated().map { try numbers($1, "\(key)[\($0)]") }
        }
        let optima = f.isAbsent("optimum") ? [] : try numbers(try f.required("optimum", file: file, line: line), "optimum")
        let width = SeedTrace.checkpoints(iterations: iterations).count
        guard let level = try rows("trace_level"), let episodes = try rows("trace_episodes"), let steps = try rows("trace_steps"),
              !f.isAbsent("area") else { return ([], optima.count == n ? optima : []) }
        let area = try numbers(try f.required("area", file: file, line: line), "area")
        let evaluations = try rows("trace_evaluations")
        guard [level.count, episodes.count, steps.count, area.count].allSatisfy({ $0 == n }), evaluations.map({ $0.count == n }) ?? true,
              (level + episodes + steps + (evaluations ?? [])).allSatisfy({ $0.count == width }), optima.isEmpty || optima.count == n else {
            throw InputError("malformed compare file: the traces of '\(label)' do not have one row of \(width) values per seed",
                             file: file, line: line)
        }
        let traces = (0..<n).map {
            SeedTrace(level: level[$0], episodes: episodes[$0], steps: steps[$0], evaluations: evaluations?[$0], area: area[$0])
        }
        return (traces, optima)
    }
}
