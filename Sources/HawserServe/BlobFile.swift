import HawserFileIO
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only descriptor of a blob's file: a stored blob, or the ingest file of
/// one arriving, shared by every client that streams it while it arrives.
/// `pread` takes its own offset, so readers never disturb each other; the
/// descriptor still reads the same file after the verified blob is renamed to
/// its final name, and is closed with the last reader.
final class BlobFile: Sendable {
    let descriptor: Int32

    init(path: String) throws(MirrorError) {
        // O_NOFOLLOW: the store's files are regular files; a symlink put there is not followed.
        descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            throw MirrorError(status: 500, .unknown, "the mirror cannot open the blob's file in its store")
        }
    }

    deinit { close(descriptor) }

    /// Up to `count` bytes at `offset`. Bytes in the page cache (a blob just
    /// written, or served often) are read here at once; a read that would wait
    /// for the disk (or a store on NFS) goes to NIO's blocking-I/O pool, so it
    /// never holds up the tasks serving other clients.
    func read(at offset: Int64, count: Int, allocator: ByteBufferAllocator) async throws -> ByteBuffer {
        let descriptor = descriptor
        var buffer = allocator.buffer(capacity: count)
        let cached = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { pointer in
            max(0, hawser_pread_cached(descriptor, pointer.baseAddress, count, off_t(offset)))
        }
        if cached > 0 { return buffer }
        let empty = buffer
        return try await NIOThreadPool.singleton.runIfActive { () throws(MirrorError) -> ByteBuffer in
            var buffer = empty
            let read = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { pointer in
                while true {
                    let result = pread(descriptor, pointer.baseAddress, count, off_t(offset))
                    if result < 0, errno == EINTR { continue }
                    return max(0, result)
                }
            }
            if read == 0 { throw MirrorError(status: 500, .unknown, "the mirror could not read the blob's file in its store") }
            return buffer
        }
    }
}
