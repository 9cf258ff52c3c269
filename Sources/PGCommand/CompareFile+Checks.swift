import PolicyGradient

extension CompareFile {
    /// Checks a compare file against what its own config line implies, so that an edited or
    /// damaged shard is refused by name before it is merged (or plotted), never merged into a
    /// file that records its edited values:
    ///
    /// * `shard_count` is an integer in 1...`seeds`; `shard_index` is an integer below it, or
    ///   `null` in a merge (`merged_from`);
    /// * the config's `estimators` labels are the file's variants, in order;
    /// * every variant's `seed_index` values are below `seeds` and, in a shard i of n, equal to
    ///   i mod n; each `seed` is the config's `seed` plus its index (seed j of a sweep is
    ///   `seed + j`); the final line's `seeds` counts them; `iterations_to_threshold` values are
    ///   below `iterations`; no curve point counts more seeds than the variant holds.
    /// - Throws: ``InputError`` naming the file (and the line of a final line).
    static func check(config: JSONValue, aggregates: [SweepAggregate], lines: [JSONLReader.Line], seeds: Int,
                      iterations: Int, path: String) throws {
        func fail(_ message: String, line: Int? = nil) -> InputError { InputError(message, file: path, line: line) }
        let configLine = lines.first { $0.value["type"]?.stringValue == "config" }?.number
        guard let first = config["seed"]?.exactUInt64 else {
            throw fail("the config line's \"seed\" must be an integer in 0...\(UInt64.max)", line: configLine)
        }
        let count = config.isAbsent("shard_count") ? 1 : config["shard_count"]?.exactInt ?? 0
        guard (1...seeds).contains(count) else {
            throw fail("the config line's \"shard_count\" must be an integer in 1...\(seeds) (its \"seeds\"), got "
                       + (config["shard_count"]?.text ?? "nothing"), line: configLine)
        }
        let merged = config["merged_from"] != nil
        var index: Int?
        if !(merged && config["shard_index"] == .null) {
            guard let i = (config["shard_index"] == nil ? 0 : config["shard_index"]?.exactInt), (0..<count).contains(i) else {
                throw fail("the config line's \"shard_index\" must be " + (merged ? "null in a merge" : "an integer in 0...\(count - 1)")
                           + ", got " + (config["shard_index"]?.text ?? "nothing"), line: configLine)
            }
            index = i
        }
        let labels: [String]? = {
            guard case let .array(items)? = config["estimators"] else { return nil }
            let l = items.compactMap { $0["label"]?.stringValue }
            return l.count == items.count ? l : nil
        }()
        guard let labels, labels == aggregates.map(\.label) else {
            throw fail("its variants (" + aggregates.map(\.label).joined(separator: ", ") + ") are not the config line's "
                       + "estimators (" + (labels?.joined(separator: ", ") ?? "none") + ")", line: configLine)
        }
        for g in aggregates {
            let line = lines.last { $0.value["type"]?.stringValue == "final" && $0.value["variant"]?.stringValue == g.label }
            try check(g, line: line, seeds: seeds, first: first, shard: index.map { ($0, count) }, iterations: iterations, path: path)
        }
    }

    /// The checks of one variant (see ``check(config:aggregates:lines:seeds:iterations:path:)``).
    static func check(_ g: SweepAggregate, line: JSONLReader.Line?, seeds: Int, first: UInt64, shard: (index: Int, count: Int)?,
                      iterations: Int, path: String) throws {
        func fail(_ message: String) -> InputError { InputError("'\(g.label)': " + message, file: path, line: line?.number) }
        if let n = line?.value["seeds"], n.exactInt != g.seedIndices.count {
            throw fail("\"seeds\" is \(n.text) but the per-seed arrays hold \(g.seedIndices.count)")
        }
        for (j, i) in g.seedIndices.enumerated() {
            guard i < seeds else { throw fail("seed_index[\(j)] is \(i), not below the sweep's \(seeds) seeds") }
            if let shard, i % shard.count != shard.index {
                throw fail("seed_index[\(j)] is \(i), which is not a seed of shard \(shard.index)/\(shard.count) (i mod \(shard.count) = \(shard.index))")
            }
            guard g.seeds[j] == first &+ UInt64(i) else {
                throw fail("seed[\(j)] is \(g.seeds[j]), but seed index \(i) of a sweep from seed \(first) is \(first &+ UInt64(i))")
            }
            if let hit = g.iterationsToThreshold[j], hit >= iterations {
                throw fail("iterations_to_threshold[\(j)] is \(hit), not below the \(iterations) iterations")
            }
        }
        for metric in CurveAccumulator.metrics {
            if let k = g.curves.summaries(metric).firstIndex(where: { $0.count > g.seedIndices.count }) {
                throw fail("the curve of \(metric) counts \(g.curves.summaries(metric)[k].count) seeds at iteration \(k); "
                           + "the variant holds \(g.seedIndices.count)")
            }
        }
    }
}
