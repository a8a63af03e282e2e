import AsyncHTTPClient
import HawserCore
import NIOCore
import NIOHTTP1

/// The bottom of the stack: sends through the pooled client for the request's
/// scheme. `https` URLs use the attempt's TLS settings (also for its token
/// realm and redirect targets, as containerd uses one client per host);
/// `http` URLs use the plain client, which never tries TLS.
struct ClientTransport: HTTPTransport {
    let pool: HTTPClientPool
    let tls: TLSSettings
    /// Upper bound for a whole exchange; stalls are caught earlier by the read timeout.
    let deadline: TimeAmount

    init(pool: HTTPClientPool, tls: TLSSettings?, deadline: TimeAmount = .hours(2)) {
        self.pool = pool
        self.tls = tls ?? TLSSettings()
        self.deadline = deadline
    }

    func send(_ request: RegistryRequest) async throws -> RegistryResponse {
        let isHTTPS = request.url.lowercased().hasPrefix("https://")
        let client = try await pool.client(tls: isHTTPS ? tls : nil)
        if let sink = request.responseSink, case .empty = request.body {
            return try await sendStreaming(request, sink: sink, client: client)
        }
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = request.method
        outgoing.headers = request.headers
        if !outgoing.headers.contains(name: "User-Agent") {
            outgoing.headers.add(name: "User-Agent", value: HawserRegistry.userAgent)
        }
        switch request.body {
        case .empty:
            if request.method == .PUT || request.method == .POST || request.method == .PATCH {
                outgoing.headers.replaceOrAdd(name: "Content-Length", value: "0")
            }
        case .bytes(let buffer):
            outgoing.body = .bytes(buffer)
        case .file(let path, let offset, let length):
            let chunks = FileChunks(path: path, offset: offset, length: length, onChunk: request.onBodyChunkSent)
            outgoing.body = .stream(chunks, length: .known(length))
        case .stream(let stream):
            outgoing.body = .stream(ProgressStream(base: stream, onChunk: request.onBodyChunkSent), length: .known(stream.length))
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(outgoing, timeout: deadline)
        } catch let error as SourceStreamError {
            throw error
        } catch {
            throw TransportErrorMapper.map(error, method: request.method.rawValue, url: request.url)
        }
        return RegistryResponse(status: Int(response.status.code), headers: response.headers, url: request.url, body: response.body)
    }

    /// A request whose 200 body goes to `sink` on the connection's event loop
    /// (AsyncHTTPClient's delegate API): each chunk is consumed where it was
    /// read, instead of crossing to a task's thread and back per chunk as the
    /// async body sequence does. Returns once the body is complete.
    private func sendStreaming(_ request: RegistryRequest, sink: ResponseBodySink, client: HTTPClient) async throws -> RegistryResponse {
        var headers = request.headers
        if !headers.contains(name: "User-Agent") { headers.add(name: "User-Agent", value: HawserRegistry.userAgent) }
        let outgoing: HTTPClient.Request
        do {
            outgoing = try HTTPClient.Request(url: request.url, method: request.method, headers: headers)
        } catch {
            throw TransportErrorMapper.map(error, method: request.method.rawValue, url: request.url)
        }
        let delegate = SinkDelegate(sink: sink)
        let task = client.execute(request: outgoing, delegate: delegate, eventLoop: .indifferent,
                                  deadline: .now() + deadline)
        let result: SinkDelegate.Result
        do {
            result = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
        } catch let failure as SinkDelegate.SinkFailure {
            throw failure.underlying
        } catch {
            throw TransportErrorMapper.map(error, method: request.method.rawValue, url: request.url)
        }
        return RegistryResponse(status: result.status, headers: result.headers, url: request.url, body: .bytes(result.otherBody),
                                bodyDelivered: result.delivered)
    }
}

/// Hands a 200 body to the sink; keeps up to 64 KiB of any other body (an error document).
/// AsyncHTTPClient calls it on one event loop, one call at a time.
final class SinkDelegate: HTTPClientResponseDelegate, @unchecked Sendable {
    struct Result {
        let status: Int
        let headers: HTTPHeaders
        let otherBody: ByteBuffer
        let delivered: Bool
    }

    /// The sink refused a chunk (a content or store error): passed through unchanged.
    struct SinkFailure: Error {
        let underlying: any Error
    }

    private let sink: ResponseBodySink
    private var head: HTTPResponseHead?
    private var otherBody = ByteBuffer()
    static let otherBodyLimit = 64 << 10

    init(sink: ResponseBodySink) {
        self.sink = sink
    }

    func didReceiveHead(task: HTTPClient.Task<Result>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        self.head = head
        if Self.delivers(head.status) {
            do {
                try sink.begin(Int(head.status.code), head.headers)
            } catch {
                return task.eventLoop.makeFailedFuture(SinkFailure(underlying: error))
            }
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    /// The whole body (200) or the rest of it (206, a resumed download) goes to the sink.
    static func delivers(_ status: HTTPResponseStatus) -> Bool { status == .ok || status == .partialContent }

    func didReceiveBodyPart(task: HTTPClient.Task<Result>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        if let status = head?.status, Self.delivers(status) {
            do {
                try sink.consume(buffer)
            } catch {
                return task.eventLoop.makeFailedFuture(SinkFailure(underlying: error))
            }
        } else if otherBody.readableBytes < Self.otherBodyLimit {
            var part = buffer
            if let slice = part.readSlice(length: min(part.readableBytes, Self.otherBodyLimit - otherBody.readableBytes)) {
                otherBody.writeImmutableBuffer(slice)
            }
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveError(task: HTTPClient.Task<Result>, _ error: any Error) {}

    func didFinishRequest(task: HTTPClient.Task<Result>) throws -> Result {
        Result(status: Int(head?.status.code ?? 0), headers: head?.headers ?? [:], otherBody: otherBody,
               delivered: head.map { Self.delivers($0.status) } ?? false)
    }
}

/// Reports each chunk of a streamed request body as it is handed to the client.
struct ProgressStream: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: ByteStream
    let onChunk: (@Sendable (Int) -> Void)?

    func makeAsyncIterator() -> Iterator { Iterator(base: base.makeAsyncIterator(), onChunk: onChunk) }

    struct Iterator: AsyncIteratorProtocol {
        var base: ByteStream.AsyncIterator
        let onChunk: (@Sendable (Int) -> Void)?

        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await base.next() else { return nil }
            onChunk?(chunk.readableBytes)
            return chunk
        }
    }
}
