import Foundation
import PolicyGradient

extension VarianceCommand {
    /// The `{"type":"config"}` line.
    static func configLine(_ s: Setup) -> JSONValue {
        let exact = exactGradient(s)
        var values = SettingValues()
        values.set(replicatesSetting, .integer(s.replicates))
        values.set(atSetting, .text(s.at))
        if let t = s.trainName { values.set(trainSetting, .text(t)) }
        values.set(warmUpSetting, .integer(s.warmUp))
        values.set(significanceSetting, .number(s.significance))
        let header = RunHeader(command: "variance", version: PGVersion.current, environment: s.options.environment,
                               policy: s.options.policy, training: s.configuration,
                               estimators: s.variants.map { LabelledEstimator(label: $0.label, estimator: $0.estimator) },
                               commandSettings: values,
                               facts: s.options.facts(s.environment) + (s.checkpoint?.facts("at") ?? [])
                                   + [("parameters", .int(s.policy.parameterCount)), ("nvil_normalised", .bool(false)),
                                      ("exact_gradient_known", .bool(exact != nil)),
                                      ("exact_grad_norm", .number(exact.map { g in g.reduce(0) { $0 + $1 * $1 }.squareRoot() }))])
        return header.json(commandSettings: commandSettings)
    }

    /// The exact gradient at the measured policy, if known.
    static func exactGradient(_ s: Setup) -> [Double]? {
        guard let features = try? s.environment.stateFeatures() else { return nil }
        return ExactGradient.evaluate(policy: s.policy, environment: s.environment, features: features,
                                      gamma: s.configuration.gamma)?.gradient
    }

    /// One `{"type":"estimator"}` line.
    static func rowLine(_ r: VarianceStudy.Row) -> JSONValue {
        let st = r.statistics
        var f: [(String, JSONValue)] = [
            ("type", .string("estimator")), ("label", .string(r.label)), ("estimator", .string(r.estimator.name)),
            ("settings", r.estimator.settings.json(((try? r.estimator.descriptor())?.settings) ?? [])),
            ("episodes", .int(r.episodes)), ("shared_draws", .string(r.sharedDraws)), ("warmed_up", .bool(r.warmedUp)),
            ("replicates", .int(st.count)), ("variance", .double(st.variance)), ("mean_norm", .double(st.meanNorm)),
            ("snr_mean", .double(st.signalToNoise)),
        ]
        if let e = st.exact {
            f += [("relative_bias", .double(e.relativeBias)), ("relative_bias_se", .double(e.relativeBiasNoiseFloor)),
                  ("debiased_relative_bias", .double(e.debiasedRelativeBias)), ("max_abs_z", .double(e.maxAbsZ)),
                  ("z_threshold", .double(e.zThreshold)), ("zero_bias_consistent", .bool(e.isConsistentWithZeroBias)),
                  ("snr", .double(e.signalToNoise)), ("mean_cosine", .double(e.meanCosine)),
                  ("mean_cosine_se", .double(e.meanCosineStandardError))]
        }
        f += [("seconds_per_estimate", .double(r.secondsPerEstimate)),
              ("variance_times_seconds", .double(r.varianceTimesTime))]
        return .object(f)
    }

    /// The table and its notes on standard output.
    static func printReport(_ output: Output, setup s: Setup, rows: [VarianceStudy.Row], path: String) {
        let exact = rows.first?.statistics.exact
        output.line("pg variance: \(s.environment.id) at \(s.atDescription) (\(s.options.policy.kind.rawValue), "
            + "\(counted(s.policy.parameterCount, "parameter"))), \(counted(s.replicates, "estimate")) x "
            + "\(counted(s.configuration.episodes, "episode")) per estimator, "
            + "seed \(s.configuration.seed)")
        if let e = exact { output.line("  |grad J| = \(NumberFormat.significant(e.exactNorm))") }
        output.out(table(rows).render())
        let groups = Dictionary(grouping: rows, by: \.sharedDraws)
        for key in groups.keys.sorted() where groups[key]!.count > 1 {
            let what = key.hasPrefix(InverseCDFSampler().identity) ? "the same episodes"
                : key.hasPrefix(GumbelMaxSampler().identity) ? "the same Gumbel noise (hence the same actions)" : "the same streams"
            output.line("  shared draws: \(groups[key]!.map(\.label).joined(separator: ", ")) saw \(what)")
        }
        if rows.contains(where: { $0.estimator.name == "nvil" }) {
            output.line("  nvil is measured un-normalised (without 1/max(1, sigma)), i.e. as an estimator of grad J")
        }
        let warmed = rows.filter(\.warmedUp).map(\.label)
        if !warmed.isEmpty, s.warmUp > 0 {
            output.line("  warmed up for \(counted(s.warmUp, "batch", plural: "batches")) at this policy: \(warmed.joined(separator: ", "))")
        }
        if let e = exact {
            output.line("  rel. bias = |mean g - grad J| / |grad J| +- its noise floor sqrt(tr C / R) / |grad J|; "
                + "zero bias? = max |z_k| <= \(NumberFormat.significant(e.zThreshold, digits: 3)) (Bonferroni, alpha \(s.significance))")
        } else {
            output.line("  the exact gradient is unknown for \(s.environment.id): SNR is |mean g| / sqrt(tr C), no bias")
        }
        output.line("  results: \(path)")
    }

    /// The table: with bias and cosine columns when the exact gradient is known.
    static func table(_ rows: [VarianceStudy.Row]) -> TextTable {
        let known = rows.first?.statistics.exact != nil
        let headers = known
            ? ["estimator", "rel. bias", "zero bias?", "variance", "SNR", "cos to grad J", "us/estimate", "var x time"]
            : ["estimator", "|mean g|", "variance", "SNR (vs mean)", "us/estimate", "var x time"]
        var t = TextTable(headers: headers)
        for r in rows {
            let st = r.statistics
            let fmt = { (x: Double) in NumberFormat.significant(x, digits: 3) }
            let cost = [fmt(r.secondsPerEstimate * 1e6), fmt(r.varianceTimesTime)]
            if let e = st.exact {
                let verdict = (e.isConsistentWithZeroBias ? "yes" : "NO") + " (z=\(NumberFormat.significant(e.maxAbsZ, digits: 2)))"
                t.addRow([r.label, NumberFormat.meanWithError(e.relativeBias, e.relativeBiasNoiseFloor), verdict,
                          fmt(st.variance), fmt(e.signalToNoise),
                          NumberFormat.meanWithError(e.meanCosine, e.meanCosineStandardError)] + cost)
            } else {
                t.addRow([r.label, fmt(st.meanNorm), fmt(st.variance), fmt(st.signalToNoise)] + cost)
            }
        }
        return t
    }
}
