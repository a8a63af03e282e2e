import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import HawserTestSupport

/// A tiny HTTP/1.1 server on 127.0.0.1 for what a real registry cannot do in
/// a test: answer 404 as a mirror, serve bytes that do not match their digest,
/// issue tokens, record which headers arrived.
final class TestHTTPServer: Sendable {
    struct Request: Sendable {
        let method: String
        let uri: String
        let headers: [(String, String)]
        let body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
        var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }
        var query: [String: [String]] {
            guard let components = URLComponents(string: "http://x" + uri) else { return [:] }
            var result: [String: [String]] = [:]
            for item in components.queryItems ?? [] { result[item.name, default: []].append(item.value ?? "") }
            return result
        }
    }

    struct Response: Sendable {
        var status: Int
        var headers: [(String, String)] = []
        var body: [UInt8] = []
        /// Send the body one byte per interval (a registry that drips), instead of at once.
        var drip: TimeAmount?
        /// Send only this many bytes of the body, then close the connection (a reset mid-body).
        var closeAfter: Int?
        /// Send only this many bytes of the body, then nothing more (a hung transfer).
        var hangAfter: Int?

        static func json(_ status: Int, _ text: String, headers: [(String, String)] = []) -> Response {
            Response(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(text.utf8))
        }
    }

    typealias Handler = @Sendable (Request) -> Response

    let port: Int
    private let channel: any Channel
    private let recorded = Mutex<[Request]>([])

    var host: String { "127.0.0.1:\(port)" }
    var baseURL: String { "http://\(host)" }
    var requests: [Request] { recorded.withLock { $0 } }

    private init(port: Int, channel: any Channel) {
        self.port = port
        self.channel = channel
    }

    /// - Parameter gate: holds the requests it matches before answering them (see RequestGate).
    static func start(gate: RequestGate? = nil, _ handler: @escaping Handler) async throws -> TestHTTPServer {
        let box = ServerBox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Connection(handler: handler, gate: gate, record: { request in box.server?.record(request) }))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = TestHTTPServer(port: channel.localAddress?.port ?? 0, channel: channel)
        box.server = server
        return server
    }

    private func record(_ request: Request) { recorded.withLock { $0.append(request) } }

    func stop() async { try? await channel.close() }

    private final class ServerBox: @unchecked Sendable {
        // Set once before the first connection is accepted.
        var server: TestHTTPServer?
    }

    private final class Connection: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let handler: Handler
        let gate: RequestGate?
        let record: @Sendable (Request) -> Void
        var head: HTTPRequestHead?
        var body: [UInt8] = []

        init(handler: @escaping Handler, gate: RequestGate?, record: @escaping @Sendable (Request) -> Void) {
            self.handler = handler
            self.gate = gate
            self.record = record
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let value):
                head = value
                body = []
            case .body(var buffer):
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .end:
                guard let head else { return }
                let request = Request(method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) }, body: body)
                record(request)
                self.head = nil
                let response = handler(request)
                guard let gate, gate.matches(request) else {
                    Self.respond(response, to: head, in: context)
                    return
                }
                let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
                let loop = context.eventLoop
                gate.hold(on: loop) { loop.execute { Self.respond(response, to: head, in: bound.value) } }
            }
        }

        private static func respond(_ response: Response, to head: HTTPRequestHead, in context: ChannelHandlerContext) {
            var headers = HTTPHeaders(response.headers)
            if !headers.contains(name: "Content-Length") { headers.add(name: "Content-Length", value: "\(response.body.count)") }
            let responseHead = HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
            context.write(NIOAny(HTTPServerResponsePart.head(responseHead)), promise: nil)
            if let hangAfter = response.hangAfter, head.method != .HEAD {
                let part = Array(response.body.prefix(hangAfter))
                context.writeAndFlush(NIOAny(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: part)))), promise: nil)
                return
            }
            if let closeAfter = response.closeAfter, head.method != .HEAD {
                let part = Array(response.body.prefix(closeAfter))
                // Closed once the part is written (closing earlier could drop it).
                let channel = context.channel
                context.writeAndFlush(NIOAny(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: part))))).whenComplete { _ in
                    channel.close(promise: nil)
                }
                return
            }
            if let drip = response.drip, head.method != .HEAD {
                context.flush()
                Self.drip(response.body[...], every: drip, in: context)
                return
            }
            if head.method != .HEAD, !response.body.isEmpty {
                context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
            }
            context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
        }

        /// One byte, then the rest later; stops when the client goes away.
        private static func drip(_ bytes: ArraySlice<UInt8>, every interval: TimeAmount, in context: ChannelHandlerContext) {
            guard context.channel.isActive else { return }
            guard let first = bytes.first else {
                context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
                return
            }
            context.writeAndFlush(NIOAny(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: [first])))), promise: nil)
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            let rest = bytes.dropFirst()
            context.eventLoop.scheduleTask(in: interval) { drip(rest, every: interval, in: bound.value) }
        }
    }
}

/// Runs `body` with a started test server, stopping it afterwards.
func withTestServer<T>(
    gate: RequestGate? = nil, _ handler: @escaping TestHTTPServer.Handler, _ body: (TestHTTPServer) async throws -> T
) async throws -> T {
    let server = try await TestHTTPServer.start(gate: gate, handler)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
