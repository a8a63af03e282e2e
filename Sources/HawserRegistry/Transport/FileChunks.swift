import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A range of a file as an async sequence of large `ByteBuffer`s, read as the
/// HTTP client asks for them (so an upload holds one chunk in memory).
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let path: String
    let offset: Int64
    let length: Int64
    let onChunk: (@Sendable (Int) -> Void)?
    static let chunkSize = 1 << 20

    func makeAsyncIterator() -> Iterator {
        Iterator(path: path, position: offset, remaining: length, onChunk: onChunk)
    }

    final class Iterator: AsyncIteratorProtocol {
        private let path: String
        private var position: Int64
        private var remaining: Int64
        private var descriptor: Int32 = -1
        private let onChunk: (@Sendable (Int) -> Void)?

        init(path: String, position: Int64, remaining: Int64, onChunk: (@Sendable (Int) -> Void)?) {
            self.path = path
            self.position = position
            self.remaining = remaining
            self.onChunk = onChunk
        }

        deinit { if descriptor >= 0 { close(descriptor) } }

        func next() async throws -> ByteBuffer? {
            guard remaining > 0 else { return nil }
            if descriptor < 0 {
                descriptor = open(path, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else {
                    throw StoreError(.io, path: path, reason: "cannot open: \(String(cString: strerror(errno)))")
                }
            }
            let wanted = Int(Swift.min(Int64(FileChunks.chunkSize), remaining))
            var buffer = ByteBufferAllocator().buffer(capacity: wanted)
            let path = self.path, descriptor = self.descriptor, position = self.position
            let count = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { pointer -> Int in
                let read = pread(descriptor, pointer.baseAddress, wanted, off_t(position))
                guard read >= 0 else {
                    throw StoreError(.io, path: path, reason: "read failed: \(String(cString: strerror(errno)))")
                }
                return read
            }
            guard count > 0 else {
                throw StoreError(.io, path: path, reason: "file ended \(remaining) bytes early")
            }
            self.position += Int64(count)
            remaining -= Int64(count)
            onChunk?(count)
            return buffer
        }
    }
}
