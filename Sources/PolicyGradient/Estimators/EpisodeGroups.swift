/// Consecutive recorded groups of a batch, as the rollout hands them to an estimator between
/// its calls (``GradientEstimator/accumulate(_:scratch:into:)-(EpisodeGroups,_,_)``): a
/// random-access collection of ``EpisodeGroup``. Valid only during that call.
public struct EpisodeGroups: RandomAccessCollection {
    /// The first group.
    @usableFromInline let first: EpisodeGroup
    /// The number of groups.
    public let count: Int

    @usableFromInline init(first: EpisodeGroup, count: Int) {
        self.first = first
        self.count = count
    }

    /// 0.
    public var startIndex: Int { 0 }
    /// ``count``.
    public var endIndex: Int { count }

    /// Group i.
    /// - Precondition: `i` in `0..<count`.
    @inlinable @inline(__always) public subscript(_ i: Int) -> EpisodeGroup {
        precondition(UInt(bitPattern: i) < UInt(count), "group \(i) of \(count)")
        return first.shifted(byGroups: i)
    }

    /// The number of episodes of all the groups, K · ``count`` (stored one after another).
    @inlinable var episodeCount: Int { first.samples &* count }
}
