import Crypto
import HawserCore

/// Computes a digest incrementally as bytes stream past, in the algorithm of
/// the digest it will be compared with.
struct StreamingDigester {
    private enum State {
        case sha256(SHA256)
        case sha512(SHA512)
    }

    private var state: State
    let algorithm: HawserCore.Digest.Algorithm

    init(_ algorithm: HawserCore.Digest.Algorithm) {
        self.algorithm = algorithm
        switch algorithm {
        case .sha256: state = .sha256(SHA256())
        case .sha512: state = .sha512(SHA512())
        }
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        switch state {
        case .sha256(var hasher):
            hasher.update(bufferPointer: bytes)
            state = .sha256(hasher)
        case .sha512(var hasher):
            hasher.update(bufferPointer: bytes)
            state = .sha512(hasher)
        }
    }

    func finalize() -> HawserCore.Digest? {
        let hex: String
        switch state {
        case .sha256(let hasher): hex = Self.hex(hasher.finalize())
        case .sha512(let hasher): hex = Self.hex(hasher.finalize())
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
