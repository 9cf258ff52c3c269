import Foundation
import PolicyGradient

extension VarianceCommand {
    /// `--calibration quick|full`: the false-alarm study of the zero-bias test instead of a measurement.
    static let calibrationFlags = [
        Flag("calibration", "quick|full", "instead of measuring: the zero-bias test's false-alarm study over the built-in "
             + "suite of policies (quick: 50, full: more), estimators "
             + ZeroBiasCalibration.estimators.map { e in
                 e.name + e.settings.given.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value.text)" }.joined()
             }
                .joined(separator: ", ") + ", --trials times each"),
        Flag("trials", "T", "repetitions of each calibration case with fresh random numbers (default 1)"),
    ]

    /// Runs the study and prints the table of policies × estimators: NO verdicts out of trials.
    static func calibrate(_ a: Arguments, _ output: Output) throws -> Int32 {
        guard let size = a.string("calibration").flatMap(ZeroBiasCalibration.Size.init(rawValue:)) else {
            throw InputError("--calibration: expected quick or full, got '\(a.string("calibration") ?? "")'")
        }
        let trials = try a.string("trials").map { text -> Int in
            guard let t = Int(text), (1...100_000).contains(t) else { throw InputError("--trials: expected an integer in 1...100000, got '\(text)'") }
            return t
        } ?? 1
        let own = try a.values(of: commandSettings)
        let replicates = own.integer(replicatesSetting), alpha = own.number(significanceSetting)
        var options = EnvironmentOptions()
        options.directories = RunOptions.directories(user: a.string("envs-dir"))
        let cases = try ZeroBiasCalibration.suite(size, options: options)
        let progress = Progress(total: cases.count, label: "calibration", unit: "policies", output: output, enabled: !a.has("quiet"))
        Interruption.beginPolling()
        let cells = try ZeroBiasCalibration.run(cases: cases, replicates: replicates, trials: trials, significance: alpha,
                                                threads: ProcessInfo.processInfo.activeProcessorCount,
                                                progress: { progress.update($0) })
        progress.finish()
        output.line("pg variance --calibration \(size.rawValue): \(cases.count) policies x "
            + "\(ZeroBiasCalibration.estimators.count) estimators x \(counted(trials, "trial")), "
            + "\(counted(replicates, "estimate")) x N episodes each, alpha \(alpha)")
        output.out(calibrationTable(cases: cases, cells: cells).render())
        let n = cells.reduce(0) { $0 + $1.trials }
        let no = cells.reduce(0) { $0 + $1.rejections }, inconclusive = cells.reduce(0) { $0 + $1.inconclusive }
        let old = cells.reduce(0) { $0 + $1.perCoordinateRejections }
        output.line("  cells: NO verdicts / trials (+ inconclusive); old = rejections by the raw per-coordinate test "
            + "max |z_k| <= z* it replaces")
        output.line("  total: \(no) NO, \(inconclusive) inconclusive, \(n - no - inconclusive) yes of \(n) verdicts; "
            + "at most \(ZeroBiasCalibration.rejectionLimit(trials: n, significance: alpha)) NO expected at level \(alpha) "
            + "(binomial, 0.999); the per-coordinate test: \(old) of \(n)")
        return 0
    }

    /// Rows: problem and policy; columns: each estimator's "NO/trials (+inconclusive)" and the old test's rejections.
    static func calibrationTable(cases: [ZeroBiasCalibration.Case], cells: [ZeroBiasCalibration.Cell]) -> TextTable {
        let names = ZeroBiasCalibration.estimators.map(\.name)
        var t = TextTable(headers: ["problem", "policy", "N"] + names + names.map { "old " + $0 })
        t.alignments = [.left, .left, .right] + names.map { _ in .right } + names.map { _ in .right }
        for (i, c) in cases.enumerated() {
            let row = cells.filter { $0.caseIndex == i }
            let cell = { (x: ZeroBiasCalibration.Cell) in
                "\(x.rejections)/\(x.trials)" + (x.inconclusive > 0 ? " (+\(x.inconclusive))" : "")
            }
            t.addRow([c.problem, c.policyLabel, String(c.episodes)] + row.map(cell) + row.map { "\($0.perCoordinateRejections)/\($0.trials)" })
        }
        return t
    }
}
