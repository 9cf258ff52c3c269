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
            let test = e.zeroBias
            f += [("relative_bias", .double(e.relativeBias)), ("relative_bias_se", .double(e.relativeBiasNoiseFloor)),
                  ("absolute_bias", .double(e.biasNorm)), ("absolute_bias_se", .double(e.biasNoiseFloor)),
                  ("debiased_relative_bias", .double(e.debiasedRelativeBias)),
                  ("zero_bias", .string(test.verdict.rawValue)), ("zero_bias_reason", .string(test.reason)),
                  ("zero_bias_z", .double(test.strongest?.z ?? .nan)),
                  ("zero_bias_z_threshold", .double(test.strongest?.threshold ?? .nan)),
                  ("z_grad_direction", .double(test.directions.first { $0.name == "grad J" }?.z ?? .nan)),
                  ("sampled_coordinates", .int(test.sampledCoordinates)),
                  ("zero_bias_checks", .array(test.directions.map(checkJSON))),
                  ("zero_bias_consistent", .bool(e.isConsistentWithZeroBias)),
                  ("max_abs_z", .double(e.maxAbsZ)), ("z_threshold", .double(e.zThreshold)),
                  ("snr", .double(e.signalToNoise)), ("mean_cosine", .double(e.meanCosine)),
                  ("mean_cosine_se", .double(e.meanCosineStandardError))]
        }
        f += decompositionFields(r)
        if r.branchEpisodesPerEstimate > 0 {
            f += [("steps_per_estimate", .double(r.stepsPerEstimate)),
                  ("branch_episodes_per_estimate", .double(r.branchEpisodesPerEstimate)),
                  ("branch_steps_per_estimate", .double(r.branchStepsPerEstimate))]
        }
        f += [("seconds_per_estimate", .double(r.secondsPerEstimate)),
              ("variance_times_seconds", .double(r.varianceTimesTime))]
        return .object(f)
    }

    /// One check of the zero-bias test: its name, z, shift, effective replicates, threshold and
    /// why it is not trusted (null when it is).
    static func checkJSON(_ c: ZeroBiasTest.Check) -> JSONValue {
        .object([("name", .string(c.name)), ("z", .double(c.z)), ("shift", .double(c.shift)),
                 ("effective_replicates", .double(c.effectiveReplicates)), ("threshold", .double(c.threshold)),
                 ("untrusted", c.untrusted.map { .string($0) } ?? .null)])
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
        for r in rows where r.branchEpisodesPerEstimate > 0 {
            output.line("  \(r.label) branches: \(NumberFormat.significant(r.branchEpisodesPerEstimate)) continuations and "
                        + "\(NumberFormat.significant(r.branchStepsPerEstimate)) steps per estimate beyond its "
                        + "\(counted(r.episodes, "episode")) (\(NumberFormat.significant(r.stepsPerEstimate)) steps): "
                        + "compare it at equal cost with --batch")
        }
        if rows.contains(where: { $0.estimator.name == "nvil" }) {
            output.line("  nvil is measured un-normalised (without 1/max(1, sigma)), i.e. as an estimator of grad J")
        }
        let warmed = rows.filter(\.warmedUp).map(\.label)
        if !warmed.isEmpty, s.warmUp > 0 {
            output.line("  warmed up for \(counted(s.warmUp, "batch", plural: "batches")) at this policy: \(warmed.joined(separator: ", "))")
        }
        if let e = exact {
            for r in rows {
                guard let test = r.statistics.exact?.zeroBias, test.verdict != .consistent else { continue }
                output.line("  \(r.label): \(test.verdict.rawValue): \(test.reason)")
            }
            output.line(e.exactNorm == 0
                ? "  grad J = 0: the bias is absolute, |mean g - grad J| +- its noise floor sqrt(tr C / R); no SNR or cosine"
                : "  rel. bias = |mean g - grad J| / |grad J| +- its noise floor sqrt(tr C / R) / |grad J|")
            output.line("  zero bias? = z-tests along grad J and fixed random directions over the adequately sampled coordinates "
                + "(Bonferroni, alpha \(s.significance)); inconclusive where R cannot support a verdict")
        } else {
            output.line("  the exact gradient is unknown for \(s.environment.id): SNR is |mean g| / sqrt(tr C), no bias")
        }
        printDecomposition(output, rows: rows)
        output.line("  results: \(path)")
    }

    /// "0.12 ± 0.05" (relative), or "abs 0.003 ± 0.002" where ∇J = 0.
    static func biasCell(_ e: GradientStatistics.Comparison) -> String {
        e.exactNorm == 0 ? "abs " + NumberFormat.meanWithError(e.biasNorm, e.biasNoiseFloor)
            : NumberFormat.meanWithError(e.relativeBias, e.relativeBiasNoiseFloor)
    }

    /// "yes (z=1.2)", "NO (z=7.4)" or "inconclusive" (its reason is printed under the table): for
    /// NO the |z| of the strongest rejecting check (which may be one too thin to support "yes"),
    /// for yes that of the strongest trusted check.
    static func verdictCell(_ test: ZeroBiasTest) -> String {
        guard test.verdict != .inconclusive else { return "inconclusive" }
        let shown = test.verdict == .biased ? test.directions.filter(\.rejects).max { $0.strength < $1.strength } : test.strongest
        let z = abs(shown?.z ?? 0)
        return "\(test.verdict.rawValue) (z=\(NumberFormat.significant(z, digits: 2)))"
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
                t.addRow([r.label, biasCell(e), verdictCell(e.zeroBias),
                          fmt(st.variance), e.exactNorm == 0 ? "-" : fmt(e.signalToNoise),
                          e.exactNorm == 0 ? "-" : NumberFormat.meanWithError(e.meanCosine, e.meanCosineStandardError)] + cost)
            } else {
                t.addRow([r.label, fmt(st.meanNorm), fmt(st.variance), fmt(st.signalToNoise)] + cost)
            }
        }
        return t
    }
}
