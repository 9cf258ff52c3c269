import Foundation

/// Where the shipped environment files are: the package's own `envs/`, found from this source
/// file's location.
enum EnvsDirectory {
    /// The shipped `envs/`.
    static var shipped: String {
        let here = URL(fileURLWithPath: #filePath)
        return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("envs").path
    }
}
