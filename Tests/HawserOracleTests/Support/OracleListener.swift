import Foundation
import HawserTestSupport
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// What a listener answers once it has an HTTP request.
enum Behaviour: String, Codable, Sendable {
    /// The tiny image under `library/app` (tag `v1` and by digest); 404 for anything else.
    case serve
    case notFound = "404"
    /// 401 with `WWW-Authenticate: Basic`.
    case basic401 = "401-basic"
    /// 401 with a Bearer challenge whose realm (on the same listener) hands out an anonymous token.
    case bearer401 = "401-bearer"
    case forbidden = "403"
    case serverError = "500"
    case unavailable = "503"
}

/// One thing a listener saw, in the order it happened across all listeners of a
/// situation: a connection opening (`request` nil) or a request read on it.
struct ListenerEvent: Codable, Sendable, Equatable {
    /// The listener's token (`mirror1`, `registry`, ...).
    var listener: String
    /// `tls` when the connection's first byte was 0x16 (a TLS record), `plain` otherwise.
    var transport: String
    /// The connection's number (accept order, by first byte).
    var connection: Int
    /// `METHOD /path?query` (decrypted for TLS listeners; for plain HTTP sent to a
    /// TLS listener, the request line it sent).
    var request: String?
    /// This request was a manifest request answered 200: the image resolved here.
    var resolved = false
}

/// Everything the listeners of one situation saw, in order.
final class ConnectionLog: Sendable {
    private let state = Mutex<(events: [ListenerEvent], connections: Int)>(([], 0))

    /// A new connection; returns its number.
    func open(listener: String, transport: String) -> Int {
        state.withLock { state in
            let number = state.connections
            state.connections += 1
            state.events.append(ListenerEvent(listener: listener, transport: transport, connection: number, request: nil))
            return number
        }
    }

    func request(_ line: String, on connection: Int, resolved: Bool = false) {
        state.withLock { state in
            guard let opened = state.events.last(where: { $0.connection == connection }) else { return }
            // The first request fills the connection's opening event when nothing happened in between.
            if let last = state.events.last, last.connection == connection, last.request == nil {
                state.events[state.events.count - 1].request = line
                state.events[state.events.count - 1].resolved = resolved
                return
            }
            state.events.append(ListenerEvent(listener: opened.listener, transport: opened.transport, connection: connection,
                                              request: line, resolved: resolved))
        }
    }

    var snapshot: [ListenerEvent] { state.withLock { $0.events } }
}

/// A loopback listener that tells TLS from plain HTTP by the first byte of each
/// connection, records what arrives, and answers like a registry would:
/// TLS listeners speak HTTPS (and answer plain HTTP the way Go's net/http
/// does), plain listeners speak HTTP (and answer a TLS ClientHello with the
/// plain-HTTP 400 Go's server writes).
final class OracleListener: Sendable {
    let name: String
    let port: Int
    private let channel: any Channel

    private init(name: String, port: Int, channel: any Channel) {
        self.name = name
        self.port = port
        self.channel = channel
    }

