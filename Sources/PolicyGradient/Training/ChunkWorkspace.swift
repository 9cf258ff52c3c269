/// Scratch owned by one chunk of a batch: the environment copy, K episode buffers and the
/// chunk's statistics. Allocated once; the rollout allocates nothing per step.
final class ChunkWorkspace<E: Environment> {
    var env: E
    var accumulator: BatchAccumulator
    /// K × H buffers of one group of episodes.
    let states: UnsafeMutablePointer<Int>
    let actions: UnsafeMutablePointer<Int>
    let rewards: UnsafeMutablePointer<Double>
    let returns: UnsafeMutablePointer<Double>
    let lengths: UnsafeMutablePointer<Int>
    /// Per-step Gumbel scratch: perturbed logits, y, ∇f, and critic input (F + A).
    let perturbed: UnsafeMutableBufferPointer<Double>
    let relaxed: UnsafeMutableBufferPointer<Double>
    let signal: UnsafeMutableBufferPointer<Double>
    let criticInput: UnsafeMutableBufferPointer<Double>
    let capacity: Int

    init(env: E, samples k: Int) {
        self.env = env
        let h = env.timeLimit, a = env.actionCount
        accumulator = BatchAccumulator(stateCount: env.stateCount, actionCount: a)
        capacity = k * h
        states = .allocate(capacity: capacity)
        actions = .allocate(capacity: capacity)
        rewards = .allocate(capacity: capacity)
        returns = .allocate(capacity: capacity)
        lengths = .allocate(capacity: k)
        perturbed = .allocate(capacity: a)
        relaxed = .allocate(capacity: a)
        signal = .allocate(capacity: a)
        criticInput = .allocate(capacity: env.featureCount + a)
    }

    deinit {
        states.deallocate(); actions.deallocate(); rewards.deallocate(); returns.deallocate()
        lengths.deallocate(); perturbed.deallocate(); relaxed.deallocate(); signal.deallocate()
        criticInput.deallocate()
    }
}
