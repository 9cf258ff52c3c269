@testable import PolicyGradient
import XCTest

/// ``MemoryLimit`` parsing and formatting, ``MemoryEstimate``'s check, and the items of a run
/// computed by hand.
final class MemoryEstimateTests: XCTestCase {
    func testLimitsParseSizesPercentagesAndFractions() throws {
        let gib = 1024.0 * 1024 * 1024
        XCTAssertEqual(try MemoryLimit(parsing: "4G").bytes, 4 * gib)
        XCTAssertEqual(try MemoryLimit(parsing: "4g").bytes, 4 * gib)
        XCTAssertEqual(try MemoryLimit(parsing: "512MiB").bytes, 512 * 1024 * 1024)
        XCTAssertEqual(try MemoryLimit(parsing: "64KB").bytes, 64 * 1024)
        XCTAssertEqual(try MemoryLimit(parsing: "1.5T").bytes, min(1.5 * 1024 * gib, MemoryLimit.availableMemory.bytes))
        XCTAssertEqual(try MemoryLimit(parsing: "1000000").bytes, 1_000_000)
        let available = MemoryLimit.availableMemory.bytes
        XCTAssertEqual(try MemoryLimit(parsing: "80%").bytes, 0.8 * available, accuracy: 1)
        XCTAssertEqual(try MemoryLimit(parsing: "0.25").bytes, 0.25 * available, accuracy: 1)
        XCTAssertEqual(try MemoryLimit(parsing: "1").bytes, available, accuracy: 1)
        XCTAssertEqual(MemoryLimit.default.bytes, MemoryLimit.defaultFraction * available, accuracy: 1)
        XCTAssertEqual(try MemoryLimit(parsing: "4G").description, "4.0 GiB")
        XCTAssertTrue(MemoryLimit.fraction(0.5).description.hasSuffix(", 50% of the "
                                                                     + MemoryLimit.format(bytes: available) + " of "
                                                                     + MemoryLimit.availableMemory.what), MemoryLimit.fraction(0.5).description)
        for bad in ["", "abc", "0", "-1G", "0%", "101%", "G", "4X", "nan", "inf", "1e400", "4 G B"] {
            XCTAssertThrowsError(try MemoryLimit(parsing: bad), bad) { error in
                XCTAssertEqual((error as? InputError)?.field, "memory_limit", bad)
            }
        }
    }

    func testBytesAreFormattedInBinaryUnits() {
        XCTAssertEqual(MemoryLimit.format(bytes: 812), "812 bytes")
        XCTAssertEqual(MemoryLimit.format(bytes: 3277), "3.2 KiB")
        XCTAssertEqual(MemoryLimit.format(bytes: 12 * 1024 * 1024 * 1024), "12 GiB")
        XCTAssertEqual(MemoryLimit.format(bytes: 1.5 * 1024 * 1024 * 1024 * 1024), "1.5 TiB")
        XCTAssertEqual(MemoryLimit.format(bytes: 9e18), "8.2e+06 TiB")
    }

    /// The error names the largest item's setting or file, the total and the limit.
    func testTheCheckBlamesTheLargestItem() throws {
        var e = MemoryEstimate()
        e.add("small", bytes: 1000)
        e.add("the mlp policy", doubles: 2048, field: "hidden")
        e.add("a table", bytes: 5000, file: "map.txt")
        XCTAssertEqual(e.total, 1000 + 16_384 + 5000)
        XCTAssertNoThrow(try e.check(against: MemoryLimit(bytes: 22_384)))
        XCTAssertThrowsError(try e.check(against: MemoryLimit(bytes: 22_383))) { error in
            let e = error as? InputError
            XCTAssertEqual(e?.field, "hidden")
            XCTAssertEqual(e?.mentions, ["memory_limit"])
            XCTAssertEqual(e?.message, "the run would need about 22 KiB of memory, 16 KiB of it for the mlp policy; "
                           + "the limit is 22 KiB (raise it with memory_limit)")
        }
        var f = MemoryEstimate()
        f.add("a table", bytes: 5000, file: "map.txt")
        XCTAssertThrowsError(try f.check(against: MemoryLimit(bytes: 10))) { error in
            XCTAssertTrue("\(error)".hasPrefix("map.txt: the run would need about 4.9 KiB of memory"), "\(error)")
        }
        XCTAssertEqual(f.times(3, "copies").items, [MemoryEstimate.Item("a table (x 3 copies)", bytes: 15_000, file: "map.txt")])
    }

