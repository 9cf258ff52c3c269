/// Legend labels that tell runs apart: each run is described by named parts (environment,
/// estimator, learning rate, seed, …), and a label shows the parts that differ between the
/// runs, so that two runs never share a label — and, since ``SVGPlot`` keys colours by label,
/// never share a colour or a legend entry.
public enum LegendLabels {
    /// One thing that describes a run, for example the key `lr` with value `0.05`, shown as
    /// `lr=0.05`.
    public struct Part: Sendable, Equatable {
        /// What the part is (runs are compared key by key).
        public var key: String
        /// Its value, compared between runs.
        public var value: String
        /// How it reads in a label.
        public var text: String
        /// Whether it is shown even when every run has the same value (the estimator's name).
        public var always: Bool

        /// Creates a part.
        /// - Parameters:
        ///   - key: what the part is.
        ///   - value: its value.
        ///   - text: how it reads in a label (default `key=value`).
        ///   - always: shown even when it does not differ (default false).
        public init(key: String, value: String, text: String? = nil, always: Bool = false) {
            self.key = key
            self.value = value
            self.text = text ?? "\(key)=\(value)"
            self.always = always
        }
    }

    /// One label per run, unique among the runs.
    ///
    /// A run's label joins, in the run's own order, the texts of its parts that are `always`
    /// shown or whose key has more than one value among the runs that have that key (a key
    /// only some runs have, such as a temperature only relaxations use, does not count as a
    /// difference by its absence), unless every run has the same value for it as for an
    /// earlier such key (a minimum learning rate that equals the learning rate is said once).
    /// Runs whose labels still coincide get their fallback (a file
    /// name) appended in parentheses, or used alone when the label is empty; runs that then
    /// still coincide are numbered "#1", "#2", … in order.
    /// - Parameters:
    ///   - runs: the parts of each run.
    ///   - fallbacks: one name per run, used when the parts do not tell it apart.
    /// - Returns: one label per run, all different.
    /// - Precondition: `fallbacks.count == runs.count`.
    /// - Complexity: O(total parts + runs²) in the worst case of many equal labels.
    public static func distinguishing(_ runs: [[Part]], fallbacks: [String]) -> [String] {
        precondition(fallbacks.count == runs.count, "one fallback per run")
        var values: [String: Set<String>] = [:], order: [String] = []
        for parts in runs {
            for p in parts {
                if values[p.key] == nil { order.append(p.key) }
                values[p.key, default: []].insert(p.value)
            }
        }
        let lookup = runs.map { Dictionary($0.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }) }
        var shown: [String] = []
        for key in order where values[key]!.count > 1 {
            if shown.contains(where: { j in lookup.allSatisfy { $0[j] == $0[key] } }) { continue }
            shown.append(key)
        }
        var labels = runs.map { parts in
            parts.filter { $0.always || shown.contains($0.key) }.map(\.text).joined(separator: " ")
        }
        for i in labels.indices where labels[i].isEmpty { labels[i] = fallbacks[i] }
        labels = disambiguate(labels) { i in labels[i] == fallbacks[i] ? nil : labels[i] + " (" + fallbacks[i] + ")" }
        while Set(labels).count < labels.count { labels = disambiguate(labels) { _ in nil } }
        return labels
    }

    /// Replaces every label that occurs more than once by `rename(i)`, or when that is nil by
    /// the label with "#k" appended (k counts the runs that share it).
    static func disambiguate(_ labels: [String], _ rename: (Int) -> String?) -> [String] {
        var counts: [String: Int] = [:]
        for l in labels { counts[l, default: 0] += 1 }
        var seen: [String: Int] = [:]
        return labels.indices.map { i in
            let l = labels[i]
            guard counts[l]! > 1 else { return l }
            seen[l, default: 0] += 1
            return rename(i) ?? "\(l) #\(seen[l]!)"
        }
    }
}
