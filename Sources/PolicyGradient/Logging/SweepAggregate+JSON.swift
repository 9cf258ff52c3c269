extension SweepAggregate {
    /// The `{"type":"curve"}` lines, one per iteration: for every metric some seed reported,
    /// `METRIC` (mean), `METRIC_se` (standard error of the mean; null with one seed),
    /// `METRIC_n` (seeds), `METRIC_m2` (Σ (x − mean)², Welford's M₂) — the last two make the
    /// file mergeable.
    public var curveLines: [JSONValue] {
        (0..<curves.iterations).map { k in
            var f: [(String, JSONValue)] = [("type", .string("curve")), ("variant", .string(label)), ("iteration", .int(k))]
            for metric in CurveAccumulator.metrics {
                let m = curves.summaries(metric)[k]
                guard m.count > 0 else { continue }
                f += [(metric, .double(m.mean)), (metric + "_se", .number(m.count > 1 ? m.standardError : nil)),
                      (metric + "_n", .int(m.count)), (metric + "_m2", .double(m.sumOfSquaredDeviations))]
            }
            return .object(f)
        }
    }

    /// The `{"type":"final"}` line: summary statistics and the per-seed values.
    public var finalLine: JSONValue {
        let summary = finalSummary
        return .object([
            ("type", .string("final")), ("variant", .string(label)), ("seeds", .int(seeds.count)),
            ("final_mean", .number(seeds.isEmpty ? nil : summary.mean)),
            ("final_se", .number(seeds.count > 1 ? summary.standardError : nil)),
            ("reached_fraction", .number(seeds.isEmpty ? nil : reachedFraction)),
            ("median_iterations_to_threshold", .number(medianIterationsToThreshold)),
            ("seconds", .double(seconds)),
            ("seed_index", .array(seedIndices.map { .int($0) })),
            ("seed", .array(seeds.map { $0 <= UInt64(Int.max) ? .int(Int($0)) : .string(String($0)) })),
            ("final", .array(finals.map { .double($0) })),
            ("iterations_to_threshold", .array(iterationsToThreshold.map { $0.map { .int($0) } ?? .null })),
        ])
    }

    /// Rebuilds the aggregates of a compare file's lines (other line types are ignored), in
    /// order of first appearance.
    /// - Parameters:
    ///   - lines: the file's values.
    ///   - iterations: the curve length (the config line's `iterations`).
    ///   - file: names the file in errors.
    /// - Throws: ``InputError`` for a missing or malformed field.
    public static func read(_ lines: [JSONValue], iterations: Int, file: String? = nil) throws -> [SweepAggregate] {
        var order: [String] = []
        var curves: [String: CurveAccumulator] = [:]
        var finals: [String: JSONValue] = [:]
        func fail(_ what: String) -> InputError { InputError("malformed compare file: \(what)", file: file) }
        for line in lines {
            guard let type = line["type"]?.stringValue, type == "curve" || type == "final" else { continue }
            guard let label = line["variant"]?.stringValue else { throw fail("a \(type) line without \"variant\"") }
            if curves[label] == nil { order.append(label); curves[label] = CurveAccumulator(iterations: iterations) }
            if type == "final" { finals[label] = line; continue }
            guard let k = line["iteration"]?.doubleValue.map(Int.init), k >= 0, k < iterations else {
                throw fail("a curve line of '\(label)' without a valid \"iteration\"")
            }
            for metric in CurveAccumulator.metrics {
                guard let n = line[metric + "_n"]?.doubleValue.map(Int.init), n > 0 else { continue }
                guard let mean = line[metric]?.doubleValue, let m2 = line[metric + "_m2"]?.doubleValue else {
                    throw fail("\(metric) of '\(label)' at iteration \(k) lacks its mean or \(metric)_m2")
                }
                curves[label]!.merge(RunningMoments(count: n, mean: mean, sumOfSquaredDeviations: m2), metric: metric, iteration: k)
            }
        }
        return try order.map { label in
            guard let f = finals[label] else { throw fail("no final line for '\(label)'") }
            return try aggregate(label: label, curves: curves[label]!, final: f, fail: fail)
        }
    }

    static func aggregate(label: String, curves: CurveAccumulator, final f: JSONValue,
                          fail: (String) -> InputError) throws -> SweepAggregate {
        func array(_ key: String) throws -> [JSONValue] {
            guard case let .array(items)? = f[key] else { throw fail("the final line of '\(label)' lacks \"\(key)\"") }
            return items
        }
        let indices = try array("seed_index").map { v -> Int in
            guard let x = v.doubleValue else { throw fail("a non-numeric seed_index") }
            return Int(x)
        }
        let seeds = try array("seed").map { v -> UInt64 in
            if case let .int(i) = v, i >= 0 { return UInt64(i) }
            if let s = v.stringValue, let u = UInt64(s) { return u }
            throw fail("a malformed seed")
        }
        let finals = try array("final").map { $0.doubleValue ?? .nan }
        let hits = try array("iterations_to_threshold").map { $0.doubleValue.map(Int.init) }
        guard seeds.count == indices.count, finals.count == indices.count, hits.count == indices.count else {
            throw fail("the per-seed arrays of '\(label)' have different lengths")
        }
        return SweepAggregate(label: label, curves: curves, seedIndices: indices, seeds: seeds, finals: finals,
                              iterationsToThreshold: hits, seconds: f["seconds"]?.doubleValue ?? 0)
    }
}
