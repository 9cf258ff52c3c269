/// One possible result of taking an action in a state of a ``TabularModel``.
public struct Outcome: Sendable, Equatable {
    /// Probability of this outcome.
    public var probability: Double
    /// The state reached.
    public var next: Int
    /// The (expected) reward received.
    public var reward: Double
    /// Whether the transition ends the episode.
    public var terminated: Bool

    /// Creates an outcome.
    public init(probability: Double, next: Int, reward: Double, terminated: Bool) {
        self.probability = probability
        self.next = next
        self.reward = reward
        self.terminated = terminated
    }
}

/// A finite Markov decision process given as a table, in Gymnasium's `P[s][a]` form:
/// for every state and action a list of outcomes (probability, next state, reward, terminated).
///
/// Outcomes are stored in contiguous arrays (compressed rows), in the order given, so that
/// sampling and dynamic programming touch memory linearly.
public struct TabularModel: Sendable, Equatable {
    /// Number of states.
    public let stateCount: Int
    /// Number of actions.
    public let actionCount: Int
    /// Probability of starting in each state (sums to 1).
    public let start: [Double]
    /// `offsets[s·A + a] ..< offsets[s·A + a + 1]` indexes the outcomes of (s, a).
    public let offsets: [Int]
    /// Outcome probabilities, flat.
    public let probability: [Double]
    /// Outcome next states, flat.
    public let next: [Int]
    /// Outcome rewards, flat.
    public let reward: [Double]
    /// Outcome termination flags, flat.
    public let terminated: [Bool]

    /// Creates a model from nested outcome lists `outcomes[s][a]`.
    /// - Precondition: every list is non-empty, probabilities are non-negative and sum to 1
    ///   within 1e-9, next states are in range, and `start` sums to 1.
    public init(start: [Double], outcomes: [[[Outcome]]]) {
        stateCount = outcomes.count
        actionCount = outcomes.first?.count ?? 0
        precondition(start.count == stateCount, "start distribution has the wrong length")
        self.start = start
        var offsets = [0], p = [Double](), n = [Int](), r = [Double](), t = [Bool]()
        for row in outcomes {
            precondition(row.count == actionCount, "every state needs the same number of actions")
            for list in row {
                precondition(!list.isEmpty, "every (state, action) needs at least one outcome")
                for o in list {
                    precondition(o.probability >= 0 && o.next >= 0 && o.next < stateCount,
                                 "outcome out of range")
                    p.append(o.probability); n.append(o.next); r.append(o.reward); t.append(o.terminated)
                }
                offsets.append(p.count)
            }
        }
        self.offsets = offsets
        probability = p; next = n; reward = r; terminated = t
        assert(start.allSatisfy { $0 >= 0 } && abs(start.reduce(0, +) - 1) < 1e-9,
               "start distribution must sum to 1")
    }

    /// Creates a model from its flat arrays (compressed rows): the outcomes of (s, a) are the
    /// entries `offsets[s·A + a] ..< offsets[s·A + a + 1]` of `probability`, `next`, `reward`
    /// and `terminated`.
    /// - Precondition: `offsets` starts at 0, has S·A + 1 non-decreasing entries with
    ///   S = `start.count`, and every (s, a) has at least one outcome; the outcome arrays have
    ///   `offsets.last` entries, probabilities are non-negative and next states in range.
    /// - Complexity: O(S·A + outcomes); takes the arrays without copying them.
    public init(start: [Double], actionCount: Int, offsets: [Int], probability: [Double], next: [Int], reward: [Double],
                terminated: [Bool]) {
        stateCount = start.count
        self.actionCount = actionCount
        let n = probability.count
        precondition(offsets.count == stateCount * actionCount + 1 && offsets.first == 0 && offsets.last == n
                     && next.count == n && reward.count == n && terminated.count == n, "the table's arrays disagree in size")
        for k in 0..<(offsets.count - 1) { precondition(offsets[k] < offsets[k + 1], "every (state, action) needs an outcome") }
        for i in 0..<n {
            precondition(probability[i] >= 0 && next[i] >= 0 && next[i] < stateCount, "outcome out of range")
        }
        self.start = start
        self.offsets = offsets
        self.probability = probability
        self.next = next
        self.reward = reward
        self.terminated = terminated
    }

    /// The outcomes of taking `action` in `state`, in table order.
    public func outcomes(state: Int, action: Int) -> [Outcome] {
        let k = state * actionCount + action
        return (offsets[k]..<offsets[k + 1]).map {
            Outcome(probability: probability[$0], next: next[$0], reward: reward[$0], terminated: terminated[$0])
        }
    }

    /// Expected immediate reward of (state, action).
    public func expectedReward(state: Int, action: Int) -> Double {
        let k = state * actionCount + action
        var sum = 0.0
        for i in offsets[k]..<offsets[k + 1] { sum += probability[i] * reward[i] }
        return sum
    }

    /// Draws a start state.
    /// - Complexity: O(stateCount); allocates nothing.
    @inlinable
    public func sampleStart(using rng: inout RandomStream) -> Int {
        let u = rng.nextUniform()
        var acc = 0.0
        for s in 0..<stateCount {
            acc += start[s]
            if u < acc { return s }
        }
        return start.lastIndex(where: { $0 > 0 }) ?? 0
    }

    /// Draws the outcome index of (state, action) (an index into the flat arrays).
    /// - Complexity: O(outcomes of (state, action)); allocates nothing.
    /// - Precondition: `state` and `action` in range (one check; the rows are valid by construction,
    ///   so the look-ups after it are unchecked).
    @inlinable
    public func sampleOutcome(state: Int, action: Int, using rng: inout RandomStream) -> Int {
        precondition(UInt(bitPattern: state) < UInt(stateCount) && UInt(bitPattern: action) < UInt(actionCount),
                     "state or action out of range")
        let k = state &* actionCount &+ action
        let (lo, hi) = offsets.withUnsafeBufferPointer { o in (o[k], o[k &+ 1]) }
        if hi &- lo == 1 { return lo }
        let u = rng.nextUniform()
        return probability.withUnsafeBufferPointer { p in
            var acc = 0.0
            for i in lo..<hi {
                acc += p[i]
                if u < acc { return i }
            }
            return hi &- 1
        }
    }

    /// The next state, reward and termination flag of outcome `i` (an index from
    /// ``sampleOutcome(state:action:using:)``, hence in range: unchecked).
    @inlinable @inline(__always)
    public func outcome(_ i: Int) -> (next: Int, reward: Double, terminated: Bool) {
        next.withUnsafeBufferPointer { n in
            reward.withUnsafeBufferPointer { r in
                terminated.withUnsafeBufferPointer { t in (n[i], r[i], t[i]) }
            }
        }
    }
}
