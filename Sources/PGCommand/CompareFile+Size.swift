import PolicyGradient

extension CompareFile {
    /// The most bytes a compare file of these variants can take (see ``LogSize``): its config
    /// line (with room for a merge's `merged_from` and `missing_shards` of `shards` files),
    /// per variant `iterations` curve lines carrying `metrics` and one final line of `seeds`
    /// seeds, and the summary. Every line's bound comes from a template line written by the
    /// writer's own code, every number at its widest.
    /// - Complexity: O(variants + seeds-independent template sizes); allocates no per-seed data.
    static func sizeBound(config: JSONValue, labels: [String], metrics: [String], iterations: Int, seeds: Int,
                          shards: Int) -> Double {
        var total = Double(LogSize.lineBound(config)) + Double(shards) * 4200 + 100  // merged_from: shards paths
        var curves = CurveAccumulator(iterations: 1)
        for m in metrics { curves.merge(RunningMoments(count: 1, mean: 0, sumOfSquaredDeviations: 0), metric: m, iteration: 0) }
        // Per seed: seed_index, seed, final and iterations_to_threshold, each at its widest, and commas.
        let perSeed = digits(max(seeds - 1, 0)) + 20 + LogSize.numberWidth + max(4, digits(max(iterations - 1, 0))) + 4
        for label in labels {
            let one = SweepAggregate(label: label, curves: curves, seedIndices: [0], seeds: [0], finals: [0],
                                     iterationsToThreshold: [0], seconds: 0)
            var file = CompareFile(path: "", config: config, aggregates: [one])
            file.timings[label] = Timing(started: 0, finished: 0, shardSecondsSum: 0)
            total += Double(iterations) * Double(LogSize.lineBound(one.curveLine(0)))
            total += Double(LogSize.lineBound(file.finalLine(one))) + Double(max(seeds - 1, 0)) * Double(perSeed)
        }
        return total + Double(LogSize.lineBound(.object([("type", .string("summary")), ("status", .string("interrupted"))])))
    }

    /// Decimal digits of a non-negative integer.
    static func digits(_ n: Int) -> Int { String(n).count }
}

extension CompareCommand {
    /// What pg compare writes, pg reads back: refuses a file whose size bound
    /// (``CompareFile/sizeBound(config:labels:metrics:iterations:seeds:shards:)``, with every
    /// seed of the sweep, as the merge of its shards holds them) exceeds the limit of the JSONL
    /// readers (`pg plot`, `pg rerun`, `pg compare --merge`), naming the flags that make it large.
    static func checkSize(labels: [String], metrics: [String], config: JSONValue, iterations: Int, seeds: Int, shards: Int,
                          flags: String) throws {
        let bound = CompareFile.sizeBound(config: config, labels: labels, metrics: metrics, iterations: iterations, seeds: seeds,
                                          shards: shards)
        try LogSize.check(bound, what: "\(flags): the compare file of \(counted(labels.count, "variant")) x "
                            + "\(counted(iterations, "iteration")) x \(counted(seeds, "seed"))",
                          limit: JSONLReader.maximumFileSize, readers: "pg plot, pg rerun and pg compare --merge",
                          remedy: "give fewer variants (estimators, values of listed settings, learning rates), iterations or seeds")
    }

    /// ``checkSize(labels:metrics:config:iterations:seeds:shards:flags:)`` of a file about to be
    /// written (a merge), its metrics those its curves hold.
    static func checkSize(_ file: CompareFile, _ a: Arguments) throws {
        let metrics = CurveAccumulator.metrics.filter { m in file.aggregates.contains { $0.curves.summaries(m).contains { $0.count > 0 } } }
        try checkSize(labels: file.aggregates.map(\.label), metrics: metrics, config: file.config,
                      iterations: file.aggregates.first?.curves.iterations ?? 0, seeds: max(file.totalSeeds, 1),
                      shards: file.shard.count, flags: a.has("merge") ? "pg compare --merge" : "pg compare")
    }
}

extension CompareCommand.Sweep {
    /// Refuses, before running, a sweep whose file (or the merge of its shards) could exceed
    /// what pg reads back, naming the flags that multiply its size.
    func checkSize(_ a: Arguments) throws {
        let lists = EstimatorRegistry.allSettings.filter { a.has($0.flag) && (a.string($0.flag)?.contains(",") ?? false) }
        var named = ["--estimators"].filter { _ in Set(variants.map(\.estimator.name)).count > 1 }
        named += lists.map { "--" + $0.flag } + (learningRates.count > 1 ? ["--lr"] : [])
        named += ["--iterations", "--seeds"].filter { a.has(String($0.dropFirst(2))) }
        try CompareCommand.checkSize(labels: variants.map(\.label), metrics: Self.metrics(of: environment), config: configLine,
                                     iterations: configuration.iterations, seeds: totalSeeds, shards: shard.count,
                                     flags: named.isEmpty ? "pg compare" : named.joined(separator: ", "))
    }
}
