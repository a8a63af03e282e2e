import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only descriptor of a blob's ingest file, shared by every client that
/// streams the blob while it arrives. `pread` takes its own offset, so readers
/// never disturb each other; the descriptor still reads the same file after the
/// verified blob is renamed to its final name, and is closed with the last reader.
final class SpoolFile: Sendable {
    let descriptor: Int32

    init(path: String) throws(MirrorError) {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw MirrorError(status: 500, .unknown, "the mirror cannot read back the blob it is storing")
        }
    }

    deinit { close(descriptor) }

    /// Up to `count` bytes at `offset`.
    func read(at offset: Int64, count: Int, allocator: ByteBufferAllocator) throws(MirrorError) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: count)
        var failed = false
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { pointer in
            while true {
                let result = pread(descriptor, pointer.baseAddress, count, off_t(offset))
                if result < 0, errno == EINTR { continue }
                guard result > 0 else {
                    failed = true
                    return 0
                }
                return result
            }
        }
        if failed { throw MirrorError(status: 500, .unknown, "the mirror could not read back the blob it is storing") }
        return buffer
    }
}
