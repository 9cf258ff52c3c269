import Foundation
@testable import PolicyGradient

/// Many Gumbel-softmax draws at extreme temperatures and logits, counting anything that is
/// not a finite point of the simplex with a finite backward pass.
struct GumbelStress {
    /// Draws with a NaN or ∞ in y or in the logit cotangent.
    var nonFinite = 0
    /// Draws with a negative yₖ or |Σ y − 1| > 10⁻¹².
    var offSimplex = 0
    /// Draws made.
    var draws = 0
    /// Largest |Σ y − 1| seen.
    var worstSum = 0.0

    /// `draws` draws per temperature; logits of length 2, 3 or 5 uniform in [−`magnitude`, `magnitude`],
    /// one in four draws with the extreme vector (±magnitude alternating); cotangents N(0, 1).
    mutating func run(temperatures: [Double], drawsPerTemperature: Int, magnitude: Double, seed: UInt64) {
        var rng = RandomStream(seed: seed)
        var buffers = [Double](repeating: 0, count: 25)
        buffers.withUnsafeMutableBufferPointer { b in
            for tau in temperatures {
                for i in 0..<drawsPerTemperature {
                    let n = [2, 3, 5][i % 3]
                    let logits = UnsafeMutableBufferPointer(rebasing: b[0..<n])
                    let pert = UnsafeMutableBufferPointer(rebasing: b[5..<(5 + n)])
                    let y = UnsafeMutableBufferPointer(rebasing: b[10..<(10 + n)])
                    let v = UnsafeMutableBufferPointer(rebasing: b[15..<(15 + n)])
                    let out = UnsafeMutableBufferPointer(rebasing: b[20..<(20 + n)])
                    for k in 0..<n {
                        logits[k] = i % 4 == 0 ? (k % 2 == 0 ? magnitude : -magnitude)
                            : magnitude * (2 * rng.nextUniform() - 1)
                        v[k] = rng.nextGaussian()
                    }
                    _ = GumbelSoftmax.sampleArgmax(logits: UnsafeBufferPointer(logits), perturbed: pert, using: &rng)
                    GumbelSoftmax.relax(perturbed: UnsafeBufferPointer(pert), temperature: tau, into: y)
                    GumbelSoftmax.backward(relaxed: UnsafeBufferPointer(y), cotangent: UnsafeBufferPointer(v),
                                           temperature: tau, into: out)
                    record(y: UnsafeBufferPointer(y), gradient: UnsafeBufferPointer(out))
                }
            }
        }
    }

    mutating func record(y: UnsafeBufferPointer<Double>, gradient: UnsafeBufferPointer<Double>) {
        draws += 1
        var sum = 0.0, finite = true, negative = false
        for k in y.indices {
            sum += y[k]
            finite = finite && y[k].isFinite && gradient[k].isFinite
            negative = negative || y[k] < 0
        }
        if !finite { nonFinite += 1; return }
        worstSum = max(worstSum, abs(sum - 1))
        if negative || abs(sum - 1) > 1e-12 { offSimplex += 1 }
    }
}
