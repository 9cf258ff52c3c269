import Foundation
@testable import PolicyGradient
import XCTest

/// SHA-256 against the FIPS 180-2 examples and NIST's long-message vector, at every padding
/// boundary, in pieces of any size, and of a file.
final class SHA256Tests: XCTestCase {
    /// FIPS 180-2, Appendix B (and the million-'a' vector of its §B.3).
    func testStandardVectors() {
        let vectors: [(String, String)] = [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
             "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
            (String(repeating: "a", count: 1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
        ]
        for (message, digest) in vectors {
            XCTAssertEqual(SHA256.hexDigest(of: Array(message.utf8)), digest, "\(message.prefix(20))… (\(message.count) bytes)")
        }
    }

    /// Messages of n bytes (i mod 251) around the 55/56- and 64-byte padding boundaries
    /// (digests from Python's hashlib), hashed whole and in pieces of 1, 7, 63, 64 and 65 bytes.
    func testPaddingBoundariesAndPieces() {
        let expected: [Int: String] = [
            55: "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59",
            56: "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562",
            63: "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488",
            64: "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108",
            65: "4bfd2c8b6f1eec7a2afeb48b934ee4b2694182027e6d0fc075074f2fabb31781",
            119: "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6",
            120: "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c",
            128: "471fb943aa23c511f6f72f8d1652d9c880cfa392ad80503120547703e56a2be5",
        ]
        for (n, digest) in expected.sorted(by: { $0.key < $1.key }) {
            let bytes = (0..<n).map { UInt8($0 % 251) }
            XCTAssertEqual(SHA256.hexDigest(of: bytes), digest, "\(n) bytes")
            for piece in [1, 7, 63, 64, 65] {
                var h = SHA256()
                for start in stride(from: 0, to: n, by: piece) { h.update(bytes[start..<min(n, start + piece)]) }
                XCTAssertEqual(h.hexDigest, digest, "\(n) bytes in pieces of \(piece)")
                XCTAssertEqual(h.hexDigest, digest, "reading the digest does not change the hash")
            }
        }
    }

    func testFileDigestAndItsErrors() throws {
        let dir = try ScratchFiles.directory(self), path = dir + "/f.txt"
        try "abc".write(toFile: path, atomically: false, encoding: .utf8)
        XCTAssertEqual(try SHA256.hexDigest(ofFile: path), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertThrowsError(try SHA256.hexDigest(ofFile: path, limit: 2)) { XCTAssertTrue("\($0)".contains("larger than")) }
        XCTAssertThrowsError(try SHA256.hexDigest(ofFile: dir + "/missing"))
    }
}
