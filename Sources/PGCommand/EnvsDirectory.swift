import Foundation

/// Where the shipped environment files are: `envs/` in the working directory, or the
/// package's own `envs/` (found from this source file's location) when run elsewhere.
enum EnvsDirectory {
    static var path: String {
        if FileManager.default.fileExists(atPath: "envs") { return "envs" }
        let here = URL(fileURLWithPath: #filePath)
        return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("envs").path
    }
}
