import Hummingbird
import NIOCore

/// Sends a blob's bytes from its file into a response body, a chunk at a time,
/// with at most one chunk per client waiting in memory.
///
/// Hummingbird's body writer hands each chunk to the connection's event loop and
/// returns at once while the connection still counts as writable; the connection
/// only counts as full once the loop has run and queued the bytes. Reading a file
/// that is in the page cache is faster than that loop, so a plain read-write loop
/// queued megabytes per client before the first write suspended (16 clients of a
/// cold image peaked at 94-162 MiB, nearly all of it such chunks: heaptrack). After
/// each chunk this waits for the event loop to run a task queued behind it: the
/// chunk is then in the connection, its writability counts it, and the next write
/// suspends while the client is not reading.
struct BlobBodyWriter: Sendable {
    /// Bytes per read and write. 16 clients pulling 8 blobs each hold 16 MiB of
    /// chunks at most; 256 KiB chunks served a warm 512 MiB image slower (0.60x
    /// docker-registry against 0.89x, docs/benchmarks.md).
    static let chunkLength = 128 << 10

    let file: BlobFile
    let eventLoop: any EventLoop
    let metrics: MirrorMetrics
    let allocator = ByteBufferAllocator()

    /// Sends the file's bytes `range` (offsets in the file).
    func send(_ range: Range<Int64>, into writer: inout any ResponseBodyWriter) async throws {
        var offset = range.lowerBound
        while offset < range.upperBound {
            let count = Int(min(Int64(Self.chunkLength), range.upperBound - offset))
            let buffer = try await file.read(at: offset, count: count, allocator: allocator)
            offset += Int64(buffer.readableBytes)
            metrics.served(bytes: buffer.readableBytes)
            try await writer.write(buffer)
            try await eventLoop.submit {}.get()
        }
    }
}