    /// A two-armed Bernoulli bandit (S = 1, A = 2, H = 1, known dynamics), N = 32, Adam:
    /// policy 2 × 5 = 10 doubles, tables 11·2 + 4·1 = 26, 32 chunks × (3·2 + 2) = 256, episode
    /// buffers 32 × K 1 × H 1 × 4 = 128, exact J's programme 1: 421 doubles. Gumbel-max records
    /// A values per step (32 × 6 = 192 for the buffers) and fits a critic of 3 → 32 → 1, 161
    /// weights: 4 × 161 + 2 × 2 = 648 doubles. vimco with K = 4 runs 8 contexts: 8 chunks of 8,
    /// buffers 8 × 4 × 1 × 4 = 128.
    func testASessionsItemsMatchAHandCount() throws {
        let env = Bandit.bernoulli([0.2, 0.8])
        let c = TrainingConfiguration()
        func doubles(_ name: String, _ values: SettingValues = SettingValues()) throws -> Double {
            try MemoryEstimate.session(environment: env, file: nil, policy: PolicySpec(), configuration: c,
                                       estimator: EstimatorSpec(name, settings: values)).total / 8
        }
        XCTAssertEqual(try doubles("none"), 421)
        XCTAssertEqual(try doubles("gumbel"), 421 - 128 + 192 + 648)
        var k = SettingValues()
        k.set(LeaveOneOutBaseline.samplesSetting, .integer(4))
        XCTAssertEqual(try doubles("vimco", k), 10 + 26 + 64 + 128 + 1)
        var sgd = c
        sgd.optimizer = .sgd
        XCTAssertEqual(try MemoryEstimate.session(environment: env, file: nil, policy: PolicySpec(), configuration: sgd,
                                                  estimator: EstimatorSpec("none")).total / 8, 421 - 4)
        let model = env.model
        XCTAssertEqual(MemoryEstimate.environment(env, file: nil).total,
                       8 * Double(model.offsets.count + model.start.count) + 25 * Double(model.probability.count))
    }

    /// Curves: (variants + chunks of seeds) accumulators of iterations × 6 RunningMoments (24
    /// bytes), plus one seed's 6 values per iteration per worker.
    func testSweepAndStudyItems() {
        let curves = MemoryEstimate.curves(iterations: 1000, variants: 3, seeds: 10, workers: 2)
        XCTAssertEqual(curves.total, Double((3 + 10) * 1000 * 6 * 24 + 2 * 1000 * 6 * 8))
        XCTAssertEqual(curves.items.first?.field, "iterations")
        XCTAssertEqual(MemoryEstimate.curves(iterations: 10, variants: 1, seeds: 1000, workers: 1).total,
                       Double((1 + 64) * 10 * 6 * 24 + 10 * 6 * 8))
        XCTAssertEqual(MemoryEstimate.estimates(replicates: 1000, parameters: 64, field: "replicates").total, 8 * 1000 * 66)
        // A trace has one point per checkpoint: min(64, iterations).
        let trace = 3 * 64 * 8 + 3 * 24 + 16
        XCTAssertEqual(MemoryEstimate.seeds(100, variants: 2, iterations: 1000, field: "seeds").total,
                       Double(100 * (2 * (48 + trace) + 300 + 3 * 64 * 20)))
        let short = 3 * 10 * 8 + 3 * 24 + 16
        XCTAssertEqual(MemoryEstimate.seeds(100, variants: 2, iterations: 10, field: "seeds").total,
                       Double(100 * (2 * (48 + short) + 300 + 3 * 10 * 20)))
    }
}
