import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import HawserRegistry
import Synchronization

/// One connection made by hand: connect, optionally a TLS handshake, send a
/// few bytes, read what comes back. Low level on purpose: the doctor needs to
/// see what a normal client hides (which step failed, what the server said).
struct RawExchange: Sendable {
    struct Result: Sendable {
        /// Nil when the TCP connection could not be made.
        var connectError: String?
        var connected: Bool { connectError == nil }
        /// For TLS: the handshake finished.
        var handshakeCompleted = false
        /// The first bytes the server sent (at most `limit`).
        var received: [UInt8] = []
        /// An error after connecting (TLS failure, reset…), in plain words.
        var error: String?
        /// BoringSSL's reason for a failed handshake (`CERTIFICATE_VERIFY_FAILED`), for classification.
        var tlsReason: String?
        /// The error value, for classification.
        var errorKind: ErrorKind = .none
        /// Certificates the server presented (leaf first), when TLS got that far.
        var peerCertificates: [CertificateFacts] = []
        var timedOut = false
    }

    enum ErrorKind: Sendable, Hashable {
        case none
        case hostnameMismatch
        case tls
        case other
    }

    let host: String
    let port: Int
    let timeout: TimeAmount

    /// - Parameters:
    ///   - tls: a client configuration, or nil for plain TCP.
    ///   - captureChain: verify nothing, only record the presented certificates.
    func run(tls: TLSConfiguration?, serverHostname: String?, captureChain: Bool = false, send: [UInt8], limit: Int = 4096) async -> Result {
        let group = MultiThreadedEventLoopGroup.singleton
        let collector = ResultBox()
        var sslContext: NIOSSLContext?
        if let tls {
            do { sslContext = try NIOSSLContext(configuration: tls) } catch {
                var result = Result()
                result.error = "cannot build the TLS configuration: \(NetworkErrorText.describe(error))"
                result.errorKind = .tls
                return result
            }
        }
        let context = sslContext
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let context {
                        let handler: NIOSSLClientHandler
                        if captureChain {
                            handler = try NIOSSLClientHandler(context: context, serverHostname: serverHostname) { certificates, promise in
                                collector.setChain(certificates.map(CertificateFacts.init))
                                promise.succeed(.certificateVerified)
                            }
                        } else {
                            handler = try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
                        }
                        try sync.addHandler(handler)
                    }
                    // Reading the chain needs only the handshake: close then, not at the time-out.
                    try sync.addHandler(CollectingHandler(limit: limit, box: collector, tls: context != nil, closeAfterHandshake: captureChain))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            var result = Result()
            result.connectError = Self.describeConnectError(error)
            return result
        }
        if !send.isEmpty {
            channel.writeAndFlush(ByteBuffer(bytes: send), promise: nil)
        }
        let deadline = channel.eventLoop.scheduleTask(in: timeout) {
            collector.markTimedOut()
            channel.close(promise: nil)
        }
        try? await channel.closeFuture.get()
        deadline.cancel()
        return collector.result
    }

    static func describeConnectError(_ error: any Error) -> String {
        NetworkErrorText.describe(error)
    }
}

/// Collects bytes and the first error; closes the channel when done.
private final class CollectingHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    let limit: Int
    let box: ResultBox
    let tls: Bool
    let closeAfterHandshake: Bool

    init(limit: Int, box: ResultBox, tls: Bool, closeAfterHandshake: Bool) {
        self.limit = limit
        self.box = box
        self.tls = tls
        self.closeAfterHandshake = closeAfterHandshake
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        if box.append(bytes, limit: limit) { context.close(promise: nil) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            box.markHandshake()
            if closeAfterHandshake {
                context.close(promise: nil)
                return
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        box.setError(error)
        context.close(promise: nil)
    }
}

/// Shared between the event loop and the caller; guarded by a lock.
final class ResultBox: Sendable {
    private let state = Mutex(RawExchange.Result())

    var result: RawExchange.Result { state.withLock { $0 } }

    func setChain(_ chain: [CertificateFacts]) { state.withLock { $0.peerCertificates = chain } }
    func markHandshake() { state.withLock { $0.handshakeCompleted = true } }
    func markTimedOut() { state.withLock { $0.timedOut = true } }

    /// Returns true when enough has been read.
    func append(_ bytes: [UInt8], limit: Int) -> Bool {
        state.withLock { value in
            value.received += bytes.prefix(max(0, limit - value.received.count))
            return value.received.count >= limit
        }
    }

    func setError(_ error: any Error) {
        state.withLock { value in
            guard value.error == nil else { return }
            value.error = NetworkErrorText.describe(error)
            value.tlsReason = NetworkErrorText.tlsReason(error)
            if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
                value.errorKind = .hostnameMismatch
            } else if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError {
                value.errorKind = .tls
            } else {
                value.errorKind = .other
            }
        }
    }
}
