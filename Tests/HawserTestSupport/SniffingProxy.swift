import NIOCore
import NIOPosix
import Synchronization

/// A TCP proxy on 127.0.0.1 in front of a server that records the first bytes
/// of every connection, in the order the connections sent them, so a test can
/// prove what was attempted on the wire: a TLS ClientHello starts with 0x16
/// (a handshake record), an HTTP request with its method (`HEAD `, `GET `).
public final class SniffingProxy: Sendable {
    public let port: Int
    private let channel: any Channel
    private let prefixes = Mutex<[[UInt8]]>([])

    public var host: String { "127.0.0.1:\(port)" }
    /// First byte of each connection, in order.
    public var connectionsFirstBytes: [UInt8] { prefixes.withLock { $0.compactMap(\.first) } }
    /// The first bytes (up to 5) of each connection, in order.
    public var connectionPrefixes: [[UInt8]] { prefixes.withLock { $0 } }
    /// Each connection as `tls` (a handshake record) or the HTTP method it opened with.
    public var connectionKinds: [String] {
        connectionPrefixes.map { prefix in
            if prefix.first == 0x16 { return "tls" }
            return String(decoding: prefix.prefix { $0 != 0x20 }, as: UTF8.self)
        }
    }
    public var sawTLS: Bool { connectionsFirstBytes.contains(0x16) }

    private init(port: Int, channel: any Channel) {
        self.port = port
        self.channel = channel
    }

    public static func start(forwardingTo targetPort: Int) async throws -> SniffingProxy {
        let box = Box()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { inbound in
                let front = Forwarder(onFirstBytes: { bytes in box.proxy?.prefixes.withLock { $0.append(bytes) } })
                return inbound.pipeline.addHandler(front).flatMap {
                    ClientBootstrap(group: inbound.eventLoop)
                        .channelInitializer { outbound in outbound.pipeline.addHandler(Forwarder(peer: inbound)) }
                        .connect(host: "127.0.0.1", port: targetPort)
                        .map { outbound in front.attach(outbound) }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let proxy = SniffingProxy(port: channel.localAddress?.port ?? 0, channel: channel)
        box.proxy = proxy
        return proxy
    }

    public func stop() async { try? await channel.close() }

    private final class Box: @unchecked Sendable {
        // Set once, before the first connection.
        var proxy: SniffingProxy?
    }

    /// Copies bytes to the peer channel; closes the peer when its side closes.
    private final class Forwarder: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        private var peer: (any Channel)?
        private var pending: [ByteBuffer] = []
        private let onFirstBytes: (@Sendable ([UInt8]) -> Void)?
        private var sawFirst = false

        init(peer: (any Channel)? = nil, onFirstBytes: (@Sendable ([UInt8]) -> Void)? = nil) {
            self.peer = peer
            self.onFirstBytes = onFirstBytes
        }

        /// Called on this channel's event loop once the outbound connection is up.
        func attach(_ channel: any Channel) {
            peer = channel
            for buffer in pending { channel.write(buffer, promise: nil) }
            pending = []
            channel.flush()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            if !sawFirst, buffer.readableBytes > 0,
               let bytes = buffer.getBytes(at: buffer.readerIndex, length: min(5, buffer.readableBytes)) {
                sawFirst = true
                onFirstBytes?(bytes)
            }
            if let peer { peer.writeAndFlush(buffer, promise: nil) } else { pending.append(buffer) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            peer?.close(promise: nil)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
