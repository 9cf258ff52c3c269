/// The discounted return-to-go of every step of an episode.
public enum DiscountedReturns {
    /// Writes G_t = Σ_{t'≥t} γ^{t'−t} r_{t'} = r_t + γ G_{t+1} (G_T = 0) for every step t of
    /// one episode, computed backwards.
    /// - Parameters:
    ///   - rewards: r_0 … r_{T−1}.
    ///   - gamma: the discount γ.
    ///   - returns: receives G_0 … G_{T−1}; same length; may alias `rewards`.
    /// - Complexity: O(T); allocates nothing.
    @inlinable
    static func write(rewards: UnsafeBufferPointer<Double>, gamma: Double, into returns: UnsafeMutableBufferPointer<Double>) {
        precondition(returns.count == rewards.count, "returns and rewards must have the same length")
        var g = 0.0
        for t in stride(from: rewards.count - 1, through: 0, by: -1) {
            g = rewards[t] + gamma * g
            returns[t] = g
        }
    }

    /// Writes G_t = r_t + γ G_{t+1} for every step of one episode into `returns`.
    /// - Precondition: equal lengths.
    /// - Complexity: O(T); allocates nothing.
    public static func write(rewards: Span<Double>, gamma: Double, into returns: inout MutableSpan<Double>) {
        precondition(rewards.count == returns.count, "returns and rewards must have the same length")
        rewards.withUnsafeBufferPointer { r in returns.withUnsafeMutableBufferPointer { write(rewards: r, gamma: gamma, into: $0) } }
    }

    /// G_0 … G_{T−1} of `rewards` (convenience for tests and analysis).
    public static func of(_ rewards: [Double], gamma: Double) -> [Double] {
        var out = rewards
        rewards.withUnsafeBufferPointer { r in out.withUnsafeMutableBufferPointer { write(rewards: r, gamma: gamma, into: $0) } }
        return out
    }
}
