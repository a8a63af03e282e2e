import NIOCore
import NIOPosix
import Synchronization

/// A TCP proxy on 127.0.0.1 in front of a server that records the first byte
/// of every connection, so a test can prove no TLS was attempted: a TLS
/// ClientHello starts with 0x16, an HTTP request with a letter.
final class SniffingProxy: Sendable {
    let port: Int
    private let channel: any Channel
    private let firstBytes = Mutex<[UInt8]>([])

    var host: String { "127.0.0.1:\(port)" }
    /// First byte of each connection, in order.
    var connectionsFirstBytes: [UInt8] { firstBytes.withLock { $0 } }
    var sawTLS: Bool { connectionsFirstBytes.contains(0x16) }

    private init(port: Int, channel: any Channel) {
        self.port = port
        self.channel = channel
    }

    static func start(forwardingTo targetPort: Int) async throws -> SniffingProxy {
        let box = Box()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { inbound in
                let front = Forwarder(onFirstByte: { byte in box.proxy?.firstBytes.withLock { $0.append(byte) } })
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

    func stop() async { try? await channel.close() }

    private final class Box: @unchecked Sendable {
        // Set once, before the first connection.
        var proxy: SniffingProxy?
    }

    /// Copies bytes to the peer channel; closes the peer when its side closes.
    private final class Forwarder: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        private var peer: (any Channel)?
        private var pending: [ByteBuffer] = []
        private let onFirstByte: (@Sendable (UInt8) -> Void)?
        private var sawFirst = false

        init(peer: (any Channel)? = nil, onFirstByte: (@Sendable (UInt8) -> Void)? = nil) {
            self.peer = peer
            self.onFirstByte = onFirstByte
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
            if !sawFirst, let byte = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) {
                sawFirst = true
                onFirstByte?(byte)
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
