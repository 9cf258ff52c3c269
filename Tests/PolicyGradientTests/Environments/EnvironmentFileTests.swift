@testable import PolicyGradient
import XCTest

/// The environment file a run reads, for the content hash of its header.
final class EnvironmentFileTests: XCTestCase {
    func testFilesAndTheFrozenLakeAliasesNameTheirMapFile() throws {
        let dirs = [shippedEnvs]
        let lake = try EnvironmentRegistry.descriptor("FrozenLake-v1", directories: dirs)
        var settings = SettingValues().completed(with: lake.settings)
        XCTAssertEqual(EnvironmentRegistry.file(of: lake, settings: settings, directories: dirs), shippedEnvs + "/FrozenLake-v1-4x4.txt")
        settings.set(EnvironmentRegistry.slipperySetting, .flag(false))
        settings.set(EnvironmentRegistry.mapSetting, .text("8x8"))
        XCTAssertEqual(EnvironmentRegistry.file(of: lake, settings: settings, directories: dirs),
                       shippedEnvs + "/FrozenLake-v1-8x8-deterministic.txt")
        let eight = try EnvironmentRegistry.descriptor("FrozenLake8x8-v1", directories: dirs)
        XCTAssertEqual(EnvironmentRegistry.file(of: eight, settings: SettingValues().completed(with: eight.settings), directories: dirs),
                       shippedEnvs + "/FrozenLake-v1-8x8.txt")
        let taxi = try EnvironmentRegistry.descriptor("Taxi-v4", directories: dirs)
        XCTAssertEqual(EnvironmentRegistry.file(of: taxi, settings: SettingValues(), directories: dirs), shippedEnvs + "/Taxi-v4.json")
        let bandit = try EnvironmentRegistry.descriptor("bandit10", directories: dirs)
        XCTAssertNil(EnvironmentRegistry.file(of: bandit, settings: SettingValues().completed(with: bandit.settings), directories: dirs))
    }
}
