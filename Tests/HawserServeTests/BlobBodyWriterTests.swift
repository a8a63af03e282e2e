import Foundation
import HTTPTypes
import HawserTestSupport
import HummingbirdCore
import NIOCore
import NIOPosix
import Synchronization
import Testing
@testable import HawserServe

#if canImport(Glibc)
import Glibc
#endif

/// `BlobBodyWriter` against a real NIO connection whose event loop is held busy:
/// the case where the mirror's memory ran away (16 clients of a cold image, 2 cores).
@Suite("serve: blob bodies wait for the connection")
struct BlobBodyWriterTests {
    /// Hummingbird's HTTP/1 body writer in miniature: each chunk goes to the
    /// connection's async outbound writer (which returns while the channel counts as
    /// writable). Counts the bytes handed over.
    struct CountingWriter: ResponseBodyWriter {
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        let handed: Counter

        mutating func write(_ buffer: ByteBuffer) async throws {
            handed.value.add(buffer.readableBytes, ordering: .relaxed)
            try await outbound.write(buffer)
        }

        mutating func write(contentsOf buffers: some Sequence<ByteBuffer>) async throws {
            for buffer in buffers { try await write(buffer) }
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
            outbound.finish()
        }
    }

    @Test("while the event loop is busy, at most one chunk is handed to the connection; then the whole file, in order")
    func oneChunkWhileTheLoopIsBusy() async throws {
        let directory = try TemporaryDirectory("hawser-body-writer")
        defer { directory.remove() }
        let size = 16 << 20
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        let path = directory.file("blob")
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0) { channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
        let port = try #require(server.channel.localAddress?.port)
        let client = try StalledConnection(port: port)
        let handed = Counter()
        let file = try BlobFile(path: path)

        try await server.executeThenClose { inbound in
            var connections = inbound.makeAsyncIterator()
            let connection = try #require(try await connections.next())
            try await connection.executeThenClose { _, outbound in
                let loop = connection.channel.eventLoop
                // The loop is busy for 600 ms (as with many clients on two cores).
                loop.execute { usleep(600_000) }
                let sender = BlobBodyWriter(file: file, eventLoop: loop, metrics: MirrorMetrics())
                let sending = Task {
                    var writer: any ResponseBodyWriter = CountingWriter(outbound: outbound, handed: handed)
                    try await sender.send(0..<Int64(size), into: &writer)
                }
                try await Task.sleep(for: .milliseconds(300))
                let whileBusy = handed.value.load(ordering: .relaxed)
                // Without the wait after each write, every chunk of the file was handed over
                // (and held in memory) before the loop had written the first.
                #expect(whileBusy <= BlobBodyWriter.chunkLength,
                        "\(whileBusy) bytes were handed to a connection whose event loop had not run")
                let received = try client.readAll(count: size)
                try await sending.value
                #expect(received == bytes)
            }
        }
        try await group.shutdownGracefully()
    }

    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }
}

extension StalledConnection {
    /// A connection to a plain TCP server that sends nothing.
    convenience init(port: Int) throws {
        try self.init(port: port, request: nil)
    }

    /// Reads exactly `count` bytes.
    func readAll(count: Int) throws -> [UInt8] {
        var all: [UInt8] = []
        all.reserveCapacity(count)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while all.count < count {
            let read = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, min($0.count, count - all.count), 0) }
            if read <= 0 { throw POSIXError(.ETIMEDOUT) }
            all.append(contentsOf: chunk[0..<read])
        }
        return all
    }
}
