import Foundation
import HawserCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hashes a stored file in chunks (bounded memory), refusing to follow a symlink.
enum BlobHasher {
    static let chunkSize = 1 << 20

    static func digest(ofFileAt path: String, algorithm: HawserCore.Digest.Algorithm) throws(StoreError) -> HawserCore.Digest? {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw StoreError(.io, path: path, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var digester = StreamingDigester(algorithm)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, chunkSize)
            if count < 0 {
                if errno == EINTR { continue }
                throw StoreError(.io, path: path, reason: "cannot read: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            digester.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        return digester.finalize()
    }
}

extension HawserCore.Digest {
    /// The digest of bytes held in memory (a manifest), in `algorithm`.
    public static func of(_ bytes: [UInt8], algorithm: HawserCore.Digest.Algorithm = .sha256) -> HawserCore.Digest? {
        StreamingDigester.digest(of: bytes, algorithm: algorithm)
    }
}
