import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage, the client's address (for the
/// access log) and the connection's event loop (blob bodies wait on it: `BlobBodyWriter`).
public struct MirrorRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    public let eventLoop: any EventLoop

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        eventLoop = source.channel.eventLoop
    }
}
