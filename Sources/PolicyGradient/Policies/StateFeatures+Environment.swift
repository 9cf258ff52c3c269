extension Environment {
    /// The most entries of a dense feature matrix (S × F doubles) pg builds.
    public static var maximumFeatureEntries: Int { 100_000_000 }

    /// The feature vectors of every state: one-hot (stored as nothing), or the dense matrix of a
    /// ``CustomFeatures`` environment.
    /// - Throws: ``InputError`` if a dense matrix would exceed ``maximumFeatureEntries`` entries.
    /// - Complexity: O(1) for one-hot features; O(S · F) otherwise.
    public func stateFeatures() throws -> StateFeatures {
        guard let custom = self as? any CustomFeatures else { return .oneHot(stateCount: stateCount) }
        let (n, overflow) = stateCount.multipliedReportingOverflow(by: custom.featureCount)
        guard !overflow, n <= Self.maximumFeatureEntries, custom.featureCount >= 1 else {
            throw InputError("environment \(id): \(stateCount) states x \(custom.featureCount) features is more than "
                             + "\(Self.maximumFeatureEntries) feature entries (or fewer than 1 feature)")
        }
        return StateFeatures(dense: custom.featureMatrix(), stateCount: stateCount, count: custom.featureCount)
    }
}
