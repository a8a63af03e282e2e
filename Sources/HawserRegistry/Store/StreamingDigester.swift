import Crypto
import HawserCore

/// Computes a digest incrementally as bytes stream past, in the algorithm of
/// the digest it will be compared with.
///
/// The hasher lives in its own stored property and is updated in place: the
/// swift-crypto hashers are copy-on-write, and taking one out of an enum
/// payload to update it (a second reference) copied its context on every chunk.
struct StreamingDigester {
    private var sha256: SHA256?
    private var sha512: SHA512?
    let algorithm: HawserCore.Digest.Algorithm

    init(_ algorithm: HawserCore.Digest.Algorithm) {
        self.algorithm = algorithm
        switch algorithm {
        case .sha256: sha256 = SHA256()
        case .sha512: sha512 = SHA512()
        }
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        switch algorithm {
        case .sha256: sha256!.update(bufferPointer: bytes)
        case .sha512: sha512!.update(bufferPointer: bytes)
        }
    }

    func finalize() -> HawserCore.Digest? {
        let hex: String
        switch algorithm {
        case .sha256:
            guard let sha256 else { return nil }
            hex = Self.hex(sha256.finalize())
        case .sha512:
            guard let sha512 else { return nil }
            hex = Self.hex(sha512.finalize())
        }
        return try? HawserCore.Digest(algorithm: algorithm, encoded: hex)
    }

    /// The digest of bytes already in memory (manifests).
    static func digest(of bytes: [UInt8], algorithm: HawserCore.Digest.Algorithm = .sha256) -> HawserCore.Digest? {
        var digester = StreamingDigester(algorithm)
        bytes.withUnsafeBytes { digester.update($0) }
        return digester.finalize()
    }

    private static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let table: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(128)
        for byte in digest {
            out.append(table[Int(byte >> 4)])
            out.append(table[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
