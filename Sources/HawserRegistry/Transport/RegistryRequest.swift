import NIOCore
import NIOHTTP1

/// One HTTP request to a registry, a token service or a redirect target.
/// A value: layers may resend it (retry, auth, redirect), so its body must be
/// replayable (bytes in memory, or a range of a file read again).
public struct RegistryRequest: Sendable {
    public enum Body: Sendable {
        case empty
        case bytes(ByteBuffer)
        /// A range of a file, streamed from disk when sent.
        case file(path: String, offset: Int64, length: Int64)
        /// A one-shot stream (a blob copied from another registry): a layer that
        /// resends the request gets an error, and the copier starts the blob over.
        case stream(ByteStream)

        var length: Int64 {
            switch self {
            case .empty: 0
            case .bytes(let buffer): Int64(buffer.readableBytes)
            case .file(_, _, let length): length
            case .stream(let stream): stream.length
            }
        }
    }

    public var method: HTTPMethod
    public var url: String
    public var headers: HTTPHeaders
    public var body: Body
    /// Bytes of the body sent so far are reported here (uploads' progress).
    public var onBodyChunkSent: (@Sendable (Int) -> Void)?
    /// Where the body of a 200 answer goes, chunk by chunk, as it is read (blob
    /// downloads). Other answers keep their (bounded) body for error reporting.
    public var responseSink: ResponseBodySink?

    public init(method: HTTPMethod, url: String, headers: HTTPHeaders = [:], body: Body = .empty) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// Consumes a response body on the connection's event loop as each chunk is
/// read: no hand-off to another thread per chunk, and the next read waits until
/// the chunk is consumed (backpressure without buffering). `consume` must not
/// block for long (hashing and a write(2) to the page cache are fine). It may
/// throw to abort the exchange; the error reaches the caller unchanged.
public struct ResponseBodySink: Sendable {
    let consume: @Sendable (ByteBuffer) throws -> Void
    /// Called with the status and headers of a 200 or 206 answer before its
    /// body (a resumed download checks where the bytes start). May throw to abort.
    let begin: @Sendable (Int, HTTPHeaders) throws -> Void

    public init(begin: @escaping @Sendable (Int, HTTPHeaders) throws -> Void = { _, _ in },
                _ consume: @escaping @Sendable (ByteBuffer) throws -> Void) {
        self.begin = begin
        self.consume = consume
    }
}
