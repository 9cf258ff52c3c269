/// Per-episode sums of logit-cotangent rows by state: for one episode, Σ_{t: s_t = s} r_t for every
/// state s it visited, in a few vectors (the parts of an estimator, or its whole estimate).
///
/// An episode's contribution to a (tabular) gradient is exactly these per-state rows, so inner
/// products of them are the per-episode second moments that variance-minimising estimators
/// need (REBAR's η, RELAX's ∂Var/∂ψ) — cross terms between visits of the same state included.
/// Allocated once per chunk (S slots and min(S, H) rows per vector); ``clear()`` costs
/// O(states visited), so an episode costs O(steps · A) whatever S is.
public final class EpisodeStateSums: @unchecked Sendable {
    /// Row length A.
    public let width: Int
    /// Vectors per state.
    public let vectors: Int
    /// The most distinct states an episode may visit.
    @usableFromInline let capacity: Int
    /// Number of distinct states so far.
    public private(set) var count = 0
    let slots: UnsafeMutablePointer<Int>
    let visited: UnsafeMutablePointer<Int>
    let rows: UnsafeMutablePointer<Double>
    let stateCount: Int

    /// Sums for episodes of at most `horizon` steps in `stateCount` states, `vectors` rows of
    /// `width` each.
    public init(stateCount: Int, horizon: Int, width: Int, vectors: Int) {
        precondition(stateCount > 0 && horizon > 0 && width > 0 && vectors > 0, "EpisodeStateSums: empty shape")
        self.stateCount = stateCount
        self.width = width
        self.vectors = vectors
        capacity = min(stateCount, horizon)
        slots = .allocate(capacity: stateCount)
        slots.initialize(repeating: -1, count: stateCount)
        visited = .allocate(capacity: capacity)
        rows = .allocate(capacity: capacity * vectors * width)
        rows.initialize(repeating: 0, count: capacity * vectors * width)
    }

    /// The slot of state s, opened (its rows zeroed) on the episode's first visit.
    /// - Complexity: O(1), or O(vectors · A) on a first visit; allocates nothing.
    public func slot(_ s: Int) -> Int {
        let k = slots[s]
        if k >= 0 { return k }
        precondition(count < capacity, "an episode visited more states than its length allows")
        slots[s] = count
        visited[count] = s
        (rows + count * vectors * width).update(repeating: 0, count: vectors * width)
        count += 1
        return count - 1
    }

    /// Row `vector` of slot k (0 ≤ k < ``count``).
    @usableFromInline func row(slot k: Int, vector v: Int) -> UnsafeMutableBufferPointer<Double> {
        UnsafeMutableBufferPointer(start: rows + (k * vectors + v) * width, count: width)
    }

    /// Row `vector` of state s (opening its slot if needed).
    @usableFromInline func row(state s: Int, vector v: Int) -> UnsafeMutableBufferPointer<Double> { row(slot: slot(s), vector: v) }

    /// Σ over visited states of ⟨row a, row b⟩.
    /// - Complexity: O(``count`` · A); allocates nothing.
    public func innerProduct(_ a: Int, _ b: Int) -> Double {
        var sum = 0.0
        for k in 0..<count {
            let x = row(slot: k, vector: a), y = row(slot: k, vector: b)
            for i in 0..<width { sum += x[i] * y[i] }
        }
        return sum
    }

    /// Forgets the episode (closes the slots it opened).
    /// - Complexity: O(``count``); allocates nothing.
    public func clear() {
        for k in 0..<count { slots[visited[k]] = -1 }
        count = 0
    }

    deinit {
        slots.deallocate()
        visited.deallocate()
        rows.deallocate()
    }
}
