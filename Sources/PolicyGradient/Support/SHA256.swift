/// SHA-256 (NIST FIPS 180-4, "Secure Hash Standard", 2015, §6.2), in pure Swift: the content
/// hash a run header records for every environment file it read, so that a rerun notices an
/// edited file instead of silently using it.
///
/// ```swift
/// var h = SHA256()
/// h.update(Array("abc".utf8))
/// h.hexDigest  // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// ```
///
/// Checked against the FIPS 180-2 / NIST CAVP test vectors in the tests. Not constant-time:
/// it fingerprints files, it does not guard secrets.
public struct SHA256: Sendable {
    /// The eight working words H₀…H₇ (initially the first 32 bits of the fractional parts of
    /// the square roots of the first eight primes).
    private var state: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
    /// Bytes not yet hashed (fewer than 64).
    private var pending: [UInt8] = []
    /// Bytes seen so far.
    private var length: UInt64 = 0

    /// The round constants K₀…K₆₃ (the first 32 bits of the fractional parts of the cube roots
    /// of the first 64 primes).
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    /// A hash of nothing yet.
    public init() {}

    /// The SHA-256 digest of `bytes` as 64 lowercase hexadecimal digits.
    /// - Parameter bytes: the message.
    /// - Returns: the hex digest.
    /// - Complexity: O(bytes.count).
    public static func hexDigest<Bytes: Collection>(of bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var h = SHA256()
        h.update(bytes)
        return h.hexDigest
    }

    /// Hashes more of the message.
    /// - Parameter bytes: the next bytes.
    /// - Complexity: O(bytes.count).
    public mutating func update<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let array = bytes as? [UInt8] ?? Array(bytes)
        length &+= UInt64(array.count)
        var words = [UInt32](repeating: 0, count: 64)
        array.withUnsafeBufferPointer { buf in
            var i = 0
            if !pending.isEmpty {
                let take = min(64 - pending.count, buf.count)
                pending += buf[0..<take]
                i = take
                guard pending.count == 64 else { return }
                pending.withUnsafeBufferPointer { compress($0, into: &words) }
                pending.removeAll(keepingCapacity: true)
            }
            while i + 64 <= buf.count {
                compress(UnsafeBufferPointer(rebasing: buf[i..<(i + 64)]), into: &words)
                i += 64
            }
            pending += buf[i...]
        }
    }

    /// The 32-byte digest of everything given to ``update(_:)`` (the hash itself is not changed).
    /// - Returns: the digest, H₀…H₇ big-endian.
    /// - Complexity: O(1).
    public var digest: [UInt8] {
        var copy = self
        let bits = length &* 8
        var tail: [UInt8] = [0x80]
        tail += [UInt8](repeating: 0, count: (55 - pending.count + 64) % 64)
        tail += (0..<8).map { UInt8(truncatingIfNeeded: bits >> (56 - 8 * UInt64($0))) }
        copy.update(tail)
        precondition(copy.pending.isEmpty, "the padding ends a block")
        return copy.state.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (24 - 8 * UInt32($0))) } }
    }

    /// ``digest`` as 64 lowercase hexadecimal digits.
    public var hexDigest: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in digest { out += [digits[Int(b >> 4)], digits[Int(b & 15)]] }
        return String(decoding: out, as: UTF8.self)
    }

    /// One 64-byte block (§6.2.2): the message schedule W₀…W₆₃, then 64 rounds.
    private mutating func compress(_ block: UnsafeBufferPointer<UInt8>, into w: inout [UInt32]) {
        for t in 0..<16 {
            w[t] = UInt32(block[4 * t]) << 24 | UInt32(block[4 * t + 1]) << 16 | UInt32(block[4 * t + 2]) << 8
                | UInt32(block[4 * t + 3])
        }
        for t in 16..<64 {
            let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
            let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
            w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
        }
        var a = state[0], b = state[1], c = state[2], d = state[3]
        var e = state[4], f = state[5], g = state[6], h = state[7]
        for t in 0..<64 {
            let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ Self.k[t] &+ w[t]
            let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
            h = g; g = f; f = e; e = d &+ t1
            d = c; c = b; b = a; a = t1 &+ t2
        }
        for (i, v) in [a, b, c, d, e, f, g, h].enumerated() { state[i] = state[i] &+ v }
    }

    private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }
}

extension SHA256 {
    /// The largest file ``hexDigest(ofFile:limit:)`` hashes by default: 256 MiB (larger than
    /// any environment file pg reads).
    public static let maximumFileSize = 256 << 20

    /// The SHA-256 digest of the file at `path`, as 64 lowercase hexadecimal digits.
    /// - Parameters:
    ///   - path: the file.
    ///   - limit: the largest size accepted, in bytes.
    /// - Returns: the hex digest.
    /// - Throws: ``InputError`` naming the file when it cannot be read or is larger than `limit`.
    /// - Complexity: O(size of the file).
    public static func hexDigest(ofFile path: String, limit: Int = maximumFileSize) throws -> String {
        hexDigest(of: try InputFile.read(path: path, limit: limit, what: "the file"))
    }
}
