import Foundation
import PolicyGradient

extension BenchCommand {
    /// What a bench row aims at, and how a value is judged against it.
    enum Target: Equatable {
        /// No target.
        case none
        /// Words only (no verdict): ">= 1.8x 1 thread" beside a row whose speed-up row is judged.
        case note(String)
        /// At most this value (memory, MB).
        case atMost(Double)
        /// At least this value (a speed-up).
        case atLeast(Double)
        /// Within 1 MB or 5% of another row's value (memory that stays flat).
        case flat(Double)
        /// A multiple of the JAX peer's figure for the same workload and thread count: a rate at
        /// least `factor` times JAX's, or (`lowerIsBetter`, a time) at most `factor` times JAX's.
        case jax(factor: Double, lowerIsBetter: Bool)

        /// The target in words: "<= 32", ">= 1.5x JAX", "<= 0.5x JAX".
        var text: String {
            switch self {
            case .none: return ""
            case .note(let s): return s
            case .atMost(let x): return "<= " + String(format: "%g", x)
            case .atLeast(let x): return ">= " + String(format: "%g", x)
            case .flat: return "flat"
            case .jax(let f, let lower): return (lower ? "<= " : ">= ") + String(format: "%g", f) + "x JAX"
            }
        }

        /// "met" or "not met" for `value`, or nil without a verdict (no target, or no JAX figure).
        func verdict(_ value: Double, jax: Double?) -> String? {
            guard value.isFinite else { return nil }
            let ok: Bool
            switch self {
            case .none, .note: return nil
            case .atMost(let x): ok = value <= x
            case .atLeast(let x): ok = value >= x
            case .flat(let x): ok = abs(value - x) <= max(1, 0.05 * x)
            case .jax(let f, let lower):
                guard let j = jax, j > 0, value > 0 else { return nil }
                ok = lower ? value <= f * j : value >= f * j
            }
            return ok ? "met" : "not met"
        }

        /// The target column: the target, and with a peer figure or a verdict, what was measured
        /// against it: ">= 1.5x JAX (JAX 2.95e7: pg 1.32x; not met)".
        func column(_ value: Double, jax: Double?) -> String {
            var s = text
            if case let .jax(_, lower) = self, let j = jax, j > 0 {
                let ratio = value / j
                s += " (JAX " + NumberFormat.significant(j) + ": pg " + NumberFormat.significant(ratio, digits: 3) + "x"
                    + (lower ? " the time" : "") + "; " + (verdict(value, jax: jax) ?? "") + ")"
            } else if let v = verdict(value, jax: jax) {
                s += ": " + v
            }
            return s
        }
    }

    /// The peers' medians from a `scripts/bench-peers.sh` results file
    /// (`runs/bench-peers-TIMESTAMP.json`): for each workload and thread count on a quiet machine,
    /// JAX's median figure, with the file's date and CPU.
    struct PeerFigures {
        var path: String
        var date: String
        var cpu: String
        /// JAX's median by row id (`bandit-1t`, `figure-2t`, …).
        var jax: [String: Double]

        /// Reads `path`.
        /// - Throws: ``InputError`` naming the file when it is unreadable, not JSON, or not a
        ///   bench-peers results file.
        init(path: String) throws {
            let bytes = try InputFile.read(path: path, limit: InputFile.maximumJSONSize, what: "peer results")
            let root = try JSONParser.parse(String(decoding: bytes, as: UTF8.self), file: path)
            guard case let .array(cells)? = root["summary"] else {
                throw InputError("\(path) is not a scripts/bench-peers.sh results file (no \"summary\" list)")
            }
            self.path = path
            date = root["date"]?.stringValue ?? "?"
            cpu = root["cpu"]?.stringValue ?? "?"
            var jax: [String: Double] = [:]
            for c in cells where c["busy"] != .bool(true) {
                guard let w = c["workload"]?.stringValue, let t = c["threads"]?.exactInt,
                      let m = c["jax"]?["median"]?.doubleValue, m.isFinite, m > 0 else { continue }
                jax["\(w)-\(t)t"] = m
            }
            self.jax = jax
        }
    }
}
