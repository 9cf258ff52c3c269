/// A seedable, splittable pseudo-random generator (SplitMix64).
///
/// Every random draw in pg descends from a stream derived from `(seed, iteration, episode)`
/// with ``init(seed:iteration:episode:)``, so a run's numbers do not depend on how work is
/// spread over threads. The generator is Steele, Lea & Flood's SplitMix64 ("Fast splittable
/// pseudorandom number generators", OOPSLA 2014): a 64-bit counter advanced by an odd constant
/// and passed through a strong bit mixer. It passes BigCrush and costs about a nanosecond per draw.
///
/// It conforms to `RandomNumberGenerator`, so `Double.random(in:using:)` and friends work
/// with it, but pg's own samplers (``nextUniformOpen()``, ``nextGaussian()``,
/// ``nextGumbel()``) are faster and have exactly specified ranges.
public struct RandomStream: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    /// The golden-ratio increment of SplitMix64.
    @usableFromInline static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// Creates a stream from a 64-bit seed.
    /// - Parameter seed: any value; equal seeds give equal streams.
    @inlinable
    public init(seed: UInt64) {
        state = RandomStream.mix(seed &+ 0x5851_F42D_4C95_7F2D)
    }

    /// Creates the stream for one episode of one iteration of a run.
    ///
    /// Streams for different `(seed, iteration, episode)` triples are statistically
    /// independent; the same triple always gives the same stream.
    /// - Complexity: O(1); allocates nothing.
    @inlinable
    public init(seed: UInt64, iteration: Int, episode: Int) {
        var s = RandomStream.mix(seed &+ 0x5851_F42D_4C95_7F2D)
        s = RandomStream.mix(s ^ (UInt64(bitPattern: Int64(iteration)) &* 0xD1B5_4A32_D192_ED03))
        s = RandomStream.mix(s ^ (UInt64(bitPattern: Int64(episode)) &* 0x8CB9_2BA7_2F3D_8DD7))
        state = s
    }

    /// The part of ``init(seed:iteration:episode:)`` that depends on the seed and the iteration
    /// only, so that a batch derives each episode's stream with one mix:
    /// `RandomStream(base: .init(seed:iteration:), episode: e)` equals
    /// `RandomStream(seed:iteration:episode: e)`.
    public struct Base: Sendable {
        @usableFromInline let state: UInt64

        /// The base of (seed, iteration).
        @inlinable
        public init(seed: UInt64, iteration: Int) {
            self.init(mixedSeed: Self.mixed(seed), iteration: iteration)
        }

        /// The part of the base that depends on the seed only, for a caller that makes the
        /// bases of many iterations of one seed.
        @inlinable static func mixed(_ seed: UInt64) -> UInt64 { RandomStream.mix(seed &+ 0x5851_F42D_4C95_7F2D) }

        /// The base of (seed, iteration) from ``mixed(_:)`` of the seed.
        @inlinable init(mixedSeed s: UInt64, iteration: Int) {
            state = RandomStream.mix(s ^ (UInt64(bitPattern: Int64(iteration)) &* 0xD1B5_4A32_D192_ED03))
        }
    }

    /// The stream of `episode` of the base's (seed, iteration).
    /// - Complexity: one mix; allocates nothing.
    @inlinable
    public init(base: Base, episode: Int) {
        state = RandomStream.mix(base.state ^ (UInt64(bitPattern: Int64(episode)) &* 0x8CB9_2BA7_2F3D_8DD7))
    }

    /// Returns an independent child stream labelled `index`, leaving `self` unchanged.
    ///
    /// Use it to give sub-tasks (an environment's parameters, a critic's initialisation)
    /// their own streams: `RandomStream(seed: 1).split(7)` is the same everywhere.
    @inlinable
    public func split(_ index: UInt64) -> RandomStream {
        var child = self
        child.state = RandomStream.mix(state ^ RandomStream.mix(index &+ 0x2545_F491_4F6C_DD1D))
        return child
    }

    /// The SplitMix64 finaliser (a bijective 64-bit mixer).
    @inlinable
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits.
    /// - Complexity: O(1); allocates nothing.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= RandomStream.gamma
        return RandomStream.mix(state)
    }
}
