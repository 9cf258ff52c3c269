import Foundation

extension RolloutEngine {
    /// Draws the action by Gumbel-max, a = argmax_k(log π_k + g_k) (an exact sample of π), and
    /// adds the step's Gumbel-softmax or straight-through logit cotangent
    /// (γᵗ/N) (∂y/∂logits)ᵀ ∇f, with y = softmax((log π + g)/τ) and
    /// (∂y/∂logits)ᵀ v = (1/τ) y ⊙ (v − ⟨y, v⟩) (see ``GumbelSoftmax``).
    /// ∇f is taken at y (`gumbel`) or at z = onehot(a) (`st-gumbel`); f is the environment's
    /// differentiable reward, or the critic Q_w(s, ·).
    /// - Complexity: O(A) plus one critic pass; allocates nothing.
    @inline(__always)
    func gumbelStep(state s: Int, discount: Double, ws: ChunkWorkspace<E>, counters: inout ChunkCounters,
                    ctx: RolloutContext, rng: inout RandomStream) -> Int {
        let a = actionCount, tau = ctx.temperature
        let pert = ws.perturbed, y = ws.relaxed, v = ws.signal
        let best = GumbelSoftmax.sampleArgmax(logits: UnsafeBufferPointer(start: ctx.logProbabilities + s * a, count: a),
                                              perturbed: pert, using: &rng)
        GumbelSoftmax.relax(perturbed: UnsafeBufferPointer(pert), temperature: tau, into: y)
        // The point where f is differentiated: soft y, or the hard one-hot z (kept in `pert`).
        let point: UnsafeMutableBufferPointer<Double>
        if ctx.estimator == .gumbel {
            point = y
        } else {
            GumbelSoftmax.oneHot(best, into: pert)
            point = pert
        }
        let weight = discount * ctx.inverseEpisodes
        counters.surrogateSum += weight * signalGradient(state: s, at: UnsafeBufferPointer(point), into: v, ws: ws, ctx: ctx)
        GumbelSoftmax.accumulateBackward(relaxed: UnsafeBufferPointer(y), cotangent: UnsafeBufferPointer(v),
                                         temperature: tau, scale: weight,
                                         into: UnsafeMutableBufferPointer(start: ws.score + s * a, count: a))
        return best
    }

    /// f(x) and ∇ₓ f(x) for the Gumbel estimators: the differentiable reward if the
    /// environment has one, else the critic.
    @inline(__always)
    func signalGradient(state s: Int, at x: UnsafeBufferPointer<Double>, into v: UnsafeMutableBufferPointer<Double>,
                        ws: ChunkWorkspace<E>, ctx: RolloutContext) -> Double {
        if let d = differentiable {
            d.rewardGradient(relaxed: x, state: s, into: v)
            return d.reward(relaxed: x, state: s)
        }
        guard let critic = ctx.critic else {
            preconditionFailure("a Gumbel estimator needs a differentiable reward or a critic")
        }
        let f = environment.featureCount
        for j in 0..<f { ws.criticInput[j] = ctx.features[s * f + j] }
        return critic.pointee.evaluate(input: ws.criticInput, action: x, gradient: v)
    }
}