    static func start(name: String, port: Int, tls: NIOSSLContext?, behaviour: Behaviour, log: ConnectionLog) async throws -> OracleListener {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                let realmBase = { (port: Int) in "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)" }
                let ownPort = child.localAddress?.port ?? 0
                let sniffer = Sniffer(name: name, tls: tls, behaviour: behaviour, log: log, realm: realmBase(ownPort) + "/token")
                return child.eventLoop.makeCompletedFuture { try child.pipeline.syncOperations.addHandler(sniffer) }
            }
            .bind(host: "127.0.0.1", port: port).get()
        return OracleListener(name: name, port: channel.localAddress?.port ?? port, channel: channel)
    }

    func stop() async { try? await channel.close() }

    /// Decides on the first byte, then installs TLS and/or HTTP, or answers the mismatch and closes.
    private final class Sniffer: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer

        let name: String
        let tls: NIOSSLContext?
        let behaviour: Behaviour
        let log: ConnectionLog
        let realm: String
        var decided = false

        init(name: String, tls: NIOSSLContext?, behaviour: Behaviour, log: ConnectionLog, realm: String) {
            self.name = name
            self.tls = tls
            self.behaviour = behaviour
            self.log = log
            self.realm = realm
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if decided {
                context.fireChannelRead(data)
                return
            }
            let buffer = unwrapInboundIn(data)
            guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return }
            decided = true
            let isTLS = first == 0x16
            let index = log.open(listener: name, transport: isTLS ? "tls" : "plain")
            switch (isTLS, tls) {
            case (true, let tls?):
                do {
                    try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    try installHTTP(context: context, index: index)
                } catch {
                    context.close(promise: nil)
                    return
                }
                context.fireChannelRead(data)
            case (true, nil):
                // Go's net/http on a plain port, given a TLS ClientHello.
                answerAndClose(context: context, "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request")
            case (false, .some):
                let text = String(decoding: buffer.readableBytesView.prefix(2048), as: UTF8.self)
                let line = text.components(separatedBy: "\r\n").first ?? ""
                let parts = line.split(separator: " ")
                log.request(parts.count >= 2 ? "\(parts[0]) \(parts[1])" : line, on: index)
                // Go's net/http TLS server, given plain HTTP.
                answerAndClose(context: context, "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n")
            case (false, nil):
                do { try installHTTP(context: context, index: index) } catch {
                    context.close(promise: nil)
                    return
                }
                context.fireChannelRead(data)
            }
        }

        private func installHTTP(context: ChannelHandlerContext, index: Int) throws {
            try context.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
            try context.pipeline.syncOperations.addHandler(RegistryHandler(
                behaviour: behaviour, realm: realm, record: { [log] line, resolved in log.request(line, on: index, resolved: resolved) }))
        }

        private func answerAndClose(context: ChannelHandlerContext, _ text: String) {
            let bytes = context.channel.allocator.buffer(string: text)
            context.writeAndFlush(NIOAny(bytes)).whenComplete { _ in context.close(promise: nil) }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }

    /// Answers each request per the behaviour.
    private final class RegistryHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let behaviour: Behaviour
        let realm: String
        /// Records `METHOD uri` and whether it resolved the image.
        let record: @Sendable (String, Bool) -> Void
        var head: HTTPRequestHead?

        init(behaviour: Behaviour, realm: String, record: @escaping @Sendable (String, Bool) -> Void) {
            self.behaviour = behaviour
            self.realm = realm
            self.record = record
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let value):
                head = value
            case .body:
                break
            case .end:
                guard let head else { return }
                self.head = nil
                let (status, headers, body) = answer(method: head.method, uri: head.uri)
                record("\(head.method.rawValue) \(head.uri)", status == 200 && head.uri.contains("/manifests/"))
                var httpHeaders = HTTPHeaders(headers)
                httpHeaders.add(name: "Content-Length", value: "\(body.count)")
                // As Go's net/http: honour `Connection: close` (and HTTP/1.0 without keep-alive).
                let keepAlive = head.isKeepAlive
                if !keepAlive { httpHeaders.add(name: "Connection", value: "close") }
                context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: status), headers: httpHeaders))), promise: nil)
                if head.method != .HEAD, !body.isEmpty {
                    context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
                }
                context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil))).whenComplete { _ in
                    if !keepAlive { context.close(promise: nil) }
                }
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }

        private static func errors(_ code: String, _ message: String) -> [UInt8] {
            Array(#"{"errors":[{"code":"\#(code)","message":"\#(message)","detail":null}]}"#.utf8)
        }

        private static let json = [("Content-Type", "application/json; charset=utf-8"), ("Docker-Distribution-Api-Version", "registry/2.0")]

        private func answer(method: HTTPMethod, uri: String) -> (Int, [(String, String)], [UInt8]) {
            let path = String(uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            switch behaviour {
            case .serve:
                let image = TinyImage.shared
                if path.hasSuffix("/library/app/manifests/v1") || path.hasSuffix("/library/app/manifests/\(image.manifest.digest)") {
                    return (200, [("Content-Type", image.manifest.mediaType), ("Docker-Content-Digest", image.manifest.digest),
                                  ("Docker-Distribution-Api-Version", "registry/2.0")], image.manifest.bytes)
                }
                if let range = path.range(of: "/library/app/blobs/"), let blob = image.blob(String(path[range.upperBound...])) {
                    return (200, [("Content-Type", "application/octet-stream"), ("Docker-Content-Digest", blob.digest)], blob.bytes)
                }
                if path == "/v2/" || path == "/v2" { return (200, Self.json, Array("{}".utf8)) }
                if path.contains("/blobs/") { return (404, Self.json, Self.errors("BLOB_UNKNOWN", "blob unknown to registry")) }
                return (404, Self.json, Self.errors("MANIFEST_UNKNOWN", "manifest unknown"))
            case .notFound:
                return (404, Self.json, Self.errors("MANIFEST_UNKNOWN", "manifest unknown"))
            case .basic401:
                return (401, Self.json + [("WWW-Authenticate", #"Basic realm="hawser-oracle""#)], Self.errors("UNAUTHORIZED", "authentication required"))
            case .bearer401:
                if path == "/token" {
                    return (200, Self.json, Array(#"{"token":"oracle-anonymous","access_token":"oracle-anonymous"}"#.utf8))
                }
                let challenge = #"Bearer realm="\#(realm)",service="hawser-oracle",scope="repository:library/app:pull""#
                return (401, Self.json + [("WWW-Authenticate", challenge)], Self.errors("UNAUTHORIZED", "authentication required"))
            case .forbidden:
                return (403, Self.json, Self.errors("DENIED", "requested access to the resource is denied"))
            case .serverError:
                return (500, Self.json, Self.errors("UNKNOWN", "unknown error"))
            case .unavailable:
                return (503, Self.json, Self.errors("UNAVAILABLE", "service unavailable"))
            }
        }
    }
}

/// A port on 127.0.0.1 that refuses connections: bound (so no one else gets it) but not listening.
final class ClosedPort: Sendable {
    let port: Int
    private let fd: Int32

    init(port requested: Int = 0) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket() failed") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(requested).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            throw TestSupportError("bind(127.0.0.1:\(requested)) failed: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}
