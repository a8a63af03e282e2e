import NIOCore
import Synchronization

/// A blob's bytes as they arrive (a registry's response body), handed from a
/// source to a destination without holding them: each chunk is read when the
/// consumer asks for the next, so memory stays at a chunk or two whatever the
/// blob's size.
///
/// One-shot: a response body can be read once. A second iteration (a retry or
/// authentication layer resending a request) gets an error instead of bytes,
/// and the copy starts that blob over from a fresh source stream.
public struct ByteStream: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer

    /// Bytes the stream will yield (the descriptor's size, or its rest after a resume).
    public let length: Int64
    private let state: Once

    /// - Parameter next: returns the next chunk, nil at the end; called by one task at a time.
    public init(length: Int64, next: @escaping @Sendable () async throws -> ByteBuffer?) {
        self.length = length
        self.state = Once(next)
    }

    /// Wraps any sequence of buffers (a response body, a file range).
    public init<Base: AsyncSequence & Sendable>(length: Int64, _ base: Base) where Base.Element == ByteBuffer {
        let cursor = IteratorBox(base.makeAsyncIterator())
        self.init(length: length) { try await cursor.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(next: state.take())
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let next: (@Sendable () async throws -> ByteBuffer?)?

        public mutating func next() async throws -> ByteBuffer? {
            guard let next else { throw ByteStreamReplayed() }
            return try await next()
        }
    }

    /// Hands the producer out once.
    final class Once: Sendable {
        private let producer: Mutex<(@Sendable () async throws -> ByteBuffer?)?>
        init(_ producer: @escaping @Sendable () async throws -> ByteBuffer?) { self.producer = Mutex(producer) }
        func take() -> (@Sendable () async throws -> ByteBuffer?)? { producer.withLock { value in defer { value = nil }; return value } }
    }

    /// An iterator of a Sendable sequence, advanced by one task at a time (the
    /// consumer of the stream); the class only lets the closure hold it.
    final class IteratorBox<Iterator: AsyncIteratorProtocol>: @unchecked Sendable where Iterator.Element == ByteBuffer {
        private var iterator: Iterator
        init(_ iterator: Iterator) { self.iterator = iterator }
        func next() async throws -> ByteBuffer? { try await iterator.next() }
    }
}

/// The source of a stream failed while its bytes were being sent on (the
/// connection to it broke, or it sent bytes that are not the blob): passed
/// through the sending request unchanged, so the failure is put on the source's
/// side, not on the destination the bytes were going to.
public struct SourceStreamError: Error, Sendable, CustomStringConvertible {
    public let error: any Error

    public init(_ error: any Error) {
        self.error = error
    }

    public var description: String { "\(error)" }
}

/// A one-shot stream was iterated a second time (a layer resent the request).
public struct ByteStreamReplayed: Error, Sendable, CustomStringConvertible {
    public var description: String { "the blob's bytes were already sent once; the transfer of this blob starts over" }
}
